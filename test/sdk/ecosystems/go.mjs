// openai-go (the Go module proxy): a program that names every bound type or value (and the status field of the type
// shared by every status) compiles against the pinned module, fetched by `npm run setup` into test/sdk/.cache/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir, hasTool, run } from './common.mjs';

export const installedBy = 'npm run setup';

export const available = () => hasTool('go', ['version']);

/** Go's environment: module cache and GOPATH inside the project, modules resolved from go.mod (never vendored). */
function goEnv(offline) {
  return {
    ...process.env,
    GOPATH: join(cacheDir, 'go'),
    GOMODCACHE: join(cacheDir, 'go', 'pkg', 'mod'),
    GOCACHE: join(cacheDir, 'go', 'build'),
    GOFLAGS: '-mod=mod',
    GOTOOLCHAIN: 'local',
    ...(offline ? { GOPROXY: 'off' } : {}),
  };
}

/** A go.mod that pins the SDK's module at the registry's version. */
const goMod = (sdk) =>
  `module errorcontract.check/sdk\n\ngo 1.26\n\nrequire ${sdk.package.name} ${sdk.package.version}\n`;

/** Downloads the pinned module (and its dependencies) unless this pin is already there. */
export function fetch(sdk) {
  const stamp = join(cacheDir, 'go.installed');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === goMod(sdk)) return;
  console.error(`Fetching ${sdk.package.name}@${sdk.package.version} into ${cacheDir} ...`);
  const dir = mkdtempSync(join(tmpdir(), 'ec-go-'));
  try {
    writeFileSync(join(dir, 'go.mod'), goMod(sdk));
    writeFileSync(join(dir, 'main.go'), `package main\n\nimport _ "${sdk.package.name}"\n\nfunc main() {}\n`);
    run('go', ['build', '-o', join(dir, 'check'), '.'], { cwd: dir, env: goEnv(false) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(stamp, goMod(sdk));
}

export function check(sdk, classes) {
  const imports = [...new Set(classes.map((c) => c.binding.module).filter((m) => m !== 'builtin'))].sort();
  // A name written with `*` is a type (its pointer must be an error); any other names a type or a sentinel value
  // that must itself be an error. Either way, `var _ error = …` compiles only if the name exists and is an error.
  const checks = classes.map((c) =>
    c.qualified.startsWith('*') || c.binding.module === 'builtin'
      ? `var _ error = (${c.qualified})(nil)`
      : `var _ error = ${c.qualified}`,
  );
  const fallback = classes.find((c) => c.binding.class === sdk.fallback && c.binding.module === sdk.package.name);
  if (!fallback) return [`no binding names the fallback ${sdk.fallback}`];
  const program = [
    'package main',
    '',
    ...imports.map((m) => sdk.import.replaceAll('{module}', m).replaceAll('{class}', '')),
    '',
    ...checks,
    // The status is read from the field the registry names, an int.
    ...(sdk.status_field ? [`var _ int = (${fallback.qualified})(nil).${sdk.status_field}`] : []),
    '',
    'func main() {}',
    '',
  ].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'ec-go-check-'));
  try {
    writeFileSync(join(dir, 'go.mod'), goMod(sdk));
    writeFileSync(join(dir, 'main.go'), program);
    mkdirSync(cacheDir, { recursive: true });
    const r = spawnSync('go', ['build', '-o', join(dir, 'check'), '.'], {
      cwd: dir,
      env: goEnv(true),
      encoding: 'utf8',
      timeout: 300_000,
    });
    return r.status === 0 ? [] : [`go build failed (npm run setup fetches the module):\n${program}\n${r.stderr}`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
