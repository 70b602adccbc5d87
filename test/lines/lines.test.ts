// The line reader of `classify --jsonl` and of the conformance runner: any text cut into chunks anywhere gives the
// same lines as splitting it whole; a line past maxLength is reported (with its number) and dropped, not kept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineReader, LineTooLong } from '../../src/lines.js';

/** The reference: the whole text split at once. */
function splitWhole(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Cuts `text` at the given fractions (any boundary: inside a line, at a \r, right after a \n). */
function cut(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((f) => Math.floor(f * text.length)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let at = 0;
  for (const p of points) {
    if (p > at) chunks.push(text.slice(at, p));
    at = Math.max(at, p);
  }
  chunks.push(text.slice(at));
  return chunks.filter((c) => c.length > 0);
}

// Lines of every length class: empty, short, around a typical 64 KiB chunk, with \r inside or at the end.
const line = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 20 }).map((s) => s.replace(/\n/g, ' ')),
  fc.constantFrom('\r', 'a\rb', '{"x":1}\r'),
  fc.tuple(fc.integer({ min: 1, max: 70_000 }), fc.constantFrom('x', 'é', '\u{1F600}')).map(([n, c]) => c.repeat(n)),
);
const text = fc
  .tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([lines, eol, trailing]) => lines.join(eol) + (trailing && lines.length > 0 ? eol : ''));
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 });

describe('LineReader', () => {
  it('gives the lines of the whole text, however it is cut into chunks (fuzz: random boundaries and lengths)', () => {
    fc.assert(
      fc.property(text, cuts, (t, c) => {
        const got: string[] = [];
        const reader = new LineReader((l) => got.push(l));
        for (const chunk of cut(t, c)) reader.push(chunk);
        reader.end();
        expect(got).toEqual(splitWhole(t));
        expect(reader.lineCount).toBe(got.length);
        expect(reader.pendingLength).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('reports each line longer than maxLength with its number, keeps none of it, and goes on (fuzz)', () => {
    fc.assert(
      fc.property(text, cuts, fc.integer({ min: 0, max: 80_000 }), (t, c, max) => {
        const whole = splitWhole(t);
        const got: Array<string | number> = [];
        let peak = 0;
        const reader = new LineReader(
          (l) => got.push(l),
          max,
          (e) => got.push(-e.lineNumber),
        );
        for (const chunk of cut(t, c)) {
          reader.push(chunk);
          peak = Math.max(peak, reader.pendingLength);
        }
        reader.end();
        expect(got).toEqual(whole.map((l, i) => (l.length > max ? -(i + 1) : l)));
        // Memory: never more than maxLength (+1 for a \r) of a line in progress.
        expect(peak).toBeLessThanOrEqual(max + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('without onTooLong, push() throws LineTooLong as soon as a line passes maxLength', () => {
    const reader = new LineReader(() => {}, 10);
    reader.push('short\n0123456789');
    expect(() => reader.push('x')).toThrow(LineTooLong);
    const tolerant = new LineReader(() => {}, 10);
    expect(() => tolerant.push('0123456789\r\n')).not.toThrow();
  });

  it('is linear: a 64 MiB line in 64 KiB chunks is read in one pass (the old split rescanned the pending text each chunk)', () => {
    const chunk = 'x'.repeat(1 << 16);
    let length = -1;
    const reader = new LineReader((l) => (length = l.length));
    const started = performance.now();
    for (let i = 0; i < 1024; i++) reader.push(chunk);
    reader.push('\n');
    expect(length).toBe(1 << 26);
    // Generous (a quadratic reader takes minutes here; this takes well under a second).
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
