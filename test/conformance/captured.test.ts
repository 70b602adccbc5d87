// The captured corpus: real payloads copied from public sources (conformance/captured/<source-kind>/*.json), each
// with an expectation written from its meaning and its sources. The contract must name every one of them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { publishedContract } from '../../src/contract.js';
import { packageRoot } from '../../src/paths.js';
import { CONTRACT_SCHEMA_FILE, readSchemaFile } from '../../src/schema-files.js';

interface Captured {
  description: string;
  source: { kind: string; url: string };
  observation: unknown;
  expect: { outcome: string; kind: string | null; retryable: boolean };
  why: string;
}

const dir = join(packageRoot, 'conformance', 'captured');
const schema = readSchemaFile('captured.schema.json');
// Its outcome is the contract schema's, which it refers to.
const validate = new Ajv2020({ strict: true, strictRequired: false, allErrors: true })
  .addSchema(readSchemaFile(CONTRACT_SCHEMA_FILE))
  .compile(schema);
const cases = readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(dir, d.name))
      .filter((n) => n.endsWith('.json'))
      .map((n) => `${d.name}/${n}`),
  )
  .sort()
  .map((file) => ({ file, data: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Captured }));

describe('the captured corpus', () => {
  it('is large and broad: at least 150 payloads from at least five kinds of source', () => {
    const kinds = new Map<string, number>();
    for (const { data } of cases) kinds.set(data.source.kind, (kinds.get(data.source.kind) ?? 0) + 1);
    console.log(
      `captured corpus: ${cases.length} payloads; ${[...kinds]
        .sort()
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(kinds.size).toBeGreaterThanOrEqual(5);
  });

  it('every file matches schemas/captured.schema.json, sits in the folder of its source kind, and names a kind of the contract', () => {
    const kinds = new Set(Object.keys(publishedContract().kinds));
    for (const { file, data } of cases) {
      expect(validate(data), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(file.split('/')[0], file).toBe(data.source.kind);
      if (data.expect.kind !== null)
        expect(kinds.has(data.expect.kind), `${file}: unknown kind ${data.expect.kind}`).toBe(true);
    }
  });

  it('no payload is captured twice', () => {
    const seen = new Map<string, string>();
    for (const { file, data } of cases) {
      const key = JSON.stringify(data.observation);
      expect(seen.get(key), `${file} repeats ${seen.get(key)}`).toBeUndefined();
      seen.set(key, file);
    }
  });

  it('the contract names every payload as its meaning says (outcome, kind, retryable), but for the known gaps', () => {
    const known = JSON.parse(readFileSync(join(packageRoot, 'conformance', 'baselines', 'captured.json'), 'utf8')) as {
      reasons: Record<string, string>;
      disagreements: Record<string, string>;
    };
    const wrong: string[] = [];
    const gaps: string[] = [];
    for (const { file, data } of cases) {
      const r = classify(data.observation);
      const got = { outcome: r.outcome, kind: r.kind, retryable: r.retryable };
      const agrees =
        got.outcome === data.expect.outcome && got.kind === data.expect.kind && got.retryable === data.expect.retryable;
      if (agrees && file in known.disagreements)
        wrong.push(`${file}: now agrees; remove it from conformance/baselines/captured.json`);
      else if (!agrees && file in known.disagreements) gaps.push(file);
      else if (!agrees)
        wrong.push(`${file}: expected ${JSON.stringify(data.expect)}, got ${JSON.stringify(got)} (${r.entry})`);
    }
    for (const [file, reason] of Object.entries(known.disagreements)) {
      if (!cases.some((c) => c.file === file)) wrong.push(`${file}: listed in the baseline but not captured`);
      if (!(reason in known.reasons)) wrong.push(`${file}: unknown reason ${reason}`);
    }
    console.log(
      `captured corpus: ${cases.length - gaps.length}/${cases.length} agree with their expectation; ${gaps.length} known gaps`,
    );
    expect(wrong).toEqual([]);
  });
});
