import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkRelease } from '../../diff/check.js';
import { ReleaseExistsError, writeSnapshot } from '../../diff/cut.js';
import type { Release } from '../../diff/diff.js';
import { ContractFormatError, type ContractDocument } from '../../diff/document.js';
import { listSnapshots, readSnapshot } from '../../diff/releases.js';
import { specDir } from '../../paths.js';
import { UsageError, type Command } from '../command.js';
import { buildFromSpec } from '../build-spec.js';

export const releaseCommand: Command = {
  name: 'release',
  summary:
    'Cut a release: snapshot the contract built from spec/ into spec/releases/<version>.json (after the diff --check gate).',
  usage: `Usage: error-contract release [--spec DIR] [--releases DIR]

Builds the contract from spec/, runs the same gate as "error-contract diff --check" against the latest snapshot, and
writes spec/releases/<version>.json (the contract.json of the release) and <version>.schema.json (its published
schema). A snapshot that exists is never replaced; cutting the same content again does nothing. Afterwards run
"npm run generate": CHANGELOG.md lists the new release.

  --spec DIR      the spec directory (default: the package's spec/).
  --releases DIR  where snapshots are kept (default: DIR/releases of the spec directory).

Exit: 0 cut (or already cut with this content); 1 the gate failed or the version was cut with other content;
2 usage error or spec/ cannot be read.`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { spec: { type: 'string' }, releases: { type: 'string' } },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const spec = values.spec ?? specDir;
    const releases = values.releases ?? join(spec, 'releases');
    const built = buildFromSpec('release', spec, '; nothing was written');
    if (typeof built === 'number') return built;
    const current: Release = { contract: built.contract as unknown as ContractDocument, schema: built.publishedSchema };
    try {
      const latest = listSnapshots(releases).at(-1);
      const report = checkRelease(current, latest ? readSnapshot(latest) : undefined);
      if (report.problems.length > 0) {
        for (const p of report.problems) process.stderr.write(`error: ${p}\n`);
        process.stderr.write('error-contract release: nothing was written\n');
        return 1;
      }
      const cut = writeSnapshot(releases, current);
      process.stdout.write(
        cut.unchanged
          ? `release ${report.version} is already cut with this content\n`
          : `cut release ${report.version}${report.latest ? ` (a ${report.diff.bump} release after ${report.latest})` : ' (the first release)'}: ${cut.written.join(', ')}\nnow run: npm run generate\n`,
      );
      return 0;
    } catch (error) {
      if (error instanceof ReleaseExistsError || error instanceof ContractFormatError) {
        process.stderr.write(`error-contract release: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
