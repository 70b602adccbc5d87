import { parseArgs } from 'node:util';
import { ProtocolViolation, serveAdapter } from '../../conformance/adapter-server.js';
import { packageVersion } from '../../paths.js';
import { UsageError, type Command } from '../command.js';
import { tablesForOption } from '../profile.js';

export const adapterCommand: Command = {
  name: 'adapter',
  summary: "Speak the conformance protocol on stdin/stdout with this package's classifier (the reference adapter).",
  usage: `Usage: error-contract adapter [--profile NAME]

Answers the conformance protocol (conformance/PROTOCOL.md, version 1) on standard input and output with the
package's own classify(): JSON lines in, JSON lines out, in order, until {"cmd":"stop"} or the end of input.
It is what \`error-contract conformance --adapter "npx error-contract adapter"\` runs.

  --profile NAME   classify under a provider profile (default: "default").

Exit: 0 after stop or the end of input; 2 on input that is not a protocol command.`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { profile: { type: 'string', default: 'default' } },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const tables = tablesForOption(values.profile);
    try {
      await serveAdapter(
        tables,
        { name: 'error-contract', version: packageVersion(), language: 'typescript' },
        process.stdin,
        process.stdout,
      );
    } catch (error) {
      if (error instanceof ProtocolViolation) {
        process.stderr.write(`error-contract adapter: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    return 0;
  },
};
