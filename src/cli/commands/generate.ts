import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildContract } from '../../build/pipeline.js';
import { renderOutputs } from '../../build/outputs.js';
import { compareOutputs, writeOutputs } from '../../build/write.js';
import { generatedDir, specDir } from '../../paths.js';
import { SpecLoadError } from '../../spec/load.js';
import { UsageError, type Command } from '../command.js';
import { formatFinding } from '../io.js';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Build generated/ (contract.json, its schema, TS types, docs, vectors) from spec/, or --check it.',
  usage: `Usage: error-contract generate [--check] [--spec DIR] [--out DIR]

Validates and lints spec/, resolves it into the published contract, validates that against the published schema,
and writes every generated file at once. On any error nothing is written.

  --check      write nothing; exit 1 when generated/ differs from what would be written.
  --spec DIR   the spec directory (default: the package's spec/).
  --out DIR    the output directory (default: the package's generated/).`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { check: { type: 'boolean', default: false }, spec: { type: 'string' }, out: { type: 'string' } },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const out = values.out ?? generatedDir;
    let built;
    try {
      built = buildContract(values.spec ?? specDir);
    } catch (error) {
      if (error instanceof SpecLoadError) {
        process.stderr.write(`error-contract generate: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    for (const f of built.findings) process.stderr.write(formatFinding(f) + '\n');
    if (!built.contract || !built.publishedSchema) {
      process.stderr.write('error-contract generate: spec/ has errors; nothing was written\n');
      return 1;
    }
    const outputs = await renderOutputs(built.contract, built.publishedSchema, { releasesDir: join(values.spec ?? specDir, 'releases') });
    if (values.check) {
      const drift = compareOutputs(out, outputs);
      const stale = [...drift.changed.map((p) => `changed: ${p}`), ...drift.missing.map((p) => `missing: ${p}`), ...drift.extra.map((p) => `not generated: ${p}`)];
      if (stale.length > 0) {
        process.stderr.write(`generated/ is stale (run npm run generate):\n${stale.map((s) => `  ${s}`).join('\n')}\n`);
        return 1;
      }
      process.stdout.write(`generated/ is up to date (${outputs.size} files, contract ${built.contract.meta.version})\n`);
      return 0;
    }
    const drift = writeOutputs(out, outputs);
    const touched = drift.changed.length + drift.missing.length + drift.extra.length;
    process.stdout.write(`generated ${outputs.size} files (${touched} changed) from contract ${built.contract.meta.version}: ${built.contract.entries.length} entries\n`);
    return 0;
  },
};
