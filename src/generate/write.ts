// Writes generated/ all at once (or compares it, for --check); stale files left by an old generator are removed.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { generatedDir } from '../paths.js';
import type { Outputs } from './outputs.js';

/**
 * The outputs that belong in `dir`. A path outside generated/ (`../src/python/...`, the Python package's copy of
 * contract.json) is the package's own tree: written and checked only when `dir` is the package's generated/, never
 * next to another --out directory.
 */
function scoped(dir: string, outputs: Outputs): Outputs {
  if (resolve(dir) === resolve(generatedDir)) return outputs;
  return new Map([...outputs].filter(([path]) => !path.startsWith('../')));
}

/** Files in generated/ that generate does not own (the static site is built by `npm run docs`). */
const NOT_OURS = [/^site(\/|$)/];

function listFiles(dir: string, root = dir): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    const rel = relative(root, path).split('\\').join('/');
    if (NOT_OURS.some((r) => r.test(rel))) return [];
    return statSync(path).isDirectory() ? listFiles(path, root) : [rel];
  });
}

interface Drift {
  changed: string[];
  missing: string[];
  extra: string[];
}

export function compareOutputs(dir: string, all: Outputs): Drift {
  const outputs = scoped(dir, all);
  const drift: Drift = { changed: [], missing: [], extra: [] };
  for (const [path, content] of outputs) {
    let current: string | undefined;
    try {
      current = readFileSync(join(dir, path), 'utf8');
    } catch {
      drift.missing.push(path);
      continue;
    }
    if (current !== content) drift.changed.push(path);
  }
  drift.extra = listFiles(dir).filter((p) => !outputs.has(p));
  return drift;
}

/** Writes every output to a temporary name first, then renames: a failure midway leaves the old files. */
export function writeOutputs(dir: string, all: Outputs): Drift {
  const outputs = scoped(dir, all);
  const drift = compareOutputs(dir, outputs);
  const staged: [string, string][] = [];
  try {
    for (const path of [...drift.changed, ...drift.missing]) {
      const target = join(dir, path);
      mkdirSync(dirname(target), { recursive: true });
      const temp = `${target}.tmp-${process.pid}`;
      writeFileSync(temp, outputs.get(path)!);
      staged.push([temp, target]);
    }
  } catch (error) {
    for (const [temp] of staged) rmSync(temp, { force: true });
    throw error;
  }
  for (const [temp, target] of staged) renameSync(temp, target);
  for (const path of drift.extra) rmSync(join(dir, path));
  return drift;
}
