import { parseArgs } from 'node:util';
import { buildModel } from '../../authoring/model.js';
import { loadSpec, SpecLoadError } from '../../authoring/load.js';
import { validateSpec } from '../../authoring/validate.js';
import { lint } from '../../lint/index.js';
import { specDir } from '../../paths.js';
import { UsageError, type Command } from '../command.js';
import { formatFinding } from '../io.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check spec/ against the authoring schemas and every lint check; report problems at file:line:col.',
  usage: `Usage: error-contract validate [DIR]

Validates the spec directory DIR (default: the package's spec/) against the authoring schemas
(schemas/authoring/) and runs every lint check. Problems are printed as file:line:col: level [rule] message.

Exit: 0 no errors (warnings may be printed); 1 errors found; 2 DIR cannot be read.`,
  async run(argv) {
    const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
    if (positionals.length > 1) throw new UsageError('validate takes at most one DIR');
    const dir = positionals[0] ?? specDir;
    let spec;
    try {
      spec = loadSpec(dir);
    } catch (error) {
      if (error instanceof SpecLoadError) {
        process.stderr.write(`error-contract validate: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    let findings = validateSpec(spec);
    if (findings.length === 0) findings = lint(buildModel(spec));
    for (const f of findings) process.stderr.write(formatFinding(f) + '\n');
    const errors = findings.filter((f) => f.level === 'error').length;
    if (errors > 0) {
      process.stderr.write(`${errors} error(s) in ${dir}\n`);
      return 1;
    }
    const entries = spec.files
      .filter((f) => f.role === 'field')
      .reduce((n, f) => n + (f.located.data as { entries: unknown[] }).entries.length, 0);
    process.stdout.write(`ok: ${entries} entries in ${spec.files.filter((f) => f.role === 'field').length} fields\n`);
    return 0;
  },
};
