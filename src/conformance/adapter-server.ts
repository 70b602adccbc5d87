// The adapter side of conformance/PROTOCOL.md for this package's own classifier: JSON lines in, JSON lines out,
// answered in order, one write per input chunk (pipelined runners send thousands of commands per chunk).
import type { Readable, Writable } from 'node:stream';
import type { Implementation } from '../../generated/conformance-types.js';
import type { Result } from '../../generated/types.js';
import { classifyWith, tablesFor } from '../classify/classify.js';
import { UnknownProfileError, type Tables } from '../classify/tables.js';
import { LineReader } from '../lines.js';
import { ALWAYS_COMPARED, COMPARED_IF_PRESENT } from './compare.js';
import { PROTOCOL_VERSION } from './protocol.js';

const COMPARED = [...ALWAYS_COMPARED, ...COMPARED_IF_PRESENT];

type Message = { cmd?: unknown; seq?: unknown; observation?: unknown; protocol?: unknown; profile?: unknown };

/** Thrown for input that breaks the protocol so badly that no answer can be given (no seq to answer). */
export class ProtocolViolation extends Error {}

/**
 * Serves the protocol until `stop` or the end of input. Resolves when every answer has been written;
 * rejects with a ProtocolViolation for a line that is not a command.
 */
export async function serveAdapter(
  defaultTables: Tables,
  implementation: Implementation,
  input: Readable,
  output: Writable,
): Promise<void> {
  // The start message names the profile to classify under.
  let tables = defaultTables;
  // Results are frozen and shared between calls, so each is serialised once, with the fields the runner compares
  // (sdk and contract_version follow from kind and the contract: sending them would only cost bytes).
  const serialised = new WeakMap<Result, string>();
  const resultText = (result: Result): string => {
    let text = serialised.get(result);
    if (text === undefined) {
      const compared = Object.fromEntries(COMPARED.map((field) => [field, result[field]]));
      serialised.set(result, (text = JSON.stringify(compared)));
    }
    return text;
  };
  const write = (text: string): Promise<void> =>
    new Promise((resolve, reject) => {
      if (output.write(text)) resolve();
      else {
        output.once('drain', resolve);
        output.once('error', reject);
      }
    });

  let lineNumber = 0;
  let stopped = false;
  const answer = (line: string): string => {
    lineNumber++;
    if (line.trim() === '') return '';
    let message: Message;
    try {
      message = JSON.parse(line) as Message;
    } catch (error) {
      // The runner writes seq before the observation, so a line that does not parse can still be answered.
      const seq = /^\{"cmd":"classify","seq":(\d+),/.exec(line)?.[1];
      if (seq !== undefined)
        return `{"seq":${seq},"error":${JSON.stringify(`not JSON: ${(error as Error).message}`)}}\n`;
      throw new ProtocolViolation(`line ${lineNumber} is not JSON: ${(error as Error).message}`);
    }
    if (typeof message !== 'object' || message === null)
      throw new ProtocolViolation(`line ${lineNumber} is not a command object`);
    switch (message.cmd) {
      case 'classify': {
        if (!Number.isInteger(message.seq))
          throw new ProtocolViolation(`line ${lineNumber}: classify without an integer seq`);
        return `{"seq":${message.seq as number},"result":${resultText(classifyWith(tables, message.observation))}}\n`;
      }
      case 'start':
        if (message.protocol !== PROTOCOL_VERSION) {
          return (
            JSON.stringify({
              ok: false,
              error: `unsupported protocol ${JSON.stringify(message.protocol)} (this adapter speaks ${PROTOCOL_VERSION})`,
            }) + '\n'
          );
        }
        if (message.profile !== undefined && message.profile !== 'default') {
          try {
            tables = tablesFor({ contract: defaultTables.contract, profile: String(message.profile) });
          } catch (error) {
            if (!(error instanceof UnknownProfileError)) throw error;
            return JSON.stringify({ ok: false, error: error.message }) + '\n';
          }
        }
        return JSON.stringify({ ok: true, implementation }) + '\n';
      case 'stop':
        stopped = true;
        return '';
      default:
        throw new ProtocolViolation(`line ${lineNumber}: unknown command ${JSON.stringify(message.cmd)}`);
    }
  };

  input.setEncoding('utf8');
  let out = '';
  // Lines after stop are not read: the adapter exits.
  const lines = new LineReader((line) => {
    if (!stopped) out += answer(line);
  });
  const flush = async () => {
    if (!out) return;
    const text = out;
    out = '';
    await write(text);
  };
  for await (const chunk of input as AsyncIterable<string>) {
    lines.push(chunk);
    await flush();
    if (stopped) break;
  }
  if (!stopped) lines.end();
  await flush();
}
