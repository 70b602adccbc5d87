// The vocabulary audit: every literal of every failure-bearing field of the installed SDKs (openai on PyPI in
// .venv, openai on npm in node_modules) has an entry in generated/contract.json, or an exclusion with a reason in
// test/audit/sdk-fields.yaml. A release of either SDK that adds a value fails here until the data covers it.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../src/paths.js';
import { audit, coverageLine, missingTable, type AuditResult, type ContractLike, type Mapping } from './checker.js';
import { extractNodeVocabulary, type SdkVocabulary } from './node-literals.js';

const python = join(packageRoot, '.venv', 'bin', 'python');

async function pythonVocabulary(): Promise<SdkVocabulary> {
  const { stdout } = await promisify(execFile)(python, [join(packageRoot, 'test', 'audit', 'python_literals.py')], {
    maxBuffer: 64 << 20,
  });
  return JSON.parse(stdout) as SdkVocabulary;
}

describe('SDK vocabulary audit', () => {
  let vocabularies: SdkVocabulary[];
  let result: AuditResult;

  beforeAll(async () => {
    const py = pythonVocabulary(); // runs while the Node SDK is read in-process
    const node = extractNodeVocabulary(join(packageRoot, 'node_modules', 'openai'));
    vocabularies = [await py, node];
    const mapping = parse(readFileSync(join(packageRoot, 'test', 'audit', 'sdk-fields.yaml'), 'utf8')) as Mapping;
    const contract = JSON.parse(readFileSync(join(packageRoot, 'generated', 'contract.json'), 'utf8')) as ContractLike;
    result = audit(vocabularies, mapping, contract);
    const lines = [
      coverageLine(result, { python: vocabularies[0]!.version, node: vocabularies[1]!.version }),
      `  ${result.byEntry} by an entry, ${result.byFallback} by a * fallback (failure-only unions); ${result.excludedValues} values and ${result.excludedFields.length} SDK fields excluded; ${new Set(result.uncovered.map((f) => `${f.contract}\u0000${f.value}`)).size} distinct (contract field, value) pairs missing`,
      ...result.uncovered.map((f) => `  uncovered: ${f.sdk} ${f.field} = "${f.value}" -> ${f.contract} (${f.why})`),
      ...result.unmapped.map((f) => `  unmapped: ${f.sdk} ${f.field} [${f.values.join(', ')}] (${f.file})`),
      ...result.stale.map((s) => `  stale mapping: ${s}`),
      ...result.errors.map((e) => `  extractor error: ${e}`),
    ];
    console.log(lines.join('\n'));
    // AUDIT_MISSING=<file>: also write the uncovered values as a Markdown table (for test/audit/README.md).
    if (process.env.AUDIT_MISSING) writeFileSync(process.env.AUDIT_MISSING, `${missingTable(result)}\n`);
  }, 120_000);

  it('reads both SDKs at their pinned versions', () => {
    const requirements = readFileSync(
      join(packageRoot, 'conformance', 'adapters', 'python', 'requirements.txt'),
      'utf8',
    );
    const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(`openai==${vocabularies[0]!.version}`).toBe(requirements.match(/^openai==\S+/m)?.[0]);
    expect(vocabularies[1]!.version).toBe(pkg.devDependencies.openai);
    expect(result.errors).toEqual([]);
    // The fields the contract is built on are found: the extractors do read the SDKs.
    expect(vocabularies[0]!.fields['openai.types.responses.response.Response.status']?.values).toContain('failed');
    expect(vocabularies[1]!.fields['resources/responses/responses#Response.status']?.values).toContain('failed');
    expect(vocabularies[1]!.fields['resources/beta/threads/runs/runs#Run.LastError.code']?.values).toContain(
      'server_error',
    );
  });

  it('maps every failure-bearing SDK field, and every mapping key matches one', () => {
    expect(result.unmapped.map((f) => `${f.sdk} ${f.field}`)).toEqual([]);
    expect(result.stale).toEqual([]);
  });

  it('covers every literal by an entry of its contract field (or an exclusion)', () => {
    // The full list is printed above; the message names, per contract field, the values it lacks.
    const missing = new Map<string, Set<string>>();
    for (const f of result.uncovered)
      missing.set(
        f.contract,
        (missing.get(f.contract) ?? new Set()).add(f.fallback ? '* (the fallback of a failure-only union)' : f.value),
      );
    const summary = [...missing].map(([field, values]) => `${field}: ${[...values].join(', ')}`).join('\n');
    expect(result.uncovered.length, `uncovered literals, by contract field:\n${summary}`).toBe(0);
  });
});
