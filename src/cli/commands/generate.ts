import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderOutputs } from '../../generate/outputs.js';
import { compareOutputs, writeOutputs } from '../../generate/write.js';
import { generatedDir, specDir } from '../../paths.js';
import { UsageError, type Command } from '../command.js';
import { buildFromSpec } from '../build-spec.js';
import { SpecLoadError } from '../../authoring/load.js';

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
    const built = buildFromSpec('generate', values.spec ?? specDir, '; nothing was written');
    if (typeof built === 'number') return built;
    let outputs: Awaited<ReturnType<typeof renderOutputs>>;
    try {
      outputs = await renderOutputs(built.contract, built.publishedSchema, {
        releasesDir: join(values.spec ?? specDir, 'releases'),
      });
    } catch (error) {
      // The data cannot be rendered (an edge case expects what the contract no longer gives, an entry no vector
      // reaches): a fault of the inputs, reported as such, with nothing written.
      if (!(error instanceof SpecLoadError)) throw error;
      process.stderr.write(`error-contract generate: ${error.message}
nothing was written
`);
      return 1;
    }
    if (values.check) {
      const drift = compareOutputs(out, outputs);
      const stale = [
        ...drift.changed.map((p) => `changed: ${p}`),
        ...drift.missing.map((p) => `missing: ${p}`),
        ...drift.extra.map((p) => `not generated: ${p}`),
      ];
      if (stale.length > 0) {
        process.stderr.write(`generated/ is stale (run npm run generate):\n${stale.map((s) => `  ${s}`).join('\n')}\n`);
        return 1;
      }
      process.stdout.write(
        `generated/ is up to date (${outputs.size} files, contract ${built.contract.meta.version})\n`,
      );
      return 0;
    }
    const drift = writeOutputs(out, outputs);
    const touched = drift.changed.length + drift.missing.length + drift.extra.length;
    process.stdout.write(
      `generated ${outputs.size} files (${touched} changed) from contract ${built.contract.meta.version}: ${built.contract.entries.length} entries\n`,
    );
    return 0;
  },
};
