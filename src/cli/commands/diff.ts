import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkRelease } from '../../diff/check.js';
import { diffReleases, type Release } from '../../diff/diff.js';
import {
  ContractFormatError,
  readContract,
  readSchema,
  siblingSchemaPath,
  type ContractDocument,
} from '../../diff/document.js';
import { formatDiff, FORMATS, type Format } from '../../diff/format.js';
import { bumpPolicyText } from '../../diff/policy.js';
import { listSnapshots, readSnapshot } from '../../diff/releases.js';
import { contractPath, specDir } from '../../paths.js';
import { UsageError, type Command } from '../command.js';
import { buildFromSpec } from '../build-spec.js';
import { writeOut } from '../io.js';

const usage = `Usage: error-contract diff OLD [NEW] [--format text|json|markdown] [--old-schema FILE] [--new-schema FILE]
       error-contract diff --check [--spec DIR] [--releases DIR] [--format text|json|markdown]

Compares two contract.json files entry by entry and prints every change (added, removed, deprecated, a property
changed from old to new) with the semver bump it requires, and the bump of the whole diff:
${bumpPolicyText()}
NEW defaults to the package's generated/contract.json. The published schemas are compared too when found next to
the contracts (X.json -> X.schema.json) or given with --old-schema/--new-schema.

  --format FMT  text (default), json ({"bump": "major|minor|patch|none", "changes": [...]}) or markdown.
  --check       the release gate: builds the contract from spec/ and compares it with the latest snapshot in
                spec/releases/. Fails when spec/contract.yaml's version is lower than the bump requires, when a
                stable entry was deleted instead of deprecated, or when a new entry's since is not the new version.
                Passes before the first release is cut.
  --spec DIR    with --check: the spec directory (default: the package's spec/).
  --releases DIR  with --check: the release snapshots (default: DIR/releases of the spec directory).

Exit: 0 compared (whatever changed) or the check passed; 1 a file is not a contract, or the check failed;
2 usage error or a file cannot be read.`;

function parseFormat(value: string | undefined): Format {
  const format = (value ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${value}"`);
  return format;
}

function side(file: string, schemaFile: string | undefined): Release {
  const contract: ContractDocument = readContract(file);
  const schemaPath = schemaFile ?? siblingSchemaPath(file);
  return { contract, ...(schemaPath ? { schema: readSchema(schemaPath) } : {}) };
}

async function compare(positionals: string[], format: Format, oldSchema?: string, newSchema?: string): Promise<number> {
  if (positionals.length < 1 || positionals.length > 2)
    throw new UsageError('diff takes OLD and optionally NEW (two contract.json files)');
  const [oldFile, newFile = contractPath] = positionals as [string, string?];
  const [old, now] = [side(oldFile, oldSchema), side(newFile, newSchema)];
  if (old.schema === undefined || now.schema === undefined) {
    process.stderr.write(
      'note: the published schemas were not compared (no X.schema.json next to both files; see --old-schema/--new-schema)\n',
    );
  }
  const result = diffReleases(old, now);
  await writeOut(formatDiff(result, format, old.contract.meta.version, now.contract.meta.version));
  return 0;
}

async function check(format: Format, spec: string, releases: string): Promise<number> {
  const built = buildFromSpec('diff --check', spec, '');
  if (typeof built === 'number') return built;
  const current: Release = { contract: built.contract as unknown as ContractDocument, schema: built.publishedSchema };
  const latest = listSnapshots(releases).at(-1);
  const report = checkRelease(current, latest ? readSnapshot(latest) : undefined);
  if (format === 'json') {
    await writeOut(
      JSON.stringify(
        {
          ok: report.problems.length === 0,
          version: report.version,
          latest_release: report.latest ?? null,
          bump: report.diff.bump,
          least_version: report.least,
          problems: report.problems,
          changes: report.diff.changes,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    if (!report.latest) {
      await writeOut(
        `no release snapshot in ${releases} yet: version ${report.version} will be the first release (cut it with "error-contract release")\n`,
      );
    } else {
      await writeOut(formatDiff(report.diff, format, report.latest, report.version));
    }
    for (const p of report.problems) process.stderr.write(`error: ${p}\n`);
    if (report.problems.length === 0 && report.latest) {
      process.stderr.write(
        report.diff.bump === 'none'
          ? `ok: spec/ has no change since release ${report.latest}\n`
          : `ok: version ${report.version} covers the ${report.diff.bump} changes since release ${report.latest}\n`,
      );
    }
  }
  return report.problems.length === 0 ? 0 : 1;
}

export const diffCommand: Command = {
  name: 'diff',
  summary:
    'Compare two contract.json files entry by entry and print the semver bump they require; --check gates releases.',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        check: { type: 'boolean', default: false },
        spec: { type: 'string' },
        releases: { type: 'string' },
        'old-schema': { type: 'string' },
        'new-schema': { type: 'string' },
      },
    });
    const format = parseFormat(values.format);
    try {
      if (values.check) {
        if (positionals.length > 0)
          throw new UsageError('--check compares spec/ with the latest release and takes no files');
        if (values['old-schema'] || values['new-schema'])
          throw new UsageError('--old-schema/--new-schema are for comparing two files, not --check');
        const spec = values.spec ?? specDir;
        return await check(format, spec, values.releases ?? join(spec, 'releases'));
      }
      if (values.spec || values.releases) throw new UsageError('--spec and --releases go with --check');
      return await compare(positionals, format, values['old-schema'], values['new-schema']);
    } catch (error) {
      if (error instanceof ContractFormatError) {
        process.stderr.write(`error-contract diff: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
