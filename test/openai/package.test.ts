// The `error-contract/openai` subpath as a user gets it from the built package: exports, declarations, and a root
// export that never loads openai (an optional peer dependency).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { VERSION } from 'openai/version';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';

const dist = join(packageRoot, 'dist', 'src');

/** Every module specifier a built file imports (static imports and re-exports). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g,
    ),
  ].map((m) => (m[1] ?? m[2])!);
}

/** The bare packages reachable from a built module through its relative imports. */
function packagesReachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of specifiers(file)) {
      if (spec.startsWith('.')) stack.push(resolve(dirname(file), spec));
      else packages.add(spec);
    }
  }
  return packages;
}

describe('package exports', () => {
  it('the root export never imports openai; the subpath does', () => {
    const root = packagesReachable(join(dist, 'index.js'));
    // The root entry needs no package at all (the contract is a module of its own): openai least of all.
    expect([...root].filter((p) => p === 'openai' || p.startsWith('openai/'))).toEqual([]);
    expect(packagesReachable(join(dist, 'openai', 'index.js'))).toContain('openai');
  });

  it('the suites run against the openai major they were given (test/runtimes/run.sh sets EC_OPENAI_VERSION)', () => {
    const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
    expect(VERSION).toBe(process.env.EC_OPENAI_VERSION ?? manifest.devDependencies.openai);
  });

  it('error-contract/openai resolves through package.json exports, with declarations', () => {
    const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
    expect(manifest.exports['./openai']).toEqual({
      types: './dist/src/openai/index.d.ts',
      default: './dist/src/openai/index.js',
    });
    expect(manifest.peerDependencies.openai).toBe('>=6 <8');
    expect(manifest.peerDependenciesMeta.openai.optional).toBe(true);
    expect(existsSync(join(packageRoot, manifest.exports['./openai'].types))).toBe(true);
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('error-contract/openai'); console.log(Object.keys(m).sort().join(','))",
      ],
      {
        cwd: packageRoot,
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split(',')).toEqual(
      expect.arrayContaining([
        'createAndWait',
        'isContractError',
        'raiseForStatus',
        'waitForResponse',
        'WaitTimeoutError',
        'WaitAbortError',
        'waitForBatch',
        'waitForFineTuningJob',
        'waitForVectorStoreFile',
        'waitForVectorStoreFileBatch',
        'raiseForStream',
      ]),
    );
  });

  it("the declarations type a user's code: kinds and entry ids are the generated unions", () => {
    const tsc = join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(
      process.execPath,
      [tsc, '-p', join(packageRoot, 'test', 'openai', 'fixtures', 'tsconfig.json')],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it("the README's lines are the ones the fixture compiles", () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
    const start = readme.indexOf('## Background mode with the openai client');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const fixture = ['usage.ts', 'resources.ts']
      .map((f) => readFileSync(join(packageRoot, 'test', 'openai', 'fixtures', f), 'utf8'))
      .join('\n');
    const lines = (text: string) =>
      text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('//'));
    const body = lines(fixture);
    for (const line of blocks.flatMap(lines)) expect(body, line).toContain(line);
  });
});
