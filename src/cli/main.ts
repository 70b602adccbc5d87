#!/usr/bin/env node
// The error-contract CLI: one subcommand a module under commands/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import { UsageError, type Command } from './command.js';
// Each command's module is loaded only when that command runs: start-up stays light for `classify` and `adapter`,
// which are run many times by pipelines and conformance runners, however heavy `generate` or `serve` are.
const loaders: Record<string, () => Promise<Command>> = {
  classify: async () => (await import('./commands/classify.js')).classifyCommand,
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  generate: async () => (await import('./commands/generate.js')).generateCommand,
  diff: async () => (await import('./commands/diff.js')).diffCommand,
  release: async () => (await import('./commands/release.js')).releaseCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  conformance: async () => (await import('./commands/conformance.js')).conformanceCommand,
  adapter: async () => (await import('./commands/adapter.js')).adapterCommand,
};

export async function loadCommands(): Promise<Command[]> {
  return Promise.all(Object.values(loaders).map((load) => load()));
}

async function help(): Promise<string> {
  const commands = await loadCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  return `Usage: error-contract <command> [options]

The contract for the OpenAI API's asynchronous failures.

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  --help, -h     show help (also: error-contract <command> --help)
  --version, -v  print the package and contract versions
`;
}

function versions(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  const contract = JSON.parse(readFileSync(join(packageRoot, 'generated', 'contract.json'), 'utf8')) as { meta: { version: string } };
  return `error-contract ${pkg.version} (contract ${contract.meta.version})\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(await help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(versions());
    return 0;
  }
  const load = Object.hasOwn(loaders, name) ? loaders[name] : undefined;
  if (!load) {
    process.stderr.write(`error-contract: unknown command "${name}"\n\n${await help()}`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`error-contract ${name}: ${(error as Error).message}\nRun "error-contract ${name} --help" for usage.\n`);
      return 2;
    }
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      process.stderr.write(`error-contract ${name}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

// Quietly stop when the reader of our output goes away (e.g. `| head`).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error-contract: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
