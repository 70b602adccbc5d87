// openai-java (Maven Central): a class that lists every bound class as a Class<? extends Throwable> compiles against
// the pinned artifact's classpath, resolved by `npm run setup` into test/sdk/.cache/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheDir, hasTool, run } from './common.mjs';

export const installedBy = 'npm run setup';

export const available = () => hasTool('javac', ['-version']);

const classpathFile = join(cacheDir, 'java-classpath.txt');

/** A pom.xml that depends on the SDK at the registry's version (only for Maven to resolve the classpath). */
function pom(sdk) {
  const [group, artifact] = sdk.package.name.split(':');
  return `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>errorcontract.check</groupId><artifactId>sdk</artifactId><version>0</version>
<dependencies><dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${sdk.package.version}</version></dependency></dependencies>
</project>
`;
}

/** Resolves the pinned artifact's classpath (downloading its jars) unless this pin is already there. */
export function fetch(sdk) {
  const stamp = join(cacheDir, 'java.installed');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === pom(sdk) && existsSync(classpathFile)) return;
  console.error(`Fetching ${sdk.package.name}:${sdk.package.version} into ${cacheDir} ...`);
  const dir = mkdtempSync(join(tmpdir(), 'ec-java-'));
  try {
    writeFileSync(join(dir, 'pom.xml'), pom(sdk));
    run(
      'mvn',
      [
        '-B',
        '-q',
        `-Dmaven.repo.local=${join(cacheDir, 'm2')}`,
        'dependency:build-classpath',
        `-Dmdep.outputFile=${classpathFile}`,
      ],
      { cwd: dir },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(stamp, pom(sdk));
}

export function check(sdk, classes) {
  if (!existsSync(classpathFile)) return [`${classpathFile} missing: run npm run setup`];
  const classpath = readFileSync(classpathFile, 'utf8').trim();
  if (!classpath.includes(sdk.package.version))
    return [`the classpath is not of ${sdk.package.version}: run npm run setup`];
  const source = [
    ...classes.map((c) => sdk.import.replaceAll('{module}', c.binding.module).replaceAll('{class}', c.binding.class)),
    '',
    'public class Check {',
    // A list of Class<? extends Throwable> compiles only if every name is a class that extends Throwable.
    `  static final java.util.List<Class<? extends Throwable>> BOUND = java.util.List.of(${classes.map((c) => `${c.qualified}.class`).join(', ')});`,
    '}',
    '',
  ].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'ec-java-check-'));
  try {
    writeFileSync(join(dir, 'Check.java'), source);
    const r = spawnSync('javac', ['-proc:none', '-cp', classpath, '-d', join(dir, 'out'), join(dir, 'Check.java')], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    return r.status === 0 ? [] : [`javac failed:\n${source}\n${r.stderr}`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
