// The property-based phase generates in chunks: chunk after chunk gives exactly the cases of one long run, so a
// disagreement's index (and replay path) means the same case whatever the chunking.
import { describe, expect, it } from 'vitest';
import { tablesFor } from '../../src/classify/classify.js';
import { publishedContract } from '../../src/contract.js';
import { PropertyPhase } from '../../src/conformance/property.js';
import { GROUPS } from '../../src/conformance/schemas.js';

const phase = (runs: number) => {
  const p = new PropertyPhase({
    contract: publishedContract(),
    tables: tablesFor(),
    seed: 11,
    runs,
    replayCommand: (path) => path,
  });
  p.prepare([...GROUPS]);
  return p;
};

describe('PropertyPhase.generate', () => {
  it('chunks are the cases of one long run, indexed from the start of the seed', () => {
    const whole = phase(600).generate(0, 600).cases;
    const chunked = phase(600);
    const parts = [chunked.generate(0, 250), chunked.generate(250, 100), chunked.generate(350, 250)].flatMap(
      (c) => c.cases,
    );
    expect(parts.map((c) => [c.index, c.text])).toEqual(whole.map((c) => [c.index, c.text]));
    expect(whole.map((c) => c.index)).toEqual([...Array(600).keys()]);
  });

  it('counts what it generated, and drops (and counts) cases outside the groups', () => {
    const p = new PropertyPhase({
      contract: publishedContract(),
      tables: tablesFor(),
      seed: 11,
      runs: 500,
      replayCommand: (path) => path,
    });
    p.prepare(['http']);
    const { cases } = p.generate(0, 500);
    expect(p.summary.generated).toBe(500);
    expect(p.summary.outside_groups + cases.length).toBe(500);
    expect(cases.every((c) => c.group === 'http')).toBe(true);
  });

  it('generates nothing without groups or runs', () => {
    const p = new PropertyPhase({
      contract: publishedContract(),
      tables: tablesFor(),
      seed: 1,
      runs: 100,
      replayCommand: (path) => path,
    });
    p.prepare([]);
    expect(p.total).toBe(0);
    expect(p.generate(0, 100).cases).toEqual([]);
  });
});
