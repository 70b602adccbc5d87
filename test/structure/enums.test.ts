// Every enum is written once. In schemas/, a second schema that needs the outcome (or a field role, a source type, …)
// refers to the one definition with `$ref`; in code, a list of an enum's values is read from the schema or typed with
// the generated types. A copy, or a copy that has drifted from its source, fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot, schemasDir } from '../../src/paths.js';

interface SchemaEnum {
  at: string;
  values: string[];
}

function schemaEnums(): SchemaEnum[] {
  const found: SchemaEnum[] = [];
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((value, i) => walk(value, `${at}/${i}`));
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'enum' && Array.isArray(value))
        found.push({ at, values: value.filter((v): v is string => typeof v === 'string') });
      walk(value, `${at}/${key}`);
    }
  };
  const files = readdirSync(schemasDir, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.schema.json'),
  );
  for (const file of files.sort()) walk(JSON.parse(readFileSync(join(schemasDir, file), 'utf8')), `${file}#`);
  return found;
}

/** Two enums that share this many values are one list written twice (or a copy that drifted). */
const SHARED_VALUES_OF_A_COPY = 3;

function sharedValues(a: SchemaEnum, b: SchemaEnum): string[] {
  return a.values.filter((v) => b.values.includes(v));
}

/**
 * Lists of quoted literals in code: three or more strings separated only by commas or `|` (an array, a set, a tuple,
 * a union type), each as the set of its values.
 */
function literalLists(text: string): { line: number; values: Set<string> }[] {
  const literal = String.raw`(?:'[^'\n]*'|"[^"\n]*")`;
  const list = new RegExp(`${literal}(?:\\s*[,|]\\s*${literal}){2,}`, 'g');
  return [...text.matchAll(list)].map((m) => ({
    line: text.slice(0, m.index).split('\n').length,
    values: new Set([...m[0].matchAll(new RegExp(literal, 'g'))].map((l) => l[0].slice(1, -1))),
  }));
}

function codeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return ['node_modules', '.cache', '__pycache__'].includes(d.name) ? [] : codeFiles(path);
    return /\.(ts|mts|mjs|js|py)$/.test(d.name) && !d.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('enums', () => {
  const enums = schemaEnums();

  it('are found in schemas/ (the outcome among them)', () => {
    expect(enums.length).toBeGreaterThan(10);
    expect(enums.some((e) => e.values.includes('incomplete') && e.values.includes('invalid'))).toBe(true);
  });

  it('are written once in schemas/: another schema refers to the one definition', () => {
    const copies: string[] = [];
    for (let i = 0; i < enums.length; i++)
      for (let j = i + 1; j < enums.length; j++) {
        const shared = sharedValues(enums[i]!, enums[j]!);
        const smaller = Math.min(enums[i]!.values.length, enums[j]!.values.length);
        if (shared.length >= Math.min(SHARED_VALUES_OF_A_COPY, smaller) && shared.length > 1)
          copies.push(`${enums[i]!.at} and ${enums[j]!.at} share ${shared.join(', ')}`);
      }
    expect(copies).toEqual([]);
  });

  it('are not copied into code: a list holding every value of an enum is read from its schema instead', () => {
    const copies: string[] = [];
    const roots = ['src', 'test', 'conformance'].map((d) => join(packageRoot, d));
    for (const file of roots.flatMap(codeFiles)) {
      for (const { line, values } of literalLists(readFileSync(file, 'utf8'))) {
        for (const e of enums) {
          if (e.values.length >= SHARED_VALUES_OF_A_COPY && e.values.every((v) => values.has(v)))
            copies.push(`${relative(packageRoot, file)}:${line} lists every value of ${e.at}`);
        }
      }
    }
    expect(copies).toEqual([]);
  });

  it('the checks can fail: a copied list is found in code and between schemas', () => {
    const outcome = enums.find((e) => e.at === 'contract.schema.json#/$defs/outcome')!;
    expect(outcome.values.length).toBeGreaterThanOrEqual(SHARED_VALUES_OF_A_COPY);
    const union = outcome.values.map((v) => `'${v}'`).join(' | ');
    const [found] = literalLists(`type Outcome =\n  ${union};`);
    expect(outcome.values.every((v) => found!.values.has(v))).toBe(true);
    const drifted = { at: 'copy', values: [...outcome.values.slice(1), 'renamed'] };
    expect(sharedValues(outcome, drifted).length).toBeGreaterThanOrEqual(SHARED_VALUES_OF_A_COPY);
  });
});
