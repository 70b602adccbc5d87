#!/usr/bin/env node
// The error-contract CLI: one subcommand a module under commands/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, packageVersion } from '../paths.js';
import { UsageError, type Command } from './command.js';
import { didYouMean, optionsOf } from './suggest.js';
// Each command's module is loaded only when that command runs: start-up stays light for `classify` and `adapter`,
// which are run many times by pipelines and conformance runners, however heavy `generate` or `serve` are.
const loaders: Record<string, () => Promise<Command>> = {
  classify: async () => (await import('./commands/classify.js')).classifyCommand,
  explain: async () => (await import('./commands/explain.js')).explainCommand,
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  generate: async () => (await import('./commands/generate.js')).generateCommand,
  diff: async () => (await import('./commands/diff.js')).diffCommand,
  release: async () => (await import('./commands/release.js')).releaseCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  conformance: async () => (await import('./commands/conformance.js')).conformanceCommand,
  adapter: async () => (await import('./commands/adapter.js')).adapterCommand,
};

async function loadCommands(): Promise<Command[]> {
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
  --help, -h     show help (also: error-contract help <command>, error-contract <command> --help)
  --version, -v  print the package and contract versions
`;
}

function versions(): string {
  const contract = JSON.parse(readFileSync(join(packageRoot, 'generated', 'contract.json'), 'utf8')) as {
    meta: { version: string };
  };
  return `error-contract ${packageVersion()} (contract ${contract.meta.version})\n`;
}

/** A parseArgs error in words, with the option that was probably meant. */
function argumentMessage(error: Error & { code: string }, command: Command): string {
  const options = optionsOf(command.usage);
  const unknown = /^Unknown option '([^']*)'/.exec(error.message);
  if (unknown) {
    const option = unknown[1]!;
    const bare = option.split('=')[0]!;
    const known = options.filter((o) => o.startsWith('--'));
    const hint = didYouMean(bare, known);
    return `unknown option "${option}"${hint || (known.length ? ` (options: ${known.join(', ')})` : ' (it takes no options)')}`;
  }
  const missing = /^Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(error.message);
  if (missing) return `option ${missing[2]} needs a value`;
  const positional = /^Unexpected argument '([^']*)'/.exec(error.message);
  if (positional) return `unexpected argument "${positional[1]}": ${command.name} takes no arguments`;
  const ambiguous = /^Option '(-\w, )?(--[\w-]+)[^']*' does not take an argument/.exec(error.message);
  if (ambiguous) return `option ${ambiguous[2]} takes no value`;
  return error.message;
}

function unknownCommand(name: string): string {
  const hint = didYouMean(name, [...Object.keys(loaders), 'help']);
  return `error-contract: unknown command "${name}"${hint}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest.length > 0) {
    const topic = rest[0]!;
    const load = Object.hasOwn(loaders, topic) ? loaders[topic] : undefined;
    if (!load) {
      process.stderr.write(`${unknownCommand(topic)}Run "error-contract --help" for the list of commands.\n`);
      return 2;
    }
    process.stdout.write((await load()).usage + '\n');
    return 0;
  }
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
    process.stderr.write(`${unknownCommand(name)}\n${await help()}`);
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
      const message =
        error instanceof UsageError ? error.message : argumentMessage(error as Error & { code: string }, command);
      process.stderr.write(`error-contract ${name}: ${message}\nRun "error-contract help ${name}" for usage.\n`);
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
    process.stderr.write(
      `error-contract: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 70;
  },
);
