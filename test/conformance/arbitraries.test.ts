// error-contract/arbitraries: deterministic per seed, JSON values only, restricted to the groups asked for, and
// broad enough to reach nearly every entry of the contract.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fieldValue,
  groupArbitraries,
  knownValues,
  mutation,
  observation,
  unknownString,
} from '../../src/arbitraries/index.js';
import { classify } from '../../src/classify/classify.js';
import { isReplaced } from '../../src/classify/tables.js';
import { publishedContract } from '../../src/contract.js';
import { groupOf } from '../../src/arbitraries/groups.js';
import { GROUPS } from '../../src/conformance/schemas.js';
import { CONTRACT_SCHEMA_FILE, readSchemaFile } from '../../src/schema-files.js';

const contract = publishedContract();

describe('observation()', () => {
  it('is deterministic for a seed', () => {
    const a = fc.sample(observation(), { seed: 42, numRuns: 300 });
    const b = fc.sample(observation(), { seed: 42, numRuns: 300 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('generates JSON values only: each survives a JSON round trip unchanged, and classifies the same after it', () => {
    for (const value of fc.sample(observation(), { seed: 1, numRuns: 5000 })) {
      const text = JSON.stringify(value);
      const parsed: unknown = JSON.parse(text);
      expect(JSON.stringify(parsed)).toBe(text);
      expect(classify(parsed)).toBe(classify(value));
    }
  });

  it('reaches every deciding entry and every outcome, from 150,000 cases', () => {
    const entries = new Set<string>();
    const outcomes = new Set<string>();
    for (const value of fc.sample(observation(), { seed: 3, numRuns: 150_000 })) {
      const r = classify(value);
      entries.add(r.entry);
      outcomes.add(r.outcome);
    }
    // Entries that defer (to reason fields, or to a nested object) never decide a result themselves.
    // A replaced entry takes no part, and an item status that settles nothing leaves the decision to its Response.
    const settlesNothing = (e: (typeof contract.entries)[number]) =>
      contract.fields[e.field]?.role === 'items' && (e.outcome === 'completed' || e.outcome === 'pending');
    const deciding = contract.entries
      .filter((e) => !e.refined_by && !(e.delegate && e.kind === undefined) && !isReplaced(e) && !settlesNothing(e))
      .map((e) => e.id);
    expect(deciding.filter((id) => !entries.has(id))).toEqual([]);
    // Every outcome of the contract schema, the one list of them.
    expect(outcomes).toEqual(
      new Set((readSchemaFile(CONTRACT_SCHEMA_FILE).$defs as { outcome: { enum: string[] } }).outcome.enum),
    );
  });

  it('keeps to the groups asked for (apart from mutations, which may leave them)', () => {
    // The responses group keeps about 0.71 of its values (a quarter are mutations, and some leave it). Any entry
    // added to a vocabulary shifts the seed's draws, and 1,000 of them estimate that share only to about ±0.015,
    // which straddles the bound; 10,000 estimate it to about ±0.005.
    for (const group of GROUPS) {
      const values = fc.sample(observation({ groups: [group] }), { seed: 5, numRuns: 10_000 });
      const inGroup = values.filter((v) => groupOf(contract, v) === group).length;
      expect(inGroup / values.length, group).toBeGreaterThan(0.7);
    }
  });

  it('rejects an empty group list', () => {
    expect(() => observation({ groups: [] })).toThrow(/no groups/);
  });
});

describe('the building blocks', () => {
  it('groupArbitraries() has one arbitrary per group', () => {
    expect(Object.keys(groupArbitraries()).sort()).toEqual([...GROUPS].sort());
  });

  it("knownValues() lists a field's values, without the fallback or thresholds", () => {
    expect(knownValues(contract, 'response.status')).toContain('failed');
    expect(knownValues(contract, 'response.status')).not.toContain('*');
    expect(knownValues(contract, 'batch.request_counts.failed')).toEqual([]);
  });

  it("fieldValue() mostly gives the field's own values, and sometimes anything else", () => {
    const own = new Set(knownValues(contract, 'response.status'));
    const values = fc.sample(fieldValue(contract, 'response.status'), { seed: 2, numRuns: 2000 });
    const share = values.filter((v) => typeof v === 'string' && own.has(v)).length / values.length;
    expect(share).toBeGreaterThan(0.5);
    expect(values.some((v) => typeof v !== 'string')).toBe(true);
  });

  it('unknownString() includes prototype names', () => {
    const values = new Set(fc.sample(unknownString(contract), { seed: 4, numRuns: 2000 }));
    expect(values.has('__proto__')).toBe(true);
    expect(values.has('constructor')).toBe(true);
  });

  it('mutation() changes a real payload without touching the original, keeping __proto__ a plain key', () => {
    const base = { object: 'response', status: 'failed', error: { code: 'server_error' } };
    const frozen = JSON.stringify(base);
    const values = fc.sample(mutation([base], contract), { seed: 6, numRuns: 500 });
    expect(JSON.stringify(base)).toBe(frozen);
    expect(values.some((v) => JSON.stringify(v) !== frozen)).toBe(true);
    for (const v of values) expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });
});
