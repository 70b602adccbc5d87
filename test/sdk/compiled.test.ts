// The Go and Java bindings name real types: a program generated from the contract that names every bound type (and
// the status field of a type shared by every status) compiles against the module the registry pins, fetched by
// `npm run setup` into test/sdk/.cache/ (test/sdk/toolchains.mjs). CI must have the toolchains: there it fails,
// never skips.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { publishedContract } from '../../src/contract.js';
import { classesOf, type KindClass } from '../../src/sdks.js';
import { goEnv, goMod, javaClasspathFile, sdkOf } from './toolchains.mjs';

const contract = publishedContract();
const work = mkdtempSync(join(tmpdir(), 'ec-sdk-compile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every kind's class in one SDK, one per distinct name (many kinds share a class). */
function boundClasses(sdk: string): KindClass<{ class: string; module: string; exact: boolean; qualified?: string }>[] {
  const seen = new Map<string, KindClass<{ class: string; module: string; exact: boolean }>>();
  for (const kind of Object.values(contract.kinds)) {
    for (const c of classesOf<{ class: string; module: string; exact: boolean }>(contract, kind))
      if (c.sdk === sdk && !seen.has(c.qualified)) seen.set(c.qualified, c);
  }
  return [...seen.values()];
}

const hasTool = (command: string, args: string[]) =>
  spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 }).status === 0;
// Outside CI a machine without the toolchain skips; in CI a missing toolchain is a failure.
const inCi = process.env.CI === 'true';
const describeIf = (available: boolean) => (available || inCi ? describe : describe.skip);

describeIf(hasTool('go', ['version']))('Go SDK (openai-go, from the Go module proxy)', () => {
  const sdk = sdkOf(contract, 'go');
  it(`every bound type or value exists in ${sdk.package.name}@${sdk.package.version}, and the shared type carries ${sdk.status_field}`, () => {
    const classes = boundClasses(sdk.id);
    const imports = [...new Set(classes.map((c) => c.binding.module).filter((m) => m !== 'builtin'))].sort();
    // A name written with `*` is a type (its pointer must be an error); any other names a type or a sentinel value
    // that must itself be an error. Either way, `var _ error = …` compiles only if the name exists and is an error.
    const checks = classes.map((c) =>
      c.qualified.startsWith('*') || c.binding.module === 'builtin'
        ? `var _ error = (${c.qualified})(nil)`
        : `var _ error = ${c.qualified}`,
    );
    const fallback = classes.find((c) => c.binding.class === sdk.fallback && c.binding.module === sdk.package.name);
    expect(fallback, `a binding names the fallback ${sdk.fallback}`).toBeDefined();
    const program = [
      'package main',
      '',
      ...imports.map((m) => sdk.import.replaceAll('{module}', m).replaceAll('{class}', '')),
      '',
      ...checks,
      // The status is read from the field the registry names, an int.
      `var _ int = (${fallback!.qualified})(nil).${sdk.status_field}`,
      '',
      'func main() {}',
      '',
    ].join('\n');
    const dir = join(work, 'go');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'go.mod'), goMod(sdk));
    writeFileSync(join(dir, 'main.go'), program);
    const r = spawnSync('go', ['build', '-o', join(dir, 'check'), '.'], {
      cwd: dir,
      env: goEnv(true),
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.status, `go build failed (run npm run setup to fetch the module):\n${program}\n${r.stderr}`).toBe(0);
    // The check can fail: a misspelt name does not compile.
    writeFileSync(
      join(dir, 'main.go'),
      program.replace(checks[0]!, checks[0]!.replace(classes[0]!.qualified, `${classes[0]!.qualified}Misspelt`)),
    );
    const bad = spawnSync('go', ['build', '-o', join(dir, 'check'), '.'], {
      cwd: dir,
      env: goEnv(true),
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(bad.status, 'a misspelt name must not compile').not.toBe(0);
  });
});

describeIf(hasTool('javac', ['-version']))('Java SDK (openai-java, from Maven Central)', () => {
  const sdk = sdkOf(contract, 'maven');
  it(`every bound class exists in ${sdk.package.name}:${sdk.package.version} and is a Throwable`, () => {
    expect(existsSync(javaClasspathFile), `${javaClasspathFile} missing: run npm run setup`).toBe(true);
    const classpath = readFileSync(javaClasspathFile, 'utf8').trim();
    expect(classpath).toContain(`${sdk.package.version}`);
    const classes = boundClasses(sdk.id);
    const source = (names: string[]) =>
      [
        ...classes.map((c) =>
          sdk.import.replaceAll('{module}', c.binding.module).replaceAll('{class}', c.binding.class),
        ),
        '',
        'public class Check {',
        // A list of Class<? extends Throwable> compiles only if every name is a class that extends Throwable.
        `  static final java.util.List<Class<? extends Throwable>> BOUND = java.util.List.of(${names.map((n) => `${n}.class`).join(', ')});`,
        '}',
        '',
      ].join('\n');
    const compile = (text: string) => {
      const dir = mkdtempSync(join(work, 'java-'));
      writeFileSync(join(dir, 'Check.java'), text);
      return spawnSync('javac', ['-proc:none', '-cp', classpath, '-d', join(dir, 'out'), join(dir, 'Check.java')], {
        encoding: 'utf8',
        timeout: 300_000,
      });
    };
    const names = classes.map((c) => c.qualified);
    const ok = compile(source(names));
    expect(ok.status, `javac failed:\n${source(names)}\n${ok.stderr}`).toBe(0);
    const bad = compile(source([...names.slice(1), `${names[0]}Misspelt`]));
    expect(bad.status, 'a misspelt class must not compile').not.toBe(0);
  });
});
