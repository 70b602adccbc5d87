// Step 6's reading of a message: the text_delay format (a Go duration or a delay in words after a phrase) and the
// request-above-limit rule, checked against arithmetic done another way (rationals in BigInt over the written digits).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/index.js';
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

  it('applies to its kinds only, and never to a bare body', () => {
    expect(classify(envelope('Limit 1, Requested 2', 500)).retryable).toBe(true);
    const failed = {
      object: 'response',
      status: 'failed',
      error: { code: 'rate_limit_exceeded', message: 'Limit 1, Requested 2' },
    };
    expect(classify(failed).retryable).toBe(true);
  });
});
