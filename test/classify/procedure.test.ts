// The decision procedure's rules, each shown on a hand-written observation (spec/PROCEDURE.md).
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { publishedContract } from '../../src/contract.js';

const contract = publishedContract();
const failed = (error: unknown) => ({ object: 'response', status: 'failed', error });

describe('the issue example', () => {
  it('classifies a failed background Response with rate_limit_exceeded as a retryable RateLimitError', () => {
    const r = classify({ object: 'response', status: 'failed', error: { code: 'rate_limit_exceeded', message: 'x' } });
    expect(r).toMatchObject({
      outcome: 'failed',
      kind: 'rate_limit_error',
      retryable: true,
      throttling: true,
      http_status: 429,
    });
    expect(r.sdk).toEqual({
      python: 'openai.RateLimitError',
      node: 'RateLimitError',
      go: '*openai.Error',
      java: 'com.openai.errors.RateLimitException',
    });
  });
});

describe('responses', () => {
  it('pending statuses have no kind', () => {
    for (const status of ['queued', 'in_progress']) {
      expect(classify({ object: 'response', status })).toMatchObject({
        outcome: 'pending',
        kind: null,
        retryable: false,
        sdk: null,
      });
    }
  });
  it('error.code wins over error.type; error.type is used when code is absent', () => {
    expect(classify(failed({ code: 'server_error', type: 'guardrail_violation' })).entry).toBe(
      'error.code/server_error',
    );
    expect(classify(failed({ type: 'guardrail_violation', message: 'm' })).entry).toBe(
      'error.type/guardrail_violation',
    );
  });
  it('an unknown code takes the code fallback; an unknown type alone takes the type fallback', () => {
    expect(classify(failed({ code: 'brand_new_code' })).entry).toBe('response.error.code/*');
    expect(classify(failed({ type: 'brand_new_type' })).entry).toBe('response.error.type/*');
  });
  it('a null or missing error takes the fallback of the first reason field, not retryable', () => {
    for (const error of [null, undefined, {}, 'server_error', 42]) {
      const r = classify(failed(error));
      expect(r).toMatchObject({
        outcome: 'failed',
        entry: 'response.error.code/*',
        kind: 'api_error',
        retryable: false,
      });
    }
  });
  it('incomplete is refined by incomplete_details.reason', () => {
    const r = classify({
      object: 'response',
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
    expect(r).toMatchObject({ outcome: 'incomplete', kind: 'length_finish_reason_error', retryable: false });
    expect(classify({ object: 'response', status: 'incomplete', incomplete_details: null }).entry).toBe(
      'response.incomplete_details.reason/*',
    );
  });
  it('a missing or unknown status is invalid', () => {
    for (const status of [undefined, null, 7, 'FAILED', 'done']) {
      expect(classify({ object: 'response', status })).toMatchObject({
        outcome: 'invalid',
        kind: 'api_response_validation_error',
        retryable: false,
        entry: 'response.status/*',
      });
    }
  });
});

describe('matching is exact and never reaches Object.prototype', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    '%s is an unknown value everywhere',
    (key) => {
      expect(classify({ object: 'response', status: key }).entry).toBe('response.status/*');
      expect(classify(failed({ code: key })).entry).toBe('response.error.code/*');
      expect(classify({ object: key, status: 'failed' }).entry).toBe('observation/*');
      expect(classify({ type: key }).entry).toBe('response.stream.event/*');
      expect(
        classify(JSON.parse(`{"object":"response","status":"failed","error":{"${key}":"server_error"}}`)).entry,
      ).toBe('response.error.code/*');
    },
  );
  it('an own __proto__ key from JSON.parse is data, not a prototype', () => {
    const r = classify(JSON.parse('{"__proto__": {"object": "response", "status": "completed"}}'));
    expect(r.entry).toBe('observation/*');
  });
  it('is case-sensitive', () => {
    expect(classify(failed({ code: 'Server_Error' })).entry).toBe('response.error.code/*');
  });
});

describe('HTTP envelopes', () => {
  const http = (status: number, code?: string, headers?: Record<string, string>) => ({
    http_status: status,
    headers,
    body: { error: { message: 'm', type: 't', param: null, code: code ?? null } },
  });
  it('dispatches the status as both SDKs do', () => {
    const expected: [number, string, boolean][] = [
      [400, 'bad_request_error', false],
      [401, 'authentication_error', false],
      [403, 'permission_denied_error', false],
      [404, 'not_found_error', false],
      [408, 'api_status_error', true],
      [409, 'conflict_error', true],
      [422, 'unprocessable_entity_error', false],
      [429, 'rate_limit_error', true],
      [500, 'internal_server_error', true],
      [503, 'internal_server_error', true],
      [599, 'internal_server_error', true],
      [600, 'internal_server_error', true],
      [999, 'internal_server_error', true],
      [402, 'api_status_error', false],
      [413, 'api_status_error', false],
      [302, 'api_status_error', false],
    ];
    for (const [status, kind, retryable] of expected) {
      expect(classify(http(status)), String(status)).toMatchObject({
        outcome: 'failed',
        kind,
        retryable,
        http_status: status,
      });
    }
  });
  it('insufficient_quota is a RateLimitError that must not be retried', () => {
    expect(classify(http(429, 'insufficient_quota'))).toMatchObject({
      kind: 'rate_limit_error',
      retryable: false,
      throttling: true,
      entry: 'error.code/insufficient_quota',
    });
  });
  it('a code refines only a status of its own class', () => {
    expect(classify(http(500, 'insufficient_quota'))).toMatchObject({
      kind: 'internal_server_error',
      retryable: true,
      entry: 'http.status/>=500',
    });
  });
  it('reads the code where python does: body.error.code, else body.code', () => {
    expect(classify({ http_status: 429, body: { code: 'insufficient_quota' } }).entry).toBe(
      'error.code/insufficient_quota',
    );
  });
  it('x-should-retry overrides retryable, with any header-name case', () => {
    expect(classify(http(400, undefined, { 'X-Should-Retry': 'true' })).retryable).toBe(true);
    expect(classify(http(503, undefined, { 'x-should-retry': 'false' })).retryable).toBe(false);
    expect(classify(http(429, 'insufficient_quota', { 'x-should-retry': 'true' })).retryable).toBe(true);
    expect(classify(http(503, undefined, { 'x-should-retry': 'yes' })).retryable).toBe(true);
  });
  it('a 2xx envelope classifies its body; a 2xx without body and a bad status are invalid', () => {
    expect(classify({ http_status: 200, body: failed({ code: 'server_error' }) }).entry).toBe(
      'error.code/server_error',
    );
    expect(classify({ http_status: 202, body: { object: 'response', status: 'queued' } }).outcome).toBe('pending');
    for (const bad of [
      { http_status: 200 },
      { http_status: 99 },
      { http_status: 1000 },
      { http_status: '429' },
      { http_status: 429.5 },
      { http_status: null },
    ]) {
      expect(classify(bad).entry, JSON.stringify(bad)).toBe('observation/*');
    }
  });
});

describe('stream events', () => {
  it('response.failed classifies its response', () => {
    expect(
      classify({ type: 'response.failed', sequence_number: 3, response: failed({ code: 'server_error' }) }).entry,
    ).toBe('error.code/server_error');
  });
  it('an error event shares the ResponseError vocabulary, else its own fallback', () => {
    expect(
      classify({ type: 'error', code: 'rate_limit_exceeded', message: 'm', param: null, sequence_number: 1 }),
    ).toMatchObject({ kind: 'rate_limit_error', outcome: 'failed' });
    expect(classify({ type: 'error', code: null, message: 'm' }).entry).toBe('response.stream.error.code/*');
  });
  it('an error event with a nested error object is classified by its nested code', () => {
    expect(classify({ type: 'error', error: { type: 'server_error', code: 'server_error', message: 'm' } }).entry).toBe(
      'error.code/server_error',
    );
    expect(classify({ type: 'error', error: { code: 'brand_new' } }).entry).toBe('response.stream.error.error.code/*');
    expect(classify({ type: 'error', code: 'rate_limit_exceeded', error: { code: 'server_error' } }).kind).toBe(
      'rate_limit_error',
    );
  });
  it('content deltas are pending', () => {
    expect(classify({ type: 'response.output_text.delta', delta: 'hi' })).toMatchObject({
      outcome: 'pending',
      kind: null,
    });
  });
  it('a delegating event without an object is invalid, unless the entry has a result of its own', () => {
    expect(classify({ type: 'response.created', response: null }).entry).toBe('observation/*');
    // response.failed without its Response (a webhook delivered without object): failed, of an unknown cause.
    expect(classify({ type: 'response.failed', response: null })).toMatchObject({
      outcome: 'failed',
      kind: 'api_error',
      retryable: false,
      entry: 'response.stream.event/response.failed',
    });
  });
});

describe('multi-valued status paths (chat choices)', () => {
  const chat = (...reasons: unknown[]) => ({
    object: 'chat.completion',
    choices: reasons.map((finish_reason) => ({ index: 0, finish_reason })),
  });
  it('the most severe choice that settles the outcome decides (severity), else the first', () => {
    expect(classify(chat('stop', 'length', 'content_filter')).kind).toBe('content_filter_finish_reason_error');
    expect(classify(chat('content_filter', 'length')).kind).toBe('content_filter_finish_reason_error');
    expect(classify(chat('length', 'error', 'content_filter')).outcome).toBe('failed');
    expect(classify(chat('mystery', 'length')).entry).toBe('chat.completion.finish_reason/length');
    expect(classify(chat('stop', 'tool_calls')).entry).toBe('chat.completion.finish_reason/stop');
    expect(classify(chat('stop', 'mystery')).entry).toBe('chat.completion.finish_reason/*');
    expect(classify(chat()).entry).toBe('chat.completion.finish_reason/*');
    expect(classify({ object: 'chat.completion', choices: 'nope' }).outcome).toBe('invalid');
  });
  it('without a severity, the first choice that settles the outcome decides', () => {
    const modified = structuredClone(contract) as typeof contract;
    delete modified.fields['chat.completion.finish_reason']!.severity;
    const observation = chat('stop', 'length', 'content_filter');
    expect(classify(observation, { contract: modified }).kind).toBe('length_finish_reason_error');
    expect(classify(observation).kind).toBe('content_filter_finish_reason_error');
  });
  it('a deferring status value settles the outcome too', () => {
    // A contract in which `length` defers to a reason field: its failure must still win over an earlier `stop`.
    const modified = structuredClone(contract) as typeof contract;
    const length = modified.entries.find((e) => e.id === 'chat.completion.finish_reason/length')!;
    for (const key of ['kind', 'retryable', 'throttling', 'http_status'] as const) delete length[key];
    length.refined_by = ['response.incomplete_details.reason'];
    const observation = { ...chat('stop', 'length'), incomplete_details: { reason: 'max_output_tokens' } };
    expect(classify(observation, { contract: modified })).toMatchObject({
      outcome: 'incomplete',
      entry: 'response.incomplete_details.reason/max_output_tokens',
    });
  });
});

describe('the compiled classifier', () => {
  it('treats any contract string as data, never as code', () => {
    const hostile = [
      '"); throw new Error("injected"); ("',
      "'; while(true){} '",
      '\u2028\u2029',
      '`${process.exit(3)}`',
      '\\',
      '*/ throw 1 /*',
    ];
    const modified = structuredClone(contract) as typeof contract;
    const template = modified.entries.find((e) => e.id === 'error.code/server_error')!;
    for (const value of hostile)
      modified.entries.push({ ...template, id: `response.error.code/${value}` as never, value });
    const queued = modified.entries.find((e) => e.id === 'response.status/queued')!;
    modified.entries.push({ ...queued, id: 'response.status/x"y' as never, value: 'x"y' });
    modified.fields['a"b' as never] = { ...modified.fields['response.status']!, dispatch: { object: 'obj"ect\n' } };
    for (const value of hostile) {
      expect(classify(failed({ code: value }), { contract: modified }).entry).toBe(`response.error.code/${value}`);
    }
    expect(classify({ object: 'response', status: 'x"y' }, { contract: modified }).outcome).toBe('pending');
  });
});

describe('profiles', () => {
  it('an unknown profile is a RangeError naming the known ones', () => {
    expect(() => classify({}, { profile: 'nope' })).toThrow(/unknown profile "nope".*default/);
  });
  it('the openai profile ignores the compatible error.type vocabulary', () => {
    const body = failed({ type: 'guardrail_violation', message: 'm' });
    expect(classify(body).entry).toBe('error.type/guardrail_violation');
    expect(classify(body, { profile: 'openai' })).toMatchObject({
      entry: 'response.error.code/*',
      kind: 'api_error',
      retryable: false,
    });
    expect(classify(failed({ code: 'server_error' }), { profile: 'openai' }).entry).toBe('error.code/server_error');
  });
});
