import { constants } from 'node:buffer';
import { parseArgs } from 'node:util';
import { classifyWith } from '../../classify/classify.js';
import type { Tables } from '../../classify/tables.js';
import { LineReader } from '../../lines.js';
import { UsageError, type Command } from '../command.js';
import { tablesForOption } from '../profile.js';
import { InputTooLarge, inputStream, readAllInput, writeOut } from '../io.js';
import { explainInvalid } from '../../classify/invalid.js';
import type { Result } from '../../../generated/types.js';
import { formatResult, styleFor } from '../text.js';

export const classifyCommand: Command = {
  name: 'classify',
  summary: 'Classify an observation (an HTTP envelope or an API body): JSON by default, --format text for people.',
  usage: `Usage: error-contract classify [FILE|-] [--jsonl] [--profile NAME] [--format json|text]

Reads one JSON document (an envelope {"http_status", "headers"?, "body"?} or a bare body seen with HTTP 200)
from FILE or standard input and prints one JSON result. An "invalid" result says why in its "message".

  --jsonl          one observation per line -> one result per line, in order, streaming in constant memory.
                   A line that is not JSON gives an "invalid" result naming its line number; blank lines are skipped.
  --profile NAME   classify under a provider profile (default: "default").
  --format FORMAT  json (default): the result as one JSON line; text: the outcome, the SDK classes, whether to
                   retry and the remedy, on a few lines (coloured on a terminal unless NO_COLOR is set).

Example: echo '{"object":"response","status":"failed","error":{"code":"insufficient_quota"}}' | error-contract classify --format text

Without --jsonl the document may be at most 512 MiB (536870888 bytes); a larger one is refused (exit 2).

Exit: 0 printed a result for every input; 2 usage error, unreadable input, or (without --jsonl) input that is not
JSON or larger than 512 MiB.`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        jsonl: { type: 'boolean', default: false },
        profile: { type: 'string', default: 'default' },
        format: { type: 'string', default: 'json' },
      },
      allowPositionals: true,
    });
    if (positionals.length > 1) throw new UsageError('classify takes at most one FILE');
    if (values.format !== 'json' && values.format !== 'text')
      throw new UsageError(`unknown format "${values.format}" (json or text)`);
    const text = values.format === 'text';
    const tables = tablesForOption(values.profile);
    const file = positionals[0];
    const profile = { profile: values.profile };
    if (values.jsonl) return classifyLines(tables, file, profile, text);
    let input: string;
    try {
      input = await readAllInput(file);
    } catch (error) {
      if (!(error instanceof InputTooLarge)) throw error;
      process.stderr.write(`error-contract classify: ${error.message}\n`);
      return 2;
    }
    let observation: unknown;
    try {
      observation = JSON.parse(input);
    } catch (error) {
      process.stderr.write(
        `error-contract classify: ${file && file !== '-' ? file : 'standard input'} is not JSON: ${(error as Error).message}\n`,
      );
      return 2;
    }
    let result: Result & { message?: string } = classifyWith(tables, observation);
    if (result.outcome === 'invalid')
      result = { ...result, message: explainInvalid(observation, profile) ?? 'not a recognised observation' };
    await writeOut(
      text ? formatResult(result, tables.contract, styleFor(process.stdout)) : JSON.stringify(result) + '\n',
    );
    return 0;
  },
};

const MAX_STRING_LENGTH = constants.MAX_STRING_LENGTH;

/** Streams lines: splits chunks with a LineReader (faster than readline) and batches output writes with backpressure. */
async function classifyLines(
  tables: Tables,
  file: string | undefined,
  profile: { profile: string },
  text: boolean,
): Promise<number> {
  const style = styleFor(process.stdout);
  // Text blocks are separated by a blank line; JSON is one line a result.
  const render = text
    ? (result: Result & { message?: string }) => formatResult(result, tables.contract, style) + '\n'
    : (result: object) => JSON.stringify(result) + '\n';
  const input = inputStream(file);
  input.setEncoding('utf8');
  let lineNumber = 0;
  // Results are frozen objects shared between calls: each one's JSON text is built once.
  const serialized = new WeakMap<object, string>();
  const toLine = (result: object): string => {
    let line = serialized.get(result);
    if (line === undefined) serialized.set(result, (line = JSON.stringify(result) + '\n'));
    return line;
  };
  const classifyLine = (line: string): string => {
    lineNumber++;
    if (line.trim() === '') return '';
    let observation: unknown;
    try {
      observation = JSON.parse(line);
    } catch (error) {
      return render({ ...tables.invalid, message: `line ${lineNumber}: not JSON: ${(error as Error).message}` });
    }
    const result = classifyWith(tables, observation);
    // Only invalid results (rare) pay for a reason; the others are shared frozen objects, serialised once.
    if (result.outcome === 'invalid')
      return render({
        ...result,
        message: `line ${lineNumber}: ${explainInvalid(observation, profile) ?? 'not a recognised observation'}`,
      });
    return text ? render(result) : toLine(result);
  };
  let out = '';
  // Linear in the input, whatever the length of its lines (a line is never rescanned as chunks arrive).
  const lines = new LineReader(
    (line) => {
      out += classifyLine(line);
    },
    // The longest string the engine holds; a longer line is answered as invalid, and skipped to its end.
    MAX_STRING_LENGTH,
    (error) => {
      lineNumber++;
      out += render({ ...tables.invalid, message: `line ${lineNumber}: longer than ${error.maxLength} characters` });
    },
  );
  for await (const chunk of input as AsyncIterable<string>) {
    lines.push(chunk);
    if (out) {
      const text = out;
      out = '';
      await writeOut(text);
    }
  }
  lines.end();
  if (out) await writeOut(out);
  return 0;
}
