// Reads the spec/ directory: which file holds what is decided by its place, never by its content.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LocatedFile } from './located.js';

export type SpecFileRole = 'contract' | 'kinds' | 'sources' | 'field' | 'profile';

export interface SpecFile {
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
  'kinds.yaml': 'kinds',
  'sources.yaml': 'sources',
};

const DIRECTORIES: Record<string, SpecFileRole> = { fields: 'field', profiles: 'profile' };

export class SpecLoadError extends Error {}

export function loadSpec(dir: string, cwd = process.cwd()): LoadedSpec {
  if (!isDirectory(dir)) throw new SpecLoadError(`${dir}: not a directory`);
  const files: SpecFile[] = [];
  const read = (path: string, role: SpecFileRole) => {
    files.push({ role, located: new LocatedFile(relative(cwd, path) || path, readFileSync(path, 'utf8')) });
  };
  for (const [name, role] of Object.entries(FIXED)) {
    const path = join(dir, name);
    if (!isFile(path)) throw new SpecLoadError(`${relative(cwd, path)}: missing (spec/ needs ${Object.keys(FIXED).join(', ')})`);
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
  if (!isFile(procedurePath)) throw new SpecLoadError(`${relative(cwd, procedurePath)}: missing (the decision procedure in prose)`);
  return { dir, files, procedure: readFileSync(procedurePath, 'utf8') };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
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
