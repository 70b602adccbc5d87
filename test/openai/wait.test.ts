// waitForResponse() with the real openai client against the emulator: every response-level scenario raises the
// class the contract names; aborts, deadlines, and the server's timing headers, asserted from the request log.
import * as openai from 'openai';
import OpenAI from 'openai';
import * as openaiError from 'openai/error';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { publishedContract } from '../../src/contract.js';
import {
  isContractError,
  MAX_POLL_AFTER_MS,
  MIN_POLL_AFTER_MS,
  raiseForStatus,
  waitForResponse,
  WaitAbortError,
  WaitTimeoutError,
  type ResponsesClient,
} from '../../src/openai/index.js';
import { pollAfter } from '../../src/openai/wait.js';
import { FAST_POLLS, MODEL, clientFor, emulator, requestsOf, settle, useEmulator } from '../serve/support.js';

const contract = publishedContract();
const modules: Record<string, Record<string, unknown>> = { openai, 'openai/error': openaiError };
const classOf = (kind: string) => {
  const binding = contract.kinds[kind]!.node;
  return modules[binding.module]![binding.class] as new (...args: never[]) => Error;
};
const entryById = new Map<string, (typeof contract.entries)[number]>(contract.entries.map((e) => [e.id, e]));

const env = useEmulator();

async function background(metadata: Record<string, string>) {
  return env.client.responses.create({ model: MODEL, input: 'hello', background: true, metadata });
}

/** Intervals between a job's polls, in ms by the emulator's clock. */
function pollGaps(id: string): number[] {
  const polls = requestsOf(env.server, id).filter((e) => e.method === 'GET');
  return polls.slice(1).map((e, i) => e.at_ms - polls[i]!.at_ms);
}

describe('every response-level scenario', () => {
  // Scenarios whose job ends: all but HTTP faults (a poll-level matter) and those that stay pending.
  // HTTP faults (http.status/…, a shared code's <entry>@http) are the SDK's own errors, not a Response's.
  const ending = () => env.server.scenarios.filter((id) => !id.startsWith('http.') && !id.endsWith('@http'));

  it('covers every status, reason and stream entry of a Response', () => {
    expect(ending().length).toBeGreaterThan(30);
  });

  it("each throws the contract's class with the Response intact, or returns it when completed", async () => {
    // The emulator says where each scenario ends; those that end pending get a short deadline, the rest a long one.
    const listing = (await (await fetch(env.server.url.replace(/\/v1$/, '/__emulator/scenarios'))).json()) as {
      scenarios: { id: string; final_status: string }[];
    };
    const pending = new Set(
      listing.scenarios
        .filter((s) => classify({ object: 'response', status: s.final_status }).outcome === 'pending')
        .map((s) => s.id),
    );
    expect(pending.size).toBeGreaterThan(0);
    // A job that ends pending is polled from its final state on (polls: 0): the wait's last poll may still be in
    // flight when its deadline ends it, and the plain retrieve below must see the same state whichever arrives first.
    await Promise.all(
      ending().map((scenario) => (pending.has(scenario) ? check(scenario, 100, '0') : check(scenario, 30_000, '1'))),
    );
  });
});

/** The fields a polled Response can show: its status, the reasons and item statuses it consults, their vocabularies. */
const pollShows = (() => {
  const fields = publishedContract().fields;
  const status = Object.keys(fields).find((id) => fields[id]!.dispatch?.object === 'response')!;
  const shown = new Set<string>([status]);
  for (const e of publishedContract().entries) {
    if (e.field !== status) continue;
    for (const f of [...(e.refined_by ?? []), ...(e.partial_failure ? [e.partial_failure] : [])]) {
      shown.add(f);
      if (fields[f]!.shares_values_with) shown.add(fields[f]!.shares_values_with!);
    }
  }
  return shown;
})();

async function check(scenario: string, timeoutMs: number, polls: string): Promise<void> {
  const entry = entryById.get(scenario)!;
  const created = await background({ scenario, polls });
  const outcome = await settle(waitForResponse(env.client, created.id, { ...FAST_POLLS, timeoutMs }));
  // The gap: a plain retrieve of the same job answers normally, whatever its status.
  const plain = await env.client.responses.retrieve(created.id);
  const result = classify(plain);
  // An entry that decides alone must be the one that decided.
  if (entry.kind !== undefined && !entry.delegate && pollShows.has(entry.field))
    expect(result.entry, scenario).toBe(scenario);
  if (result.outcome === 'pending') {
    expect(outcome.error, scenario).toBeInstanceOf(WaitTimeoutError);
    return;
  }
  if (result.outcome === 'completed') {
    expect(outcome.value, scenario).toEqual(plain);
    return;
  }
  const error = outcome.error;
  expect(error, scenario).toBeInstanceOf(classOf(result.kind!));
  expect(isContractError(error), scenario).toBe(true);
  if (!isContractError(error)) return;
  const response = error.response as typeof plain;
  expect(response.status, scenario).toBe(plain.status);
  expect(response.error, scenario).toEqual(plain.error);
  expect(response.incomplete_details, scenario).toEqual(plain.incomplete_details);
  expect(error.contract.retryable, scenario).toBe(result.retryable);
  if (entry.retryable !== undefined && result.entry === scenario)
    expect(error.contract.retryable, scenario).toBe(entry.retryable);
  if (error instanceof OpenAI.APIError && result.http_status !== null) {
    expect(error.status, scenario).toBe(result.http_status);
    expect(error.requestID, scenario).toMatch(/^req_/);
  }
}

describe('the gap, and raising on request', () => {
  it('retrieve() of a failed job returns normally; raiseForStatus raises RateLimitError', async () => {
    const created = await background({ scenario: 'error.code/rate_limit_exceeded' });
    const failed = await env.client.responses.retrieve(created.id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('rate_limit_exceeded');
    expect(() => raiseForStatus(failed)).toThrow(OpenAI.RateLimitError);
  });

  it('a completed job is returned by waitForResponse, its output intact', async () => {
    const created = await background({ polls: '3' });
    const seen: string[] = [];
    const done = await waitForResponse(env.client, created.id, {
      ...FAST_POLLS,
      onPoll: (r, info) => void seen.push(`${info.poll}:${r.status}:${info.result.outcome}`),
    });
    expect(done.status).toBe('completed');
    expect(done.output_text).toContain('hello');
    expect(seen).toEqual([
      '1:in_progress:pending',
      '2:in_progress:pending',
      '3:in_progress:pending',
      '4:completed:completed',
    ]);
  });
});

describe('abort and deadline', () => {
  it('an AbortSignal ends the wait with APIUserAbortError carrying the last Response', async () => {
    const created = await background({ scenario: 'response.status/in_progress' });
    const controller = new AbortController();
    const { error } = await settle(
      waitForResponse(env.client, created.id, {
        ...FAST_POLLS,
        signal: controller.signal,
        onPoll: (_r, info) => {
          if (info.poll === 3) controller.abort(new Error('stop'));
        },
      }),
    );
    expect(error).toBeInstanceOf(WaitAbortError);
    expect(error).toBeInstanceOf(OpenAI.APIUserAbortError);
    expect((error as WaitAbortError).response).toMatchObject({ id: created.id, status: 'in_progress' });
    expect(((error as WaitAbortError).cause as Error).message).toBe('stop');
    expect(requestsOf(env.server, created.id).filter((e) => e.method === 'GET')).toHaveLength(3);
  });

  it('an already aborted signal sends no request', async () => {
    const created = await background({});
    const { error } = await settle(waitForResponse(env.client, created.id, { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(OpenAI.APIUserAbortError);
    expect(requestsOf(env.server, created.id).filter((e) => e.method === 'GET')).toHaveLength(0);
  });

  it('timeoutMs ends the wait with APIConnectionTimeoutError carrying the last Response', async () => {
    const created = await background({ scenario: 'response.status/queued' });
    // Long enough for a first poll to answer on a loaded machine: the deadline now ends a poll in flight at once.
    const { error } = await settle(waitForResponse(env.client, created.id, { pollIntervalMs: 5, timeoutMs: 500 }));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect((error as WaitTimeoutError).response).toMatchObject({ id: created.id, status: 'queued' });
    expect((error as WaitTimeoutError).timeoutMs).toBe(500);
  });

  it('the delay between polls grows, capped', async () => {
    const created = await background({ scenario: 'response.status/in_progress' });
    const delays: number[] = [];
    const controller = new AbortController();
    const onPoll = (_r: unknown, i: { poll: number; nextPollMs: number | null }) => {
      delays.push(i.nextPollMs!);
      if (i.poll === 5) controller.abort();
    };
    await settle(
      waitForResponse(env.client, created.id, {
        pollIntervalMs: 2,
        maxPollIntervalMs: 6,
        signal: controller.signal,
        onPoll,
      }),
    );
    expect(delays).toEqual([2, 3, 4.5, 6, 6]);
  });

  it('bad options are refused before any request', async () => {
    for (const options of [
      { timeoutMs: -1 },
      { pollIntervalMs: 0 },
      { maxPollIntervalMs: Number.NaN },
      { timeoutMs: 2 ** 40 },
    ]) {
      await expect(waitForResponse(env.client, 'resp_x', options)).rejects.toThrow(RangeError);
    }
    await expect(waitForResponse(env.client, '')).rejects.toThrow(TypeError);
  });
});

describe('the deadline and the signal hold whatever the server sends', () => {
  // A 429 on the poll with retry-after-ms: 60000: the SDK's retry sleeps a minute without watching the signal. The
  // wait must end by its own deadline or abort, and the SDK must never send the retry.
  const slow = { scenario: 'http.status/429', retry_after_ms: '60000', faults: '5' };

  it("timeoutMs ends the wait during the SDK's Retry-After sleep", async () => {
    const created = await background(slow);
    const started = performance.now();
    const { error } = await settle(
      waitForResponse(clientFor(env.server, { maxRetries: 2 }), created.id, { ...FAST_POLLS, timeoutMs: 2000 }),
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    // Generous: the failure mode is 60 s.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(
      requestsOf(env.server, created.id)
        .filter((e) => e.method === 'GET')
        .map((e) => e.status),
    ).toEqual([429]);
  });

  it("an abort ends the wait during the SDK's Retry-After sleep", async () => {
    const created = await background(slow);
    const controller = new AbortController();
    const polled = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (requestsOf(env.server, created.id).some((e) => e.method === 'GET' && e.status === 429)) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    const waiting = settle(
      waitForResponse(clientFor(env.server, { maxRetries: 2 }), created.id, {
        ...FAST_POLLS,
        signal: controller.signal,
      }),
    );
    await polled;
    const started = performance.now();
    controller.abort(new Error('enough'));
    const { error } = await waiting;
    expect(error).toBeInstanceOf(WaitAbortError);
    expect(((error as WaitAbortError).cause as Error).message).toBe('enough');
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(requestsOf(env.server, created.id).filter((e) => e.method === 'GET')).toHaveLength(1);
  });
});

/** A client whose every poll answers `in_progress` with the given openai-poll-after-ms header. */
function hintingClient(header: string): ResponsesClient {
  const response = { id: 'resp_hint', object: 'response', status: 'in_progress' };
  const retrieve = () => {
    const promise = Promise.resolve(response) as Promise<typeof response> & { withResponse: () => Promise<unknown> };
    promise.withResponse = async () => ({
      data: response,
      response: { headers: new Headers({ 'openai-poll-after-ms': header }) },
    });
    return promise;
  };
  return { responses: { retrieve, create: retrieve } } as unknown as ResponsesClient;
}

describe('openai-poll-after-ms is parsed strictly and clamped', () => {
  it('decimal digits only, clamped to the floor and the ceiling', () => {
    const of = (value: string) => pollAfter(new Headers({ 'openai-poll-after-ms': value }));
    expect([MIN_POLL_AFTER_MS, MAX_POLL_AFTER_MS]).toEqual([100, 60_000]);
    expect(of('0')).toBe(MIN_POLL_AFTER_MS);
    expect(of('99')).toBe(MIN_POLL_AFTER_MS);
    expect(of('250')).toBe(250);
    expect(of(' 250 ')).toBe(250);
    expect(of('999999999')).toBe(MAX_POLL_AFTER_MS);
    // parseInt read each of these as 0 to 1 ms.
    for (const bad of ['0.9', '0x10', '1e9', '-5', '+5', '', '1_000', 'Infinity', '12abc'])
      expect(of(bad), bad).toBeUndefined();
    expect(pollAfter(new Headers())).toBeUndefined();
  });

  it("a hint of 0 never makes the wait poll faster than the floor; an unparsable one leaves the client's own pace", async () => {
    for (const [header, expected] of [
      ['0', [100, 100, 100]],
      ['0.9', [7, 7, 7]],
      ['0x10', [7, 7, 7]],
      ['1e9', [7, 7, 7]],
      ['86400000', [60_000]],
    ] as const) {
      const delays: Array<number | null> = [];
      const controller = new AbortController();
      await settle(
        waitForResponse(hintingClient(header), 'resp_hint', {
          pollIntervalMs: 7,
          maxPollIntervalMs: 7,
          signal: controller.signal,
          onPoll: (_r, info) => {
            delays.push(info.nextPollMs);
            if (delays.length === expected.length) controller.abort();
          },
        }),
      );
      expect(delays, header).toEqual(expected);
    }
  });
});

describe('the server decides the pace (request log, not wall-clock)', () => {
  it("openai-poll-after-ms is honoured over the client's own interval", async () => {
    const created = await background({ polls: '3', poll_after_ms: '120' });
    const hints: Array<number | null> = [];
    await waitForResponse(env.client, created.id, { ...FAST_POLLS, onPoll: (_r, i) => void hints.push(i.nextPollMs) });
    expect(hints).toEqual([120, 120, 120, null]);
    const gaps = pollGaps(created.id);
    expect(gaps).toHaveLength(3);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(119);
  });

  it("Retry-After of a 429 on the poll is honoured by the client's retry, then the wait completes", async () => {
    const created = await background({ scenario: 'http.status/429', retry_after_ms: '700' });
    const retrying = clientFor(env.server, { maxRetries: 2 });
    const done = await waitForResponse(retrying, created.id, FAST_POLLS);
    expect(done.status).toBe('completed');
    const polls = requestsOf(env.server, created.id).filter((e) => e.method === 'GET');
    expect(polls.map((p) => [p.status, p.retry_count])).toEqual([
      [429, 0],
      [200, 1],
    ]);
    expect(polls[0]!.sent).toMatchObject({ 'retry-after': '1', 'retry-after-ms': '700' });
    // The SDK's own first backoff is at most 500 ms: a gap of 700 ms or more is the header's.
    expect(polls[1]!.at_ms - polls[0]!.at_ms).toBeGreaterThanOrEqual(699);
  });

  it("a 500 on the poll is retried by the client; with x-should-retry: false it is not, and the SDK's error ends the wait", async () => {
    const retrying = clientFor(env.server, { maxRetries: 2 });
    const ok = await background({ scenario: 'http.status/>=500', retry_after_ms: '5' });
    await expect(waitForResponse(retrying, ok.id, FAST_POLLS)).resolves.toMatchObject({ status: 'completed' });
    const refused = await background({ scenario: 'http.status/>=500', should_retry: 'false', faults: '5' });
    const { error } = await settle(waitForResponse(retrying, refused.id, FAST_POLLS));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(isContractError(error)).toBe(false);
    expect(requestsOf(env.server, refused.id).filter((e) => e.method === 'GET')).toHaveLength(1);
  });

  it('x-should-retry: true makes the client retry even a 400', async () => {
    const created = await background({ scenario: 'http.status/400', should_retry: 'true', retry_after_ms: '5' });
    await expect(
      waitForResponse(clientFor(env.server, { maxRetries: 1 }), created.id, FAST_POLLS),
    ).resolves.toMatchObject({ status: 'completed' });
    expect(
      requestsOf(env.server, created.id)
        .filter((e) => e.method === 'GET')
        .map((e) => e.status),
    ).toEqual([400, 200]);
  });
});

describe('the provider profile of seed 003', () => {
  const profile = Object.entries(contract.profiles).find(([, p]) => p.lifecycle?.id_prefix === 'req_')?.[0];

  it.runIf(profile)(
    '202 and a req_ id in progress; the completed job carries its permanent resp_ id and chains from it',
    async () => {
      const provider = await emulator({ profile });
      try {
        const c = clientFor(provider);
        const { data, response } = await c.responses
          .create({ model: MODEL, input: 'poem', background: true, metadata: { polls: '1' } })
          .withResponse();
        expect(response.status).toBe(202);
        expect(data.id).toMatch(/^req_[0-9a-f]{32}$/);
        expect(data.status).toBe('in_progress');
        await expect(
          c.responses.create({ model: MODEL, input: 'more', background: true, previous_response_id: data.id }),
        ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
        const done = await waitForResponse(c, data.id, { ...FAST_POLLS, profile });
        expect(done.id).toBe(`resp_${data.id.slice(4)}`);
        const next = await c.responses.create({
          model: MODEL,
          input: 'more',
          background: true,
          previous_response_id: done.id,
        });
        expect(next.previous_response_id).toBe(done.id);
        const guarded = await c.responses.create({
          model: MODEL,
          background: true,
          metadata: { scenario: 'error.type/guardrail_violation' },
        });
        const { error } = await settle(waitForResponse(c, guarded.id, { ...FAST_POLLS, profile }));
        expect(error).toBeInstanceOf(OpenAI.BadRequestError);
        expect((error as InstanceType<typeof OpenAI.BadRequestError>).type).toBe('guardrail_violation');
      } finally {
        await provider.close();
      }
    },
  );

  it('is in the contract', () => {
    expect(profile).toBeDefined();
  });
});
