// Cutting a release: the contract built from spec/ and its published schema are copied into spec/releases/.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { jsonFile } from '../json-text.js';
import type { Release } from './diff.js';

interface CutResult {
  written: string[];
  /** True when the snapshot already existed with exactly this content. */
  unchanged: boolean;
}

export class ReleaseExistsError extends Error {}

/** Writes <version>.json and <version>.schema.json, both or neither; an existing, different snapshot is never replaced. */
export function writeSnapshot(dir: string, release: Release): CutResult {
  const version = release.contract.meta.version;
  const files: [string, string][] = [[join(dir, `${version}.json`), jsonFile(release.contract)]];
  if (release.schema !== undefined) files.push([join(dir, `${version}.schema.json`), jsonFile(release.schema)]);
  const existing = files.filter(([path]) => existsSync(path));
  if (existing.length > 0) {
    if (existing.length === files.length && existing.every(([path, text]) => readFileSync(path, 'utf8') === text))
      return { written: [], unchanged: true };
    throw new ReleaseExistsError(
      `release ${version} was already cut with other content (${existing.map(([p]) => p).join(', ')}); released data never changes: bump the version in spec/contract.yaml`,
    );
  }
  mkdirSync(dir, { recursive: true });
  const staged: [string, string][] = [];
  try {
    for (const [path, text] of files) {
      const temp = `${path}.tmp-${process.pid}`;
      writeFileSync(temp, text);
      staged.push([temp, path]);
    }
  } catch (error) {
    for (const [temp] of staged) rmSync(temp, { force: true });
    throw error;
  }
  for (const [temp, path] of staged) renameSync(temp, path);
  return { written: files.map(([p]) => p), unchanged: false };
}
