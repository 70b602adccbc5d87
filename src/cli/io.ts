// Small I/O helpers shared by the commands.
import { constants } from 'node:buffer';
import { closeSync, createReadStream, fstatSync, openSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Finding } from '../lint/finding.js';
import { formatPosition } from '../authoring/located.js';

/** FILE, or standard input for `-` or no FILE. */
export function inputStream(file: string | undefined): Readable {
  return file === undefined || file === '-' ? process.stdin : createReadStream(file);
}

/**
 * The largest document readAllInput reads: V8's longest string (2^29 - 24 characters, just under 512 MiB), in bytes,
 * so that the text always fits one string (UTF-8 never decodes to more characters than it has bytes).
 */
export const MAX_DOCUMENT_BYTES = constants.MAX_STRING_LENGTH;

/** The input is larger than MAX_DOCUMENT_BYTES: a usage matter (exit 2), not an internal error. */
export class InputTooLarge extends Error {
  constructor(readonly source: string) {
    super(
      `${source} is larger than ${MAX_DOCUMENT_BYTES} bytes (512 MiB), the largest single document that can be read; use --jsonl for one observation a line`,
    );
  }
}

/**
 * FILE (or standard input for `-` or no FILE) as text, at most MAX_DOCUMENT_BYTES: a larger regular file is refused
 * before any of it is read, and a larger stream as soon as it passes the limit (memory stays bounded by it).
 */
export async function readAllInput(file: string | undefined): Promise<string> {
  const source = file === undefined || file === '-' ? 'standard input' : file;
  let stream: Readable;
  if (file === undefined || file === '-') stream = process.stdin;
  else {
    const fd = openSync(file, 'r');
    const stat = fstatSync(fd);
    if (stat.isFile()) {
      try {
        if (stat.size > MAX_DOCUMENT_BYTES) throw new InputTooLarge(source);
        return readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
    }
    // A FIFO, a device, /dev/stdin: read as a stream, counted.
    stream = createReadStream(file, { fd });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_DOCUMENT_BYTES) {
      stream.destroy();
      throw new InputTooLarge(source);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

export function formatFinding(f: Finding): string {
  return `${formatPosition(f.position)}: ${f.level} [${f.rule}] ${f.message}${f.tip ? `\n    tip: ${f.tip}` : ''}`;
}

/** Writes to stdout, resolving when the data is flushed (or the reader went away). */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', resolve);
  });
}
