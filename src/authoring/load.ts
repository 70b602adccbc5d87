// Reads the spec/ directory: which file holds what is decided by its place, never by its content.
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  type Stats,
} from 'node:fs';
import { join, relative } from 'node:path';
import { LocatedFile, type Position } from './located.js';

export type SpecFileRole = 'contract' | 'sdks' | 'kinds' | 'actions' | 'sources' | 'field' | 'profile';

interface SpecFile {
  role: SpecFileRole;
  located: LocatedFile;
}

export interface LoadedSpec {
  dir: string;
  files: SpecFile[];
  /** The decision procedure in prose (spec/PROCEDURE.md). */
  procedure: string;
}

const FIXED: Record<string, SpecFileRole> = {
  'contract.yaml': 'contract',
  'sdks.yaml': 'sdks',
  'kinds.yaml': 'kinds',
  'actions.yaml': 'actions',
  'sources.yaml': 'sources',
};

const DIRECTORIES: Record<string, SpecFileRole> = { fields: 'field', profiles: 'profile' };

/** Every role a spec/ file plays; a role's file is described by schemas/authoring/<role>.schema.json. */
export const SPEC_FILE_ROLES: readonly SpecFileRole[] = [...Object.values(FIXED), ...Object.values(DIRECTORIES)];

/** The authoring schema of a role's files (a name inside schemas/authoring/). */
export const authoringSchemaFile = (role: SpecFileRole): string => `${role}.schema.json`;

export class SpecLoadError extends Error {}

export function loadSpec(dir: string, cwd = process.cwd()): LoadedSpec {
  if (!isDirectory(dir)) throw new SpecLoadError(`${dir}: not a directory`);
  const files: SpecFile[] = [];
  const shown = (path: string) => relative(cwd, path) || path;
  const read = (path: string, role: SpecFileRole) => {
    const text = decode(shown(path), readSpecFile(path, shown(path)));
    files.push({ role, located: new LocatedFile(shown(path), typeof text === 'string' ? text : { problem: text }) });
  };
  for (const [name, role] of Object.entries(FIXED)) {
    const path = join(dir, name);
    if (!exists(path))
      throw new SpecLoadError(`${shown(path)}: missing (spec/ needs ${Object.keys(FIXED).join(', ')})`);
    read(path, role);
  }
  for (const [sub, role] of Object.entries(DIRECTORIES)) {
    const subdir = join(dir, sub);
    if (!isDirectory(subdir)) continue;
    for (const name of readdirSync(subdir).sort()) {
      if (name.endsWith('.yaml') || name.endsWith('.yml')) read(join(subdir, name), role);
    }
  }
  const procedurePath = join(dir, 'PROCEDURE.md');
  if (!exists(procedurePath))
    throw new SpecLoadError(`${shown(procedurePath)}: missing (the decision procedure in prose)`);
  const procedure = decode(shown(procedurePath), readSpecFile(procedurePath, shown(procedurePath)));
  if (typeof procedure !== 'string')
    throw new SpecLoadError(
      `${procedure.position.file}:${procedure.position.line}:${procedure.position.col}: ${procedure.message}`,
    );
  return { dir, files, procedure };
}

/** The largest spec file read (the biggest field file is a few KiB). */
const MAX_FILE_BYTES = 16 << 20;

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * A spec file's bytes. Opened without blocking (a FIFO would otherwise wait for a writer for ever), then refused
 * unless it is a regular file: each problem names the file.
 */
function readSpecFile(path: string, shown: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const why = code === 'ELOOP' ? 'a symbolic link loop' : code === 'ENOENT' ? 'a broken symbolic link' : message;
    throw new SpecLoadError(`${shown}: cannot be read: ${why}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new SpecLoadError(`${shown}: cannot be read: ${kindOf(stat)}, not a file`);
    if (stat.size > MAX_FILE_BYTES)
      throw new SpecLoadError(`${shown}: cannot be read: larger than ${MAX_FILE_BYTES} bytes`);
    return readFileSync(fd);
  } catch (error) {
    if (error instanceof SpecLoadError) throw error;
    throw new SpecLoadError(`${shown}: cannot be read: ${(error as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The file's text, or where its first byte that is not UTF-8 is (no U+FFFD ever reaches the contract). */
function decode(file: string, bytes: Buffer): string | { message: string; position: Position; rule: string } {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
    let line = 1;
    for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
    const col = strictUtf8.decode(bytes.subarray(lineStart, offset)).length + 1;
    const byte = bytes[offset]!.toString(16).padStart(2, '0');
    return {
      rule: 'encoding',
      message: `not UTF-8: byte 0x${byte} at offset ${offset} (spec files are UTF-8 text)`,
      position: { file, line, col },
    };
  }
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let n: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [n, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [n, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return bytes.length;
}

/** Whether anything (even a broken link or a loop) is at `path`. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
