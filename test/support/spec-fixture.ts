// A throwaway copy of spec/ to break on purpose: each lint and position test edits one file of its own copy.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { specDir } from '../../src/paths.js';

export interface SpecCopy {
  dir: string;
  read(file: string): string;
  write(file: string, text: string): void;
  /** Replaces the first occurrence of `from` (which must exist) in `file`. */
  replace(file: string, from: string, to: string): void;
  remove(): void;
}

export function copySpec(): SpecCopy {
  const dir = join(mkdtempSync(join(tmpdir(), 'ec-spec-')), 'spec');
  cpSync(specDir, dir, { recursive: true });
  const api: SpecCopy = {
    dir,
    read: (file) => readFileSync(join(dir, file), 'utf8'),
    write: (file, text) => writeFileSync(join(dir, file), text),
    replace(file, from, to) {
      const text = api.read(file);
      if (!text.includes(from)) throw new Error(`fixture: "${from}" not found in ${file}`);
      api.write(file, text.replace(from, to));
    },
    remove: () => rmSync(join(dir, '..'), { recursive: true, force: true }),
  };
  return api;
}

/** The 1-based number of the nth line of `text` containing `needle`. */
export function lineOf(text: string, needle: string, nth = 1): number {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && ++seen === nth) return i + 1;
  throw new Error(`fixture: occurrence ${nth} of "${needle}" not found`);
}
