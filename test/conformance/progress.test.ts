// Progress: a live, rewritten line on a terminal; one quiet line per phase anywhere else (CI logs).
import { describe, expect, it } from 'vitest';
import { progressOn } from '../../src/conformance/progress.js';

function fakeStream() {
  const writes: string[] = [];
  return { writes, stream: { write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream };
}

describe('progressOn', () => {
  it('on a terminal: rewrites one line, at most ten times a second, and clears it at the end', () => {
    const { writes, stream } = fakeStream();
    const progress = progressOn(stream, true);
    for (let i = 1; i <= 5000; i++) progress.update('vectors', i, 5000);
    progress.finish();
    expect(writes.length).toBeLessThan(20);
    expect(writes[0]).toMatch(/^\r\x1b\[Kvectors \d+\/5000$/);
    expect(writes).toContain('\r\x1b[Kvectors 5000/5000');
    expect(writes[writes.length - 1]).toBe('\r\x1b[K');
  });

  it('elsewhere: one line when a phase completes, no control characters', () => {
    const { writes, stream } = fakeStream();
    const progress = progressOn(stream, false);
    for (let i = 1; i <= 3000; i++) progress.update('property', i, 3000);
    progress.update('property', 3000, 3000);
    progress.finish();
    expect(writes).toEqual(['conformance: property: 3000 case(s) answered\n']);
  });
});
