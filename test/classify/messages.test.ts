// Step 6's reading of a message: the text_delay format (a Go duration or a delay in words after a phrase) and the
// message rules: request-above-limit checked against arithmetic done another way (rationals in BigInt over the
// written digits), and the phrase rules' matching and scope.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/index.js';
import { publishedContract } from '../../src/contract.js';
import { parseTextDelay, phrasePattern } from '../../src/classify/hints.js';

const MAX = 2_147_483_647;
const NS: Record<string, bigint> = {
  h: 3_600_000_000_000n,
  m: 60_000_000_000n,
  s: 1_000_000_000n,
  ms: 1_000_000n,
  us: 1_000n,
  µs: 1_000n,
  ns: 1n,
};
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** The milliseconds of components, each rounded up to a nanosecond, the sum up to a millisecond, at most MAX. */
function expectedMs(components: { whole: string; fraction: string; unit: string }[]): number {
  let total = 0n;
  for (const { whole, fraction, unit } of components) {
    const scale = 10n ** BigInt(fraction.length);
    total += ceilDiv(BigInt(whole + fraction) * NS[unit]!, scale);
  }
  const ms = ceilDiv(total, 1_000_000n);
  return ms > BigInt(MAX) ? MAX : Number(ms);
}

const component = fc.record({
  whole: fc.stringMatching(/^[0-9]{1,6}$/),
  fraction: fc.oneof(fc.constant(''), fc.stringMatching(/^[0-9]{1,12}$/)),
  unit: fc.constantFrom('h', 'm', 's', 'ms', 'us', 'µs', 'ns'),
});
const written = (c: { whole: string; fraction: string; unit: string }) =>
  c.whole + (c.fraction === '' ? '' : `.${c.fraction}`) + c.unit;

describe('text_delay', () => {
  const phrase = phrasePattern('try again in ');

  it('a Go duration after the phrase is the sum of its components, rounded up as the procedure says', () => {
    fc.assert(
      fc.property(
        fc.array(component, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('', '.', ' Visit'),
        (cs, end) => {
          // Each component starts with a digit, so units never run together ("5m" then "3s" is 5m3s; "ms" is read first).
          const text = `Please try again in ${cs.map(written).join('')}${end}`;
          expect(parseTextDelay(text, phrase, MAX)).toBe(expectedMs(cs));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads the words form, the phrase in any case, and only the first occurrence', () => {
    expect(parseTextDelay('Rate limit is exceeded. Try again in 60 seconds.', phrase, MAX)).toBe(60_000);
    expect(parseTextDelay('TRY AGAIN IN 1 second', phrase, MAX)).toBe(1_000);
    expect(parseTextDelay('try again in 2.5 milliseconds', phrase, MAX)).toBe(3);
    expect(parseTextDelay('try again in a moment; try again in 5s', phrase, MAX)).toBeUndefined();
    expect(parseTextDelay('try again in 5 s', phrase, MAX)).toBeUndefined();
    expect(parseTextDelay('try again in 5', phrase, MAX)).toBeUndefined();
    expect(parseTextDelay('try again in .5s', phrase, MAX)).toBeUndefined();
    expect(parseTextDelay(`try again in 1.${'0'.repeat(19)}1s`, phrase, MAX)).toBeUndefined();
    expect(parseTextDelay('try again in 9999999999999999h', phrase, MAX)).toBe(MAX);
    expect(parseTextDelay('nothing to see', phrase, MAX)).toBeUndefined();
    // A Kelvin sign is no "k", and no other letter folds either: only ASCII letters match in either case.
    expect(parseTextDelay('try \u212Aagain in 5s', phrasePattern('try kagain in '), MAX)).toBeUndefined();
  });
});

describe('the request-above-limit rule', () => {
  const envelope = (message: string, status = 429) => ({
    http_status: status,
    body: { error: { message, type: 'tokens', code: 'rate_limit_exceeded' } },
  });

  it('fires exactly when one request asks for more than the limit, comparing the digits as integers', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.boolean(),
        fc.nat({ max: 3 }),
        (limit, requested, used, tilde, zeros) => {
          const pad = '0'.repeat(zeros);
          const message = `Rate limit reached on tokens per min (TPM): Limit ${pad}${limit}, ${used === undefined ? '' : `Used ${used}, `}Requested ${tilde ? '~' : ''}${requested}.`;
          const r = classify(envelope(message));
          expect(r.kind).toBe('rate_limit_error');
          expect(r.retryable).toBe(!(requested > limit));
          expect(r.action).toBe(requested > limit ? 'shrink_input' : 'back_off_and_retry');
          expect((r as { rule?: string }).rule).toBe(requested > limit ? 'request-above-limit' : undefined);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('applies to its kinds only, on an envelope and a bare body alike', () => {
    expect(classify(envelope('Limit 1, Requested 2', 500)).retryable).toBe(true);
    const failed = (message: string) => ({
      object: 'response',
      status: 'failed',
      error: { code: 'rate_limit_exceeded', message },
    });
    for (const message of ['Limit 1, Requested 2', 'Limit 3, Requested 2']) {
      const bare = classify(failed(message));
      const http = classify(envelope(message));
      expect(bare.retryable, message).toBe(http.retryable);
      expect((bare as { rule?: string }).rule, message).toBe((http as { rule?: string }).rule);
    }
    expect(classify(failed('Limit 1, Requested 2')).retryable).toBe(false);
    // A stream error event and a response.failed event read the message beside the code that decided.
    const error = { type: 'tokens', code: 'rate_limit_exceeded', message: 'Limit 1, Requested 2' };
    expect(classify({ type: 'error', error }).retryable).toBe(false);
    expect(
      classify({ type: 'response.failed', response: { object: 'response', status: 'failed', error } }).retryable,
    ).toBe(false);
  });
});

describe('phrase rules', () => {
  const rules = Object.entries(publishedContract().message_rules ?? {}).filter(([, r]) => r.test === 'phrases');
  /** Each ASCII letter of `text` in the case `upper` says, position by position. */
  const recased = (text: string, upper: boolean[]) =>
    [...text].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c.toLowerCase())).join('');

  it('the published contract has phrase rules, each with phrases', () => {
    expect(rules.length).toBeGreaterThan(0);
    for (const [id, r] of rules) expect(r.phrases?.length, id).toBeGreaterThan(0);
  });

  it('a fallback-scoped rule names the failure of an error with no listed code or type, in any ASCII case', () => {
    const fallback = rules.filter(([, r]) => r.scope === 'fallback' && r.kinds.includes('api_error'));
    expect(fallback.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(
        fc.constantFrom(...fallback),
        fc.nat(),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('', 'Upstream said: '),
        ([id, rule], pick, upper, before) => {
          const phrase = rule.phrases![pick % rule.phrases!.length]!;
          const message = `${before}${recased(phrase, upper)}.`;
          const r = classify({ error: { message } }) as { kind: string; retryable: boolean; rule?: string };
          // An earlier rule may hold for the same words; the first that holds decides.
          expect(r.rule, message).toBeDefined();
          if (r.rule === id) {
            expect(r.kind).toBe(rule.kind ?? 'api_error');
            expect(r.retryable).toBe(rule.retryable);
          }
          // A code the contract lists keeps its meaning: the fallback scope never reads past it.
          const listed = classify({ error: { code: 'insufficient_quota', message } }) as {
            rule?: string;
            entry: string;
          };
          expect(listed.entry).toBe('error.code/insufficient_quota');
          expect(listed.rule).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('only ASCII letters fold: a phrase with a letter replaced by a look-alike is no match', () => {
    // The Kelvin sign folds to k, and the dotted capital I to i, in Unicode's case mappings, never in a phrase.
    const lookAlike: Record<string, string> = { k: '\u212A', i: '\u0130' };
    for (const [id, rule] of rules)
      for (const phrase of rule.phrases!) {
        const at = [...phrase].findIndex((c) => lookAlike[c.toLowerCase()] !== undefined);
        if (at < 0) continue;
        const message = [...phrase].map((c, i) => (i === at ? lookAlike[c.toLowerCase()] : c)).join('');
        // An error of the rule's first kind: no type for the fallback's api_error, else a type of that kind.
        const type = {
          api_error: undefined,
          internal_server_error: 'api_error',
          bad_request_error: 'invalid_request_error',
        }[rule.kinds[0] as string];
        const body = (text: string) => ({ error: { message: text, ...(type === undefined ? {} : { type }) } });
        // The phrase as written matches (the control), the look-alike does not.
        expect((classify(body(phrase)) as { rule?: string }).rule, `${id}: ${phrase}`).toBe(id);
        expect((classify(body(message)) as { rule?: string }).rule === id, `${id}: ${message}`).toBe(false);
      }
  });
});
