// The Go and Java SDKs of the registry (generated/contract.json's `sdks`), fetched into project-local caches by
// `npm run setup` so that test/sdk/compiled.test.ts compiles against them offline. Run with `fetch` to install.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = join(root, 'test', 'sdk', '.cache');

/** The registry entry of the SDK published from `ecosystem` (go, maven). */
export function sdkOf(contract, ecosystem) {
  const found = Object.entries(contract.sdks).find(([, s]) => s.package.ecosystem === ecosystem);
  if (!found) throw new Error(`no ${ecosystem} SDK in the registry`);
  return { id: found[0], ...found[1] };
}

/** Go's environment: module cache and GOPATH inside the project, modules resolved from go.mod (never vendored). */
export function goEnv(offline) {
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
export function goMod(sdk) {
  return `module errorcontract.check/sdk\n\ngo 1.26\n\nrequire ${sdk.package.name} ${sdk.package.version}\n`;
}

export const javaClasspathFile = join(cacheDir, 'java-classpath.txt');

/** A pom.xml that depends on the SDK at the registry's version (only for Maven to resolve the classpath). */
export function javaPom(sdk) {
  const [group, artifact] = sdk.package.name.split(':');
  return `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>errorcontract.check</groupId><artifactId>sdk</artifactId><version>0</version>
<dependencies><dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${sdk.package.version}</version></dependency></dependencies>
</project>
`;
}

function run(command, args, options) {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 900_000, ...options });
  if (r.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}${r.stderr}`,
    );
  return r.stdout;
}

/** Downloads the pinned Go module (and its dependencies) and the Java SDK's jars; skips what is already there. */
export function fetchSdks() {
  const contract = JSON.parse(readFileSync(join(root, 'generated', 'contract.json'), 'utf8'));
  mkdirSync(cacheDir, { recursive: true });
  const go = sdkOf(contract, 'go');
  const goStamp = join(cacheDir, 'go.installed');
  if (!existsSync(goStamp) || readFileSync(goStamp, 'utf8') !== goMod(go)) {
    console.error(`Fetching ${go.package.name}@${go.package.version} into ${cacheDir} ...`);
    const dir = mkdtempSync(join(tmpdir(), 'ec-go-'));
    try {
      writeFileSync(join(dir, 'go.mod'), goMod(go));
      writeFileSync(join(dir, 'main.go'), `package main\n\nimport _ "${go.package.name}"\n\nfunc main() {}\n`);
      run('go', ['build', '-o', join(dir, 'check'), '.'], { cwd: dir, env: goEnv(false) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    writeFileSync(goStamp, goMod(go));
  }
  const java = sdkOf(contract, 'maven');
  const javaStamp = join(cacheDir, 'java.installed');
  if (!existsSync(javaStamp) || readFileSync(javaStamp, 'utf8') !== javaPom(java) || !existsSync(javaClasspathFile)) {
    console.error(`Fetching ${java.package.name}:${java.package.version} into ${cacheDir} ...`);
    const dir = mkdtempSync(join(tmpdir(), 'ec-java-'));
    try {
      writeFileSync(join(dir, 'pom.xml'), javaPom(java));
      run(
        'mvn',
        [
          '-B',
          '-q',
          `-Dmaven.repo.local=${join(cacheDir, 'm2')}`,
          'dependency:build-classpath',
          `-Dmdep.outputFile=${javaClasspathFile}`,
        ],
        { cwd: dir },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    writeFileSync(javaStamp, javaPom(java));
  }
}

if (process.argv[2] === 'fetch') fetchSdks();
