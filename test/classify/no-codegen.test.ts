// classify() generates no code at run time: the published contract's profiles run the function generated/ holds,
// any other contract the table interpreter, and both give the same result for every observation. Checked where
// code generation from strings is forbidden: node --disallow-code-generation-from-strings and a vm context
// without it (as Workers and edge runtimes run code).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contract } from '../../generated/types.js';
import { classify, classifyWith } from '../../src/classify/classify.js';
import { linkFor, renderClassifiers } from '../../src/classify/compile.js';
import { observation } from '../../src/arbitraries/index.js';
import { entryExamples } from '../../src/classify/examples.js';
import { interpret } from '../../src/classify/interpret.js';
import { buildTables, linkClassifiers, type Tables } from '../../src/classify/tables.js';
import { publishedContract } from '../../src/contract.js';
import { generatedDir, packageRoot } from '../../src/paths.js';

const contract = publishedContract();
const profiles = ['default', ...Object.keys(contract.profiles)];
const vectorFiles = readdirSync(join(generatedDir, 'vectors')).filter((f) => f.endsWith('.json'));
const observations = vectorFiles.flatMap((f) =>
  (
    JSON.parse(readFileSync(join(generatedDir, 'vectors', f), 'utf8')) as { vectors: { observation: unknown }[] }
  ).vectors.map((v) => v.observation),
);
const examples = entryExamples(contract).map((e) => e.observation);

/** The same tables with the interpreter in place of the generated functions. */
function interpreted(tables: Tables): Tables {
  const copy = { ...tables } as Tables;
  return linkClassifiers(copy, interpret(copy));
}

const safely = (tables: Tables, value: unknown) => {
  try {
    return classifyWith(tables, value);
  } catch {
    return tables.invalid;
  }
};

describe('the generated classifier', () => {
  it('generated/ holds the rendering of every profile of the published contract (no profile falls back)', () => {
    for (const profile of profiles)
      expect(linkFor(renderClassifiers(buildTables(contract, profile)).hash), profile).toBeTypeOf('function');
  });

  it('a contract passed at run time whose decisions differ is interpreted, and classifies by its own entries', () => {
    const changed = structuredClone(contract) as Contract;
    const status = changed.entries.find((e) => e.id === 'response.status/cancelled')!;
    changed.entries.push({
      ...status,
      id: 'response.status/paused' as never,
      value: 'paused',
      outcome: 'pending',
      kind: undefined,
    } as never);
    const tables = buildTables(changed);
    expect(linkFor(renderClassifiers(tables).hash)).toBeUndefined();
    expect(classify({ object: 'response', status: 'paused' }, { contract: changed })).toMatchObject({
      outcome: 'pending',
      entry: 'response.status/paused',
    });
    expect(classify({ object: 'response', status: 'paused' }).entry).not.toBe('response.status/paused');
  });

  // The generated code looks reason values up in objects without a prototype, the interpreter in Maps.
  it('values that name Object.prototype members or array indices are looked up like any other value', () => {
    const values = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '0', '1113', '429', ''];
    const shapes = (v: string): unknown[] => [
      { object: 'response', status: 'failed', error: { code: v } },
      { object: 'response', status: 'incomplete', incomplete_details: { reason: v } },
      { object: 'fine_tuning.job', status: 'failed', error: { code: v } },
      { type: 'response.failed', response: { object: 'response', status: 'failed', error: { code: v } } },
      { http_status: 429, body: { error: { code: v, type: v, message: v } } },
    ];
    for (const profile of profiles) {
      const tables = buildTables(contract, profile);
      const other = interpreted(tables);
      for (const v of values)
        for (const o of shapes(v)) expect(safely(tables, o), JSON.stringify(o)).toBe(safely(other, o));
    }
    // Not a listed code: the fallback of a code the contract does not know.
    const unlisted = classify({ object: 'response', status: 'failed', error: { code: 'no_such_code' } });
    for (const v of ['__proto__', 'constructor', 'toString'])
      expect(classify({ object: 'response', status: 'failed', error: { code: v } })).toBe(unlisted);
  });

  for (const profile of profiles) {
    it(`profile ${profile}: the interpreter and the generated function agree on every vector, example and generated value`, () => {
      const tables = buildTables(contract, profile);
      const other = interpreted(tables);
      for (const o of [...observations, ...examples]) expect(safely(other, o)).toBe(safely(tables, o));
      const example = fc.constantFrom(...examples);
      // The contract's own observations: HTTP envelopes with x-should-retry, hint headers and hint bodies among them.
      const generated = observation({ contract });
      // Examples with parts replaced, and any JSON: both paths return the very same frozen result.
      const mutated = fc
        .tuple(
          example,
          fc.jsonValue({ maxDepth: 3 }),
          fc.constantFrom(
            'object',
            'type',
            'status',
            'error',
            'code',
            'http_status',
            'body',
            'response',
            'incomplete_details',
            'choices',
          ),
          fc.nat(3),
        )
        .map(([e, v, key, depth]) => {
          const copy = structuredClone(e) as Record<string, unknown>;
          if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) return copy;
          let at: Record<string, unknown> = copy;
          for (let i = 0; i < depth; i++) {
            const next = Object.values(at).find((x) => typeof x === 'object' && x !== null && !Array.isArray(x));
            if (!next) break;
            at = next as Record<string, unknown>;
          }
          at[key] = v;
          return copy;
        });
      fc.assert(
        fc.property(fc.oneof(mutated, fc.jsonValue({ maxDepth: 5 }), generated), (value) => {
          expect(safely(other, value)).toBe(safely(tables, value));
        }),
        { numRuns: 2000 },
      );
    });
  }
});

describe('where code generation from strings is forbidden', () => {
  it('node --disallow-code-generation-from-strings classifies every vector as expected, with every profile', () => {
    const script = `
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify, publishedContract } from './dist/src/index.js';
import { matches } from './dist/src/conformance/compare.js';
let evaluated = 'no';
try { (0, eval)('1'); evaluated = 'yes'; } catch (e) { evaluated = e.constructor.name; }
const dir = 'generated/vectors';
let total = 0, failed = [];
for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  for (const v of JSON.parse(readFileSync(join(dir, f), 'utf8')).vectors) {
    total++;
    if (!matches(v.expected, classify(v.observation))) failed.push(v.id);
  }
}
const profiles = Object.keys(publishedContract().profiles).map((p) => classify({ object: 'response', status: 'failed', error: { code: 'server_error' } }, { profile: p }).outcome);
console.log(JSON.stringify({ evaluated, total, failed, profiles }));`;
    const r = spawnSync(
      process.execPath,
      ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script],
      { cwd: packageRoot, encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 26 },
    );
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.evaluated).toBe('EvalError');
    expect(out.failed).toEqual([]);
    expect(out.total).toBe(observations.length);
    expect(out.profiles).toEqual(profiles.slice(1).map(() => 'failed'));
  });
});
