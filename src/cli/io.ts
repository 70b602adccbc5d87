// Small I/O helpers shared by the commands.
import { createReadStream, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Finding } from '../lint/finding.js';
import { formatPosition } from '../spec/located.js';

/** FILE, or standard input for `-` or no FILE. */
export function inputStream(file: string | undefined): Readable {
  return file === undefined || file === '-' ? process.stdin : createReadStream(file);
}

export async function readAllInput(file: string | undefined): Promise<string> {
  if (file !== undefined && file !== '-') return readFileSync(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
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
