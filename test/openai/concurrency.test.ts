// 1,000 concurrent background jobs through one emulator and one client: every job reaches its scripted end, and
// the emulator's log accounts for every request. A load test: it asserts counts and order, never how fast the machine
// is, so its deadlines are far beyond what 1,000 jobs need even on two busy cores (the bench times this load).
import { expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { publishedContract } from '../../src/contract.js';
import { isContractError, waitForResponse } from '../../src/openai/index.js';
import { MODEL, settle, useEmulator } from '../serve/support.js';

const JOBS = 1_000;
// The client's request timeout too: 1,000 requests at once on a loaded machine may queue for many seconds.
const env = useEmulator({ maxJobs: JOBS, logSize: 20 * JOBS }, { maxRetries: 0, timeout: 540_000 });

it(`${JOBS} concurrent background jobs all reach their scripted end`, async () => {
  const contract = publishedContract();
  const byId = new Map(contract.entries.map((e) => [e.id, e]));
  // Scenarios that end (a completed or failed status of their own), in turn, with 0 to 3 polls in progress first.
  const scripted = [
    null,
    ...env.server.scenarios.filter(
      (id) => id.startsWith('response.error.') || id.startsWith('response.incomplete_details.'),
    ),
  ];
  const jobs = Array.from({ length: JOBS }, (_, i) => ({ scenario: scripted[i % scripted.length]!, polls: i % 4 }));

  const outcomes = await Promise.all(
    jobs.map(async ({ scenario, polls }) => {
      const metadata: Record<string, string> = { polls: String(polls) };
      if (scenario) metadata.scenario = scenario;
      const created = await env.client.responses.create({ model: MODEL, background: true, metadata });
      return {
        created,
        ...(await settle(
          waitForResponse(env.client, created.id, { pollIntervalMs: 10, maxPollIntervalMs: 50, timeoutMs: 540_000 }),
        )),
      };
    }),
  );

  const seen = new Set<string>();
  outcomes.forEach(({ created, value, error }, i) => {
    const { scenario } = jobs[i]!;
    seen.add(created.id);
    // No scenario, or one whose entry completes the Response (a steered hand-off): the wait returns it.
    if (scenario === null || byId.get(scenario)?.outcome === 'completed') {
      expect(value?.status, `job ${i}`).toBe(scenario === null ? 'completed' : 'incomplete');
      expect(error, `job ${i}`).toBeUndefined();
      return;
    }
    expect(isContractError(error), `job ${i} (${scenario})`).toBe(true);
    if (!isContractError(error)) return;
    expect((error.response as { id: string }).id).toBe(created.id);
    // The job ended as its scenario scripted: decided by that entry (or, for a fallback, by that field's).
    expect(error.contract.entry.split('/')[0]).toBe(scenario.split('/')[0]);
    expect(error.contract).toEqual(classify(error.response));
    expect(error.contract.retryable).toBe(byId.get(error.contract.entry)!.retryable);
  });
  expect(seen.size).toBe(JOBS);

  // Nothing lost: one create and polls + 1 retrievals per job, every one answered 200, none dropped from the log.
  const log = env.server.log();
  expect(log.dropped).toBe(0);
  const posts = log.entries.filter((e) => e.method === 'POST');
  const gets = log.entries.filter((e) => e.method === 'GET');
  expect(posts).toHaveLength(JOBS);
  expect(gets).toHaveLength(jobs.reduce((n, j) => n + j.polls + 1, 0));
  expect(log.entries.every((e) => e.status === 200)).toBe(true);
  expect(env.server.liveJobs()).toBe(JOBS);
}, 600_000);
