// The wait helpers beyond Responses (batches, fine-tuning jobs, vector-store files and file batches) with the real
// openai client against the emulator: every scenario the emulator derives for each resource ends as the contract
// classifies the object a plain retrieve sees; aborts, deadlines and openai-poll-after-ms as for Responses.
import * as openai from 'openai';
import OpenAI from 'openai';
import * as openaiError from 'openai/error';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { publishedContract } from '../../src/contract.js';
import {
  isContractError,
  waitForBatch,
  waitForFineTuningJob,
  waitForVectorStoreFile,
  waitForVectorStoreFileBatch,
  WaitAbortError,
  WaitTimeoutError,
} from '../../src/openai/index.js';
import type { WaitOptions } from '../../src/openai/wait.js';
import { buildResources } from '../../src/serve/resources.js';
import { FAST_POLLS, clientFor, requestsOf, settle, useEmulator } from '../serve/support.js';

const contract = publishedContract();
const modules: Record<string, Record<string, unknown>> = { openai, 'openai/error': openaiError };
const classOf = (kind: string) => {
  const binding = contract.kinds[kind]!.node;
  return modules[binding.module]![binding.class] as new (...args: never[]) => Error;
};

const env = useEmulator();

type Obj = { id: string; status: string; object: string } & Record<string, unknown>;

/** How a test creates, retrieves and waits for one resource; `script` is the metadata (or attributes) of its course. */
interface Case {
  object: string;
  create(client: OpenAI, script: Record<string, string>): Promise<Obj>;
  retrieve(client: OpenAI, id: string): Promise<Obj>;
  wait(client: OpenAI, id: string, options: WaitOptions<never>): Promise<Obj>;
}

const VS = 'vs_emulated';
let files = 0;
const cases: Case[] = [
  {
    object: 'batch',
    create: (c, metadata) =>
      c.batches.create({
        input_file_id: 'file-in',
        endpoint: '/v1/responses',
        completion_window: '24h',
        metadata,
      }) as Promise<Obj>,
    retrieve: (c, id) => c.batches.retrieve(id) as Promise<Obj>,
    wait: (c, id, o) => waitForBatch(c, id, o) as Promise<Obj>,
  },
  {
    object: 'fine_tuning.job',
    create: (c, metadata) =>
      c.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: 'file-train', metadata }) as Promise<Obj>,
    retrieve: (c, id) => c.fineTuning.jobs.retrieve(id) as Promise<Obj>,
    wait: (c, id, o) => waitForFineTuningJob(c, id, o) as Promise<Obj>,
  },
  {
    object: 'vector_store.file',
    create: (c, attributes) =>
      c.vectorStores.files.create(VS, { file_id: `file-${++files}`, attributes }) as Promise<Obj>,
    retrieve: (c, id) => c.vectorStores.files.retrieve(id, { vector_store_id: VS }) as Promise<Obj>,
    wait: (c, id, o) => waitForVectorStoreFile(c, VS, id, o) as Promise<Obj>,
  },
  {
    object: 'vector_store.files_batch',
    create: (c, attributes) =>
      c.vectorStores.fileBatches.create(VS, { file_ids: ['file-a', 'file-b'], attributes }) as Promise<Obj>,
    retrieve: (c, id) => c.vectorStores.fileBatches.retrieve(id, { vector_store_id: VS }) as Promise<Obj>,
    wait: (c, id, o) => waitForVectorStoreFileBatch(c, VS, id, o) as Promise<Obj>,
  },
];

/** The scenarios whose course ends in a state of the object (HTTP faults are the SDK's own errors). */
const lifecycleScenarios = (object: string) =>
  env.server.resourceScenarios[object]!.filter((id) => !id.startsWith('http.') && !id.endsWith('@http'));

describe.each(cases.map((c) => [c.object, c] as const))('%s', (object, resource) => {
  it('every scenario ends as the contract classifies the object a plain retrieve sees', async () => {
    const scenarios = lifecycleScenarios(object);
    // Statuses, reasons (the shared vocabulary included) and partial failures: more than the statuses alone.
    expect(scenarios.length).toBeGreaterThanOrEqual(5);
    // The emulator says where each scenario ends; those that end pending get a short deadline, the rest a long one.
    const listing = (await (await fetch(env.server.url.replace(/\/v1$/, '/__emulator/scenarios'))).json()) as {
      resources: Record<string, { id: string; final_status: string }[]>;
    };
    const finals = new Map(listing.resources[object]!.map((s) => [s.id, s.final_status]));
    const outcomes = await Promise.all(
      scenarios.map((scenario) =>
        check(resource, scenario, classify({ object, status: finals.get(scenario) }).outcome === 'pending'),
      ),
    );
    // The outcomes the contract gives this object's status field all occur.
    const listed = new Set(
      contract.entries
        .filter((e) => e.field === statusFieldOf(object) && e.outcome !== undefined)
        .map((e) => e.outcome!),
    );
    expect(new Set(outcomes)).toEqual(listed);
  });

  it('a completed object is returned after its in-progress polls, each seen by onPoll', async () => {
    const created = await resource.create(env.client, { polls: '2' });
    const seen: string[] = [];
    const done = await resource.wait(env.client, created.id, {
      ...FAST_POLLS,
      onPoll: (o: Obj, info) => void seen.push(`${info.poll}:${o.status}:${info.result.outcome}`),
    });
    expect(classify(done).outcome).toBe('completed');
    expect(seen.map((s) => s.split(':')[2])).toEqual(['pending', 'pending', 'completed']);
    expect(requestsOf(env.server, created.id).filter((e) => e.method === 'GET')).toHaveLength(3);
  });

  it('an AbortSignal ends the wait with WaitAbortError carrying the last object', async () => {
    const running = runningScenario(object);
    expect(env.server.resourceScenarios[object]).toContain(running);
    const created0 = await resource.create(env.client, { scenario: running, polls: '0' });
    const controller = new AbortController();
    const { error } = await settle(
      resource.wait(env.client, created0.id, {
        ...FAST_POLLS,
        signal: controller.signal,
        onPoll: (_o, info) => {
          if (info.poll === 2) controller.abort(new Error('stop'));
        },
      }),
    );
    expect(error).toBeInstanceOf(WaitAbortError);
    expect(error).toBeInstanceOf(OpenAI.APIUserAbortError);
    expect((error as WaitAbortError<Obj>).response?.id).toBe(created0.id);
    expect(((error as WaitAbortError).cause as Error).message).toBe('stop');
    expect(requestsOf(env.server, created0.id).filter((e) => e.method === 'GET')).toHaveLength(2);
  });

  it('timeoutMs ends the wait with WaitTimeoutError; openai-poll-after-ms sets the delay', async () => {
    const created1 = await resource.create(env.client, { polls: '10000', poll_after_ms: '150' });
    const delays: Array<number | null> = [];
    const { error } = await settle(
      resource.wait(env.client, created1.id, {
        pollIntervalMs: 5,
        timeoutMs: 1000,
        onPoll: (_o, info) => void delays.push(info.nextPollMs),
      }),
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect((error as WaitTimeoutError).timeoutMs).toBe(1000);
    expect(delays.length).toBeGreaterThan(0);
    expect(new Set(delays)).toEqual(new Set([150]));
  });

  it("an HTTP fault of a poll is the client's to retry; without retries it is the SDK's own error", async () => {
    const retried = await resource.create(env.client, { scenario: 'http.status/429', retry_after_ms: '10' });
    const done = await resource.wait(clientFor(env.server, { maxRetries: 1 }), retried.id, FAST_POLLS);
    expect(classify(done).outcome).toBe('completed');
    const failing = await resource.create(env.client, { scenario: 'http.status/429', retry_after_ms: '10' });
    const { error } = await settle(resource.wait(env.client, failing.id, FAST_POLLS));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(isContractError(error)).toBe(false);
  });
});

const statusFieldOf = (object: string): string =>
  Object.keys(contract.fields).find(
    (id) => contract.fields[id]!.role === 'status' && contract.fields[id]!.dispatch?.object === object,
  )!;
/** The scenario that leaves an object in progress for good: its status field's entry for the running literal. */
const runningScenario = (object: string): string =>
  `${statusFieldOf(object)}/${buildResources(contract).find((r) => r.object === object)!.literals.running}`;

/**
 * Runs one scenario to its end and checks the wait's answer against a plain retrieve of the same object; returns the
 * outcome. A job that ends pending is polled from its final state on (polls: 0), so that the wait's last poll and
 * the plain retrieve see the same state whichever arrives first.
 */
async function check(resource: Case, scenario: string, pending: boolean): Promise<string> {
  const created = await resource.create(env.client, { scenario, polls: pending ? '0' : '1' });
  const outcome = await settle(
    resource.wait(env.client, created.id, { ...FAST_POLLS, timeoutMs: pending ? 200 : 30_000 }),
  );
  const plain = await resource.retrieve(env.client, created.id);
  const result = classify(plain);
  if (result.outcome === 'pending') {
    expect(outcome.error, scenario).toBeInstanceOf(WaitTimeoutError);
    expect((outcome.error as WaitTimeoutError<Obj>).response ?? plain, scenario).toEqual(plain);
    return result.outcome;
  }
  if (result.outcome === 'completed') {
    expect(outcome.error, scenario).toBeUndefined();
    expect(outcome.value, scenario).toEqual(plain);
    return result.outcome;
  }
  const error = outcome.error;
  expect(error, scenario).toBeInstanceOf(classOf(result.kind!));
  expect(isContractError(error), scenario).toBe(true);
  if (!isContractError(error)) return result.outcome;
  expect(error.response, scenario).toEqual(plain);
  expect(error.contract.entry, scenario).toBe(result.entry);
  expect(error.contract.retryable, scenario).toBe(result.retryable);
  if (error instanceof OpenAI.APIError && result.http_status !== null) {
    expect(error.status, scenario).toBe(result.http_status);
    expect(error.requestID, scenario).toMatch(/^req_/);
  }
  return result.outcome;
}

describe('arguments', () => {
  it('ids must be non-empty strings, named in the error; bad options are refused before any request', async () => {
    await expect(waitForVectorStoreFile(env.client, '', 'file-1')).rejects.toThrow(
      /waitForVectorStoreFile: vectorStoreId must be a non-empty string/,
    );
    await expect(waitForVectorStoreFileBatch(env.client, VS, '')).rejects.toThrow(/batchId must be a non-empty string/);
    await expect(waitForBatch(env.client, undefined as never)).rejects.toThrow(TypeError);
    await expect(waitForFineTuningJob(env.client, 'ftjob-x', { pollIntervalMs: 0 })).rejects.toThrow(RangeError);
    const { error } = await settle(waitForBatch(env.client, 'batch_x', { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(WaitAbortError);
    expect(requestsOf(env.server, 'batch_x')).toHaveLength(0);
  });

  it("a failed batch's error carries the batch's first error as the SDK fills it", async () => {
    const batch = await cases[0]!.create(env.client, { scenario: 'error.code/rate_limit_exceeded' });
    const { error } = await settle(waitForBatch(env.client, batch.id, FAST_POLLS));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('rate_limit_exceeded');
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).status).toBe(429);
  });
});
