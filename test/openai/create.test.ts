// createAndWait() against the emulator: re-creates only what the contract says is retryable, backs off longer for
// throttling, and keeps every attempt's Response on the final error.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { createAndWait, isContractError, WaitTimeoutError, type ContractError } from '../../src/openai/index.js';
import { FAST_POLLS, MODEL, clientFor, settle, useEmulator } from '../serve/support.js';

const env = useEmulator();

describe('createAndWait', () => {
  it('creates in background and returns the completed Response', async () => {
    const done = await createAndWait(
      env.client,
      { model: MODEL, input: 'hello', metadata: { polls: '2' } },
      FAST_POLLS,
    );
    expect(done).toMatchObject({ status: 'completed', background: true });
    expect(done.output_text).toContain('hello');
  });

  it('re-creates a retryable failure until it succeeds', async () => {
    const retries: Array<[number, string]> = [];
    const metadata = { scenario: 'error.code/server_error', times: '2', run: 'succeeds-third' };
    const done = await createAndWait(
      env.client,
      { model: MODEL, input: 'x', metadata },
      {
        ...FAST_POLLS,
        retry: { maxAttempts: 3, delayMs: 1 },
        onRetry: (error, info) => void retries.push([info.attempt, error.constructor.name]),
      },
    );
    expect(done.status).toBe('completed');
    expect(retries).toEqual([
      [1, 'InternalServerError'],
      [2, 'InternalServerError'],
    ]);
    const posts = env.server
      .log()
      .entries.filter(
        (e) =>
          e.method === 'POST' && e.path === '/v1/responses' && e.scenario === metadata.scenario && e.status === 200,
      );
    expect(posts.length).toBeGreaterThanOrEqual(3);
  });

  it('never re-creates a failure the contract says is not retryable', async () => {
    const before = env.server.log().entries.length;
    const { error } = await settle(
      createAndWait(
        env.client,
        { model: MODEL, input: 'x', metadata: { scenario: 'error.code/invalid_prompt', run: 'never' } },
        { ...FAST_POLLS, retry: { maxAttempts: 5, delayMs: 1 } },
      ),
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(isContractError(error) && error.contract.retryable).toBe(false);
    expect((error as ContractError).attempts).toHaveLength(1);
    const posts = env.server
      .log()
      .entries.slice(before)
      .filter((e) => e.method === 'POST');
    expect(posts).toHaveLength(1);
  });

  it("gives up after maxAttempts; every attempt's Response is on the error", async () => {
    const { error } = await settle(
      createAndWait(
        env.client,
        { model: MODEL, input: 'x', metadata: { scenario: 'error.code/rate_limit_exceeded', run: 'gives-up' } },
        { ...FAST_POLLS, retry: { maxAttempts: 3, delayMs: 1 } },
      ),
    );
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const attempts = (error as ContractError<OpenAI.Responses.Response>).attempts!;
    expect(attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'failed']);
    expect(new Set(attempts.map((a) => a.id)).size).toBe(3);
    expect((error as ContractError).response).toBe(attempts[2]);
  });

  it('backs off longer for throttling failures; the emulator saw the delay', async () => {
    const run = async (scenario: string) => {
      const delays: number[] = [];
      const { error } = await settle(
        createAndWait(
          env.client,
          { model: MODEL, metadata: { scenario } },
          {
            ...FAST_POLLS,
            retry: { maxAttempts: 3, delayMs: 8, throttlingMultiplier: 4 },
            onRetry: (_e, info) => void delays.push(info.delayMs),
          },
        ),
      );
      return { delays, attempts: (error as ContractError<OpenAI.Responses.Response>).attempts! };
    };
    const throttled = await run('error.code/rate_limit_exceeded');
    const other = await run('error.code/server_error');
    // Exponential (8, then 16) with up to 25% jitter; four times that for throttling.
    expect(other.delays[0]).toBeGreaterThanOrEqual(6);
    expect(other.delays[0]).toBeLessThanOrEqual(8);
    expect(other.delays[1]).toBeGreaterThanOrEqual(12);
    expect(other.delays[1]).toBeLessThanOrEqual(16);
    expect(throttled.delays[0]).toBeGreaterThanOrEqual(24);
    expect(throttled.delays[1]).toBeGreaterThanOrEqual(48);
    // From the request log: the next create came no sooner than the delay after the poll that saw the failure.
    const entries = env.server.log().entries;
    for (let i = 0; i < 2; i++) {
      const failedPoll = entries.findLast((e) => e.method === 'GET' && e.response_id === throttled.attempts[i]!.id)!;
      const nextCreate = entries.find((e) => e.method === 'POST' && e.response_id === throttled.attempts[i + 1]!.id)!;
      expect(nextCreate.at_ms - failedPoll.at_ms).toBeGreaterThanOrEqual(throttled.delays[i]! - 1);
    }
  });

  it('one deadline covers every attempt and the delays between them', async () => {
    const { error } = await settle(
      createAndWait(
        env.client,
        { model: MODEL, metadata: { scenario: 'error.code/server_error' } },
        { ...FAST_POLLS, timeoutMs: 1000, retry: { maxAttempts: 10, delayMs: 10_000 } },
      ),
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).attempts).toHaveLength(1);
    expect((error as WaitTimeoutError).response).toMatchObject({ status: 'failed' });
  });

  it("the deadline holds during the SDK's Retry-After sleep on a poll (a 429 asking for 60 s)", async () => {
    const started = performance.now();
    const { error } = await settle(
      createAndWait(
        clientFor(env.server, { maxRetries: 2 }),
        {
          model: MODEL,
          metadata: { scenario: 'http.status/429', retry_after_ms: '60000', faults: '5', run: 'slow-429' },
        },
        { ...FAST_POLLS, timeoutMs: 2000 },
      ),
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    // Generous: the failure mode is 60 s.
    expect(performance.now() - started).toBeLessThan(10_000);
    const polls = env.server
      .log()
      .entries.filter(
        (e) =>
          e.scenario === 'http.status/429' &&
          e.method === 'GET' &&
          e.response_id === (error as WaitTimeoutError).attempts?.[0]?.id,
      );
    expect(polls.map((e) => e.status)).toEqual([429]);
  });

  it("an HTTP error of the create itself is the client's to retry: thrown as the SDK raised it", async () => {
    const { error } = await settle(
      createAndWait(
        clientFor(env.server, { apiKey: 'sk-wrong' }),
        { model: MODEL },
        { ...FAST_POLLS, retry: { maxAttempts: 3 } },
      ),
    );
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(isContractError(error)).toBe(false);
    expect((error as ContractError).attempts).toEqual([]);
  });

  it.each([
    ['retry-after-ms', 150],
    ['retry-after', 1000],
    ['http-date', 1000],
    ['both', 150],
  ] as const)(
    "waits the server's delay (sent as %s) before re-creating, instead of its own backoff",
    async (hint, expected) => {
      const delays: Array<[number, number | null]> = [];
      const metadata = {
        scenario: 'error.code/rate_limit_exceeded',
        retry_after_ms: '150',
        retry_hint: hint,
        times: '1',
        run: `hint-${hint}`,
      };
      const done = await createAndWait(
        env.client,
        { model: MODEL, metadata },
        {
          ...FAST_POLLS,
          retry: { maxAttempts: 2, delayMs: 30_000 },
          onRetry: (error, info) => void delays.push([info.delayMs, error.contract.retry_after_ms]),
        },
      );
      expect(done.status).toBe('completed');
      expect(delays).toEqual([[expected, expected]]);
      // The server's side: the poll that reported the failure carried the hint, and the next create waited it out.
      const entries = env.server.log().entries.filter((e) => e.scenario === metadata.scenario || e.method === 'POST');
      const failedPoll = entries.findLast(
        (e) => e.method === 'GET' && e.sent !== undefined && e.scenario === metadata.scenario,
      )!;
      expect(Object.keys(failedPoll.sent!).sort()).toEqual(
        hint === 'both' ? ['retry-after', 'retry-after-ms'] : hint === 'http-date' ? ['date', 'retry-after'] : [hint],
      );
      const nextCreate = env.server.log().entries.find((e) => e.method === 'POST' && e.at_ms > failedPoll.at_ms)!;
      expect(nextCreate.at_ms - failedPoll.at_ms).toBeGreaterThanOrEqual(expected - 1);
    },
  );

  it('stops at once when the action says retrying within the run cannot help (a delay beyond the horizon, a batch limit)', async () => {
    for (const [metadata, action] of [
      [
        { scenario: 'error.code/rate_limit_exceeded', retry_after_ms: '600000', run: 'beyond-horizon' },
        'wait_and_resubmit_later',
      ],
      [{ scenario: 'error.code/token_limit_exceeded', run: 'token-limit' }, 'wait_and_resubmit_later'],
      [{ scenario: 'error.code/insufficient_quota', run: 'quota' }, 'add_credit'],
    ] as const) {
      const before = env.server.log().entries.length;
      const { error } = await settle(
        createAndWait(env.client, { model: MODEL, metadata }, { ...FAST_POLLS, retry: { maxAttempts: 5, delayMs: 1 } }),
      );
      expect(error, metadata.run).toBeInstanceOf(OpenAI.RateLimitError);
      expect(isContractError(error) && error.contract.action).toBe(action);
      expect((error as ContractError).attempts).toHaveLength(1);
      expect(
        env.server
          .log()
          .entries.slice(before)
          .filter((e) => e.method === 'POST'),
      ).toHaveLength(1);
    }
  });

  it('refuses bad options before any request', async () => {
    for (const retry of [
      { maxAttempts: 0 },
      { maxAttempts: 1.5 },
      { maxAttempts: 101 },
      { delayMs: -1 },
      { throttlingMultiplier: 0.5 },
    ]) {
      await expect(createAndWait(env.client, { model: MODEL }, { retry })).rejects.toThrow(RangeError);
    }
  });
});
