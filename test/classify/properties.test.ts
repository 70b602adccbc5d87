// Properties of classify() over generated inputs (fast-check): total, valid, deterministic, local, falls back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { entryExamples } from '../../src/classify/examples.js';
import { publishedContract } from '../../src/contract.js';
import { validateResult } from '../support/result-schema.js';

const contract = publishedContract();
const examples = entryExamples(contract);
const known = new Set(contract.entries.map((e) => e.value));
// Every key the procedure can read: dispatch (object, type, the dispatch keys, an id with a prefix), each field's path,
// and each entry's envelope and delegate.
const pathKeys = (path: string | undefined) =>
  path === undefined ? [] : path.split('.').map((p) => p.replace('[]', ''));
const keysRead = new Set([
  'object',
  'type',
  'http_status',
  'headers',
  'body',
  'error',
  'code',
  'status',
  'response',
  'id',
  ...Object.values(contract.fields).flatMap((f) => [...pathKeys(f.path), ...(f.dispatch?.key ? [f.dispatch.key] : [])]),
  ...contract.entries.flatMap((e) => [
    ...(e.delegate ? [e.delegate] : []),
    ...(e.envelope ? [e.envelope.http_status, e.envelope.body, e.envelope.headers].flatMap((p) => pathKeys(p)) : []),
  ]),
]);

const anyJson = fc.jsonValue({ maxDepth: 6 });
const hostile = fc.oneof(
  anyJson,
  fc.anything({
    withNullPrototype: true,
    withBigInt: true,
    withMap: true,
    withSet: true,
    withDate: true,
    withTypedArray: true,
    withSparseArray: true,
    withBoxedValues: true,
  }),
  fc.constantFrom<unknown>(undefined, NaN, Infinity, -0, Symbol('s'), () => 1, Object.create(null)),
);
const example = fc.constantFrom(...examples);

describe('classify()', () => {
  it('is total: any value, however malformed, gives a schema-valid result and never throws', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const result = classify(value);
        expect(validateResult(result), JSON.stringify(validateResult.errors)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('is deterministic: the same observation gives the same result, in any order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            anyJson,
            example.map((e) => e.observation),
          ),
          { minLength: 1, maxLength: 20 },
        ),
        (values) => {
          const first = values.map((v) => JSON.stringify(classify(v)));
          const again = [...values]
            .reverse()
            .map((v) => JSON.stringify(classify(structuredClone(v))))
            .reverse();
          expect(again).toEqual(first);
        },
      ),
    );
  });

  it('is local: adding keys the procedure does not read never changes a result', () => {
    const unrelatedKey = fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((k) => !keysRead.has(k) && k !== '__proto__');
    fc.assert(
      fc.property(example, fc.dictionary(unrelatedKey, anyJson, { maxKeys: 5 }), (ex, extra) => {
        const observation = ex.observation;
        if (typeof observation !== 'object' || observation === null) return;
        const widened = { ...extra, ...(observation as object) };
        expect(classify(widened)).toEqual(classify(observation));
      }),
    );
  });

  it('falls back: a value no entry lists takes the fallback of its field', () => {
    const unknown = fc.string({ maxLength: 20 }).filter((s) => !known.has(s));
    fc.assert(
      fc.property(unknown, (code) => {
        expect(classify({ object: 'response', status: 'failed', error: { code } }).entry).toBe('response.error.code/*');
        expect(classify({ object: 'response', status: code }).entry).toBe('response.status/*');
        expect(classify({ http_status: 429, body: { error: { code } } }).entry).toBe('http.status/429');
      }),
    );
  });

  it('survives huge and deeply nested values', () => {
    let deep: unknown = { object: 'response', status: 'failed', error: { code: 'server_error' } };
    for (let i = 0; i < 100_000; i++) deep = { type: 'response.failed', response: deep, nested: [deep] };
    // Delegation is one level deep: the outer event's response is itself an event with no status, read as the
    // failed Response the event type names (delegate_status), and never unwound further.
    expect(classify(deep).entry).toBe('response.error.code/*');
    const wide = {
      object: 'chat.completion',
      choices: Array.from({ length: 100_000 }, () => ({ finish_reason: 'stop' })),
    };
    expect(classify(wide).outcome).toBe('completed');
    const long = { object: 'response', status: 'failed', error: { code: 'x'.repeat(5_000_000) } };
    expect(classify(long).entry).toBe('response.error.code/*');
  });
});
