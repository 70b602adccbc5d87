import { constants } from 'node:buffer';
import { parseArgs } from 'node:util';
import { tablesFor, classifyWith } from '../../classify/classify.js';
import { UnknownProfileError } from '../../classify/tables.js';
import type { Tables } from '../../classify/tables.js';
import { LineReader } from '../../lines.js';
import { UsageError, type Command } from '../command.js';
import { InputTooLarge, inputStream, readAllInput, writeOut } from '../io.js';

export const classifyCommand: Command = {
  name: 'classify',
  summary: 'Classify an observation (an HTTP envelope or an API body) and print the result as JSON.',
  usage: `Usage: error-contract classify [FILE|-] [--jsonl] [--profile NAME]

Reads one JSON document (an envelope {"http_status", "headers"?, "body"?} or a bare body seen with HTTP 200)
from FILE or standard input and prints one JSON result.

  --jsonl          one observation per line -> one result per line, in order, streaming in constant memory.
                   A line that is not JSON gives an "invalid" result naming its line number; blank lines are skipped.
  --profile NAME   classify under a provider profile (default: "default").

Without --jsonl the document may be at most 512 MiB (536870888 bytes); a larger one is refused (exit 2).

Exit: 0 printed a result for every input; 2 usage error, unreadable input, or (without --jsonl) input that is not
JSON or larger than 512 MiB.`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { jsonl: { type: 'boolean', default: false }, profile: { type: 'string', default: 'default' } },
      allowPositionals: true,
    });
    if (positionals.length > 1) throw new UsageError('classify takes at most one FILE');
    let tables: Tables;
    try {
      tables = tablesFor({ profile: values.profile });
    } catch (error) {
      if (error instanceof UnknownProfileError) throw new UsageError(error.message);
      throw error;
    }
    const file = positionals[0];
    if (values.jsonl) return classifyLines(tables, file);
    let text: string;
    try {
      text = await readAllInput(file);
    } catch (error) {
      if (!(error instanceof InputTooLarge)) throw error;
      process.stderr.write(`error-contract classify: ${error.message}\n`);
      return 2;
    }
    let observation: unknown;
    try {
      observation = JSON.parse(text);
    } catch (error) {
      process.stderr.write(`error-contract classify: ${file && file !== '-' ? file : 'standard input'} is not JSON: ${(error as Error).message}\n`);
      return 2;
    }
    await writeOut(JSON.stringify(classifyWith(tables, observation)) + '\n');
    return 0;
  },
};

const MAX_STRING_LENGTH = constants.MAX_STRING_LENGTH;

/** Streams lines: splits chunks with a LineReader (faster than readline) and batches output writes with backpressure. */
async function classifyLines(tables: Tables, file: string | undefined): Promise<number> {
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
      return JSON.stringify({ ...tables.invalid, message: `line ${lineNumber}: not JSON: ${(error as Error).message}` }) + '\n';
    }
    return toLine(classifyWith(tables, observation));
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
      out += JSON.stringify({ ...tables.invalid, message: `line ${lineNumber}: longer than ${error.maxLength} characters` }) + '\n';
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
