// The sanity check of the suite itself: every published vector is valid against its schema, ids and descriptions are
// unique, every expected result is the reference classify(), and every entry of the contract has a vector.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../generated/types.js';
import { classify } from '../../src/classify/classify.js';
import { isReplaced } from '../../src/classify/tables.js';
import { publishedContract } from '../../src/contract.js';
import { groupOf } from '../../src/arbitraries/groups.js';
import { GROUPS, validator, vectorSchemaId } from '../../src/conformance/schemas.js';
import {
  deriveVectors,
  edgeCaseVectors,
  edgeCasesDir,
  expectedOf,
  loadVectors,
  renderVectorFiles,
  UnreachableEntryError,
  vectorsDir,
} from '../../src/conformance/vectors.js';

const contract = publishedContract();
const vectors = loadVectors();
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('the published vectors', () => {
  it('are one file per group, each valid against schemas/vector.schema.json and of its contract version', () => {
    const validate = validator(vectorSchemaId);
    expect(readdirSync(vectorsDir).sort()).toEqual(GROUPS.map((g) => `${g}.json`).sort());
    for (const group of GROUPS) {
      const file = JSON.parse(readFileSync(join(vectorsDir, `${group}.json`), 'utf8')) as {
        group: string;
        contract_version: string;
        vectors: { group: string }[];
      };
      expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
      expect(file.group).toBe(group);
      expect(file.contract_version).toBe(contract.meta.version);
      expect(file.vectors.every((v) => v.group === group)).toBe(true);
      expect(file.vectors.length, group).toBeGreaterThan(0);
    }
  });

  it('have unique ids and unique descriptions', () => {
    const ids = vectors.map((v) => v.id);
    const descriptions = vectors.map((v) => v.description);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(descriptions).size).toBe(descriptions.length);
  });

  it('expect exactly what the reference classify() returns', () => {
    const wrong = vectors
      .filter((v) => JSON.stringify(expectedOf(classify(v.observation))) !== JSON.stringify(v.expected))
      .map((v) => v.id);
    expect(wrong).toEqual([]);
  });

  it('cover every entry of the contract: each entry decides (or defers in) at least one derived vector', () => {
    const derivedIds = new Set(vectors.map((v) => v.id.split('@')[0]!));
    // A replaced entry takes no part in classification: its replacement's vectors stand for it.
    const missing = contract.entries
      .filter((e) => !isReplaced(e))
      .map((e) => e.id)
      .filter((id) => !derivedIds.has(id));
    expect(missing).toEqual([]);
  });

  it('put derived vectors in the group their observation dispatches to', () => {
    for (const v of deriveVectors(contract)) expect(groupOf(contract, v.observation), v.id).toBe(v.group);
  });

  it('have every group and both levels, and hand-written ids that name their group', () => {
    for (const v of vectors.filter((x) => x.id.includes(':') && !x.id.includes('/')))
      expect(v.id.startsWith(`${v.group}:`), v.id).toBe(true);
    expect(new Set(vectors.map((v) => v.level))).toEqual(new Set(['MUST', 'SHOULD']));
  });

  it('are what generate renders now (the suite cannot drift from the data)', () => {
    for (const [path, content] of renderVectorFiles(contract))
      expect(readFileSync(join(vectorsDir, '..', path), 'utf8'), path).toBe(content);
  });
});

describe('deriving vectors', () => {
  it('derives the same vectors twice (stable ids, stable order)', () => {
    expect(JSON.stringify(deriveVectors(contract))).toBe(JSON.stringify(deriveVectors(contract)));
  });

  it('names the entries no observation can reach instead of silently leaving them out', () => {
    // A reason field that no status entry reads: its values have no host object.
    const orphan = structuredClone(contract) as Contract;
    const field = Object.keys(orphan.fields).find(
      (id) => orphan.fields[id]!.role === 'reason' && id === 'response.incomplete_details.reason',
    )!;
    for (const e of orphan.entries) if (e.refined_by) e.refined_by = e.refined_by.filter((f) => f !== field);
    for (const e of orphan.entries) if (e.refined_by?.length === 0) delete e.refined_by;
    expect(() => deriveVectors(orphan)).toThrow(UnreachableEntryError);
    expect(() => deriveVectors(orphan)).toThrow(/response\.incomplete_details\.reason\/max_output_tokens/);
  });
});

describe('hand-written edge cases', () => {
  const dirWith = (cases: unknown[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'ec-edge-'));
    temps.push(dir);
    writeFileSync(join(dir, 'cases.json'), JSON.stringify({ cases }));
    return dir;
  };
  const edge = {
    id: 'robustness:x',
    description: 'x',
    group: 'robustness',
    level: 'MUST',
    observation: 42,
    expect: { outcome: 'invalid' },
  };

  it('are all in conformance/edge-cases/ and all published', () => {
    const published = new Set(vectors.map((v) => v.id));
    const cases = edgeCaseVectors(contract, edgeCasesDir);
    expect(cases.length).toBeGreaterThan(50);
    for (const c of cases) expect(published.has(c.id), c.id).toBe(true);
  });

  it('get their full expected result from the reference', () => {
    const [vector] = edgeCaseVectors(contract, dirWith([edge]));
    expect(vector!.expected).toEqual(expectedOf(classify(42)));
  });

  it('fail generation, naming the file and the case, when what they expect is no longer true', () => {
    const dir = dirWith([{ ...edge, expect: { outcome: 'failed', retryable: true } }]);
    expect(() => edgeCaseVectors(contract, dir)).toThrow(
      /cases\.json: robustness:x: expects outcome "failed" but the reference gives "invalid"/,
    );
  });

  it('reject malformed cases and ids outside their group', () => {
    expect(() => edgeCaseVectors(contract, dirWith([{ ...edge, level: 'MAY' }]))).toThrow(/cases\.json/);
    expect(() => edgeCaseVectors(contract, dirWith([{ ...edge, id: 'http:x' }]))).toThrow(/must start with its group/);
  });

  it('expand large values at a path', () => {
    const [long, deep] = edgeCaseVectors(
      contract,
      dirWith([
        {
          ...edge,
          id: 'robustness:long',
          observation: { object: 'response', status: 'failed' },
          expand: { path: 'error.code', repeat: 'ab', times: 3 },
          expect: { outcome: 'failed' },
        },
        {
          ...edge,
          id: 'robustness:deep',
          description: 'y',
          observation: { object: 'response' },
          expand: { path: 'status', depth: 3, key: 'k', leaf: 1 },
          expect: { outcome: 'invalid' },
        },
      ]),
    );
    expect(long!.observation).toEqual({ object: 'response', status: 'failed', error: { code: 'ababab' } });
    expect(deep!.observation).toEqual({ object: 'response', status: { k: { k: { k: 1 } } } });
  });

  it('keep a "__proto__" key as a key of the observation', () => {
    const v = vectors.find((x) => x.id === 'robustness:extra-keys')!;
    expect(Object.hasOwn(v.observation as object, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(v.observation)).toBe(Object.prototype);
  });
});
