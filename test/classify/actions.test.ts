// What to do next: every deciding entry's action, the delay an envelope carries, the horizon, and explain().
// (The vectors check every hint and its garbage forms against both reference implementations; these check the
// library and CLI surface and the data's own invariants.)
import { describe, expect, it } from 'vitest';
import { classify, explain, publishedContract } from '../../src/index.js';
import { runCli } from '../support/cli.js';

const contract = publishedContract();
const rateLimited = (headers: Record<string, string>) => ({
  http_status: 429,
  headers,
  body: { error: { code: 'rate_limit_exceeded' } },
});

describe('actions', () => {
  it('every entry that can decide a result has an action of the closed set; deferring entries have none', () => {
    const ids = new Set(Object.keys(contract.actions!));
    for (const e of contract.entries) {
      const deciding = e.refined_by === undefined && (e.delegate === undefined || e.kind !== undefined);
      if (deciding) expect(ids.has(e.action!), e.id).toBe(true);
      else expect(e.action, e.id).toBeUndefined();
    }
    // The kinds' defaults too, and the policy's actions.
    for (const [id, kind] of Object.entries(contract.kinds)) expect(ids.has(kind.action!), id).toBe(true);
    const policy = contract.retry_policy!;
    for (const a of [policy.beyond_horizon, policy.should_retry_true, policy.should_retry_false])
      expect(ids.has(a)).toBe(true);
  });

  it('an action never contradicts the retry decision it travels with', () => {
    for (const e of contract.entries) {
      if (e.action === undefined) continue;
      const retry = contract.actions![e.action]!.retry;
      expect(e.retryable ? ['in_run', 'later', 'partial'] : ['no', 'partial'], e.id).toContain(retry);
    }
  });

  it('the horizon: a delay up to it keeps backing off; past it the retryable result waits and resubmits later', () => {
    const horizon = contract.retry_policy!.horizon_ms;
    expect(horizon).toBe(120_000);
    expect(classify(rateLimited({ 'retry-after': String(horizon / 1000) }))).toMatchObject({
      retryable: true,
      retry_after_ms: horizon,
      action: 'back_off_and_retry',
    });
    expect(classify(rateLimited({ 'retry-after-ms': String(horizon + 1) }))).toMatchObject({
      retryable: true,
      retry_after_ms: horizon + 1,
      action: 'wait_and_resubmit_later',
    });
  });

  it('the same envelope gives the very same frozen result, a delay or not', () => {
    const a = classify(rateLimited({ 'retry-after': '7' }));
    expect(classify(rateLimited({ 'retry-after': '7' }))).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(classify(rateLimited({ 'retry-after': '8' }))).not.toBe(a);
  });

  it('a contract before 3.0.0 has no actions: results carry a null action and no delay', () => {
    const old = structuredClone(contract) as typeof contract;
    delete old.actions;
    delete old.retry_policy;
    delete old.hints;
    for (const e of old.entries) delete e.action;
    expect(classify(rateLimited({ 'retry-after': '20' }), { contract: old })).toMatchObject({
      retryable: true,
      retry_after_ms: null,
      action: null,
    });
  });
});

describe('explain()', () => {
  it("gives an entry's summary, remedy and action with its meaning", () => {
    const entry = contract.entries.find((e) => e.id === 'error.code/insufficient_quota')!;
    expect(explain('error.code/insufficient_quota')).toEqual({
      entry: entry.id,
      summary: entry.summary,
      remedy: entry.remedy,
      action: 'add_credit',
      action_summary: contract.actions!.add_credit!.summary,
      action_meaning: contract.actions!.add_credit!.meaning,
    });
  });

  it("of a result, the result's own action counts (the horizon may have changed it)", () => {
    const result = classify(rateLimited({ 'retry-after': '900' }));
    expect(explain(result)).toMatchObject({
      entry: 'error.code/rate_limit_exceeded',
      action: 'wait_and_resubmit_later',
    });
    expect(explain('error.code/rate_limit_exceeded')?.action).toBe('back_off_and_retry');
  });

  it('is undefined for an unknown id, and gives no action for an entry that never decides', () => {
    expect(explain('error.code/x-no-such-code')).toBeUndefined();
    expect(explain(42 as unknown as string)).toBeUndefined();
    expect(explain('response.status/failed')).toMatchObject({ action: null, action_meaning: null });
  });
});

describe('the CLI', () => {
  it('prints retry_after_ms and a back-off action for a 429 with retry-after 20, add credit for insufficient_quota, raise the budget for max_output_tokens', () => {
    const backoff = JSON.parse(runCli(['classify'], JSON.stringify(rateLimited({ 'retry-after': '20' }))).stdout);
    expect(backoff).toMatchObject({ retry_after_ms: 20_000, action: 'back_off_and_retry', retryable: true });
    const quota = JSON.parse(
      runCli(['classify'], JSON.stringify({ http_status: 429, body: { error: { code: 'insufficient_quota' } } }))
        .stdout,
    );
    expect(quota).toMatchObject({ action: 'add_credit', retryable: false });
    const budget = JSON.parse(
      runCli(
        ['classify'],
        JSON.stringify({
          object: 'response',
          status: 'incomplete',
          incomplete_details: { reason: 'max_output_tokens' },
        }),
      ).stdout,
    );
    expect(budget).toMatchObject({ action: 'raise_budget', retryable: false });
    const text = runCli(['classify', '--format', 'text'], JSON.stringify(rateLimited({ 'retry-after': '600' }))).stdout;
    expect(text).toMatch(/action: +wait_and_resubmit_later: /);
    expect(text).toMatch(/wait: +600000 ms \(retry_after_ms: the server's delay, beyond the 120 s horizon\)/);
  });
});
