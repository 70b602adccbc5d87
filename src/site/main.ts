// `npm run docs`: builds generated/site/ from the published contract and the project's documents.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generatedDir } from '../paths.js';
import { buildSite } from './build.js';
import { readSiteInput } from './inputs.js';

const usage = `Usage: node dist/src/site/main.js [--out DIR] [--no-api]

Builds the static docs site (default: generated/site/) from generated/contract.json, spec/PROCEDURE.md,
generated/CHANGELOG.md, conformance/PROTOCOL.md (when present) and typedoc's API docs (api/).`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      'no-api': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  const out = values.out ?? join(generatedDir, 'site');
  const count = await buildSite(readSiteInput({ api: !values['no-api'] }), out);
  process.stdout.write(`docs: ${count} pages and files${values['no-api'] ? '' : ' and api/'} in ${out}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = (error as { code?: string }).code;
    process.stderr.write(`docs: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  },
);
