// The package as users install it: `npm pack`, installed from the registry into a throwaway consumer project, then used the
// ways the README promises: the library, the JSON import, the schemas, the types, the bin. And nothing else ships.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractPath, packageRoot } from '../../src/paths.js';

interface Manifest {
  name: string;
  version: string;
  devDependencies: Record<string, string>;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
}

const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as Manifest;
const contract = JSON.parse(readFileSync(contractPath, 'utf8')) as { meta: { version: string }; entries: unknown[] };
const openaiVersion = process.env.EC_OPENAI_VERSION ?? manifest.devDependencies.openai!;
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// npm's own chatter must not depend on the machine's configuration.
const quiet = {
  ...process.env,
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};

let dir = '';
let consumer = '';
let shipped: string[] = [];

function run(cmd: string, args: string[], options: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(cmd, args, {
    cwd: options.cwd ?? consumer,
    input: options.input,
    encoding: 'utf8',
    env: quiet,
    timeout: 120_000,
    maxBuffer: 1 << 26,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs an ES module in the consumer project, as the consumer's own code. */
function node(source: string, input?: string) {
  const file = join(consumer, `script-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, source);
  return run(process.execPath, [file], { input });
}

beforeAll(() => {
  if (!existsSync(join(packageRoot, manifest.bin['error-contract']!)))
    throw new Error('dist/ is missing: run npm run build first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'ec-pack-'));
  // --ignore-scripts: npm test has just built dist/, and other tests read it while this one runs.
  const packed = JSON.parse(
    execFileSync(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: packageRoot,
      encoding: 'utf8',
      env: quiet,
    }),
  ) as { filename: string; files: { path: string }[] }[];
  shipped = packed[0]!.files.map((f) => f.path).sort();
  consumer = join(dir, 'consumer');
  mkdirSync(consumer);
  // The openai the suite runs against: the devDependency, or the other major test/runtimes/run.sh names.
  const dependencies = { [manifest.name]: `file:../${packed[0]!.filename}`, openai: openaiVersion };
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies }),
  );
  // Dependencies come from the registry through a cache of this test's own, never from whatever the machine's
  // npm cache happens to hold: a fresh machine has an empty one.
  const install = run(NPM, [
    'install',
    '--prefer-online',
    '--no-audit',
    '--no-fund',
    '--ignore-scripts',
    '--cache',
    join(dir, 'npm-cache'),
  ]);
  if (install.status !== 0) throw new Error(`npm install of the packed tarball failed:\n${install.stderr}`);
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('what ships', () => {
  it("no tests, no sources (but the Python reference adapter's package), no site, no spec, no development files", () => {
    const forbidden = shipped.filter(
      (p) =>
        /^(test|src(?!\/python\/error_contract\/[^/]+\.(py|typed)$)|spec|conformance\/adapters\/python\/\.venv|generated\/site|dist\/src\/site|dist\/test|\.ci|node_modules|coverage|test-results)\//.test(
          p,
        ) ||
        /(\.test\.[cm]?[jt]s|\.map|\.tgz)$/.test(p) ||
        (p.endsWith('.ts') && !p.endsWith('.d.ts')) ||
        ['tsconfig.json', 'package-lock.json'].includes(p),
    );
    expect(forbidden).toEqual([]);
  });

  it('everything the exports map and the bin point at', () => {
    const targets = Object.values(manifest.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
    for (const target of [...targets, ...Object.values(manifest.bin)]) {
      const path = target.replace(/^\.\//, '');
      if (path.includes('*')) {
        const [prefix] = path.split('*');
        expect(
          shipped.some((p) => p.startsWith(prefix!)),
          target,
        ).toBe(true);
      } else expect(shipped, target).toContain(path);
    }
  });
});

describe('the installed package', () => {
  it('the library imports and classifies', () => {
    const r = node(`import { classify, diffReleases, publishedContract } from '${manifest.name}';
const result = classify({ object: 'response', status: 'failed', error: { code: 'rate_limit_exceeded', message: 'x' } });
const same = diffReleases({ contract: publishedContract() }, { contract: publishedContract() });
console.log(JSON.stringify({ result, version: publishedContract().meta.version, same }));`);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.result).toMatchObject({
      outcome: 'failed',
      kind: 'rate_limit_error',
      retryable: true,
      contract_version: contract.meta.version,
    });
    expect(out.version).toBe(contract.meta.version);
    expect(out.same).toEqual({ bump: 'none', changes: [] });
  });

  it("imports the data with import attributes: import data from '…/contract.json' with {type: 'json'}", () => {
    const r = node(`import data from '${manifest.name}/contract.json' with { type: 'json' };
console.log(JSON.stringify([data.meta.version, data.entries.length]));`);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([contract.meta.version, contract.entries.length]);
  });

  it('the schemas resolve, compile with their references, and the data validates against the published schema', () => {
    const r = node(`import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
const published = fileURLToPath(import.meta.resolve('${manifest.name}/contract.schema.json'));
const result = fileURLToPath(import.meta.resolve('${manifest.name}/schemas/result.schema.json'));
const schemas = dirname(result);
const files = readdirSync(schemas, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.schema.json'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
for (const f of files) ajv.addSchema(JSON.parse(readFileSync(join(schemas, f), 'utf8')));
for (const f of files) ajv.getSchema(JSON.parse(readFileSync(join(schemas, f), 'utf8')).$id);
const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(published, 'utf8')));
const data = JSON.parse(readFileSync(fileURLToPath(import.meta.resolve('${manifest.name}/contract.json')), 'utf8'));
console.log(JSON.stringify({ files: files.length, valid: validate(data), errors: validate.errors }));`);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ valid: true, errors: null });
    expect(out.files).toBeGreaterThanOrEqual(3);
  });

  it('the types compile in a consumer TypeScript project, and know the ids', () => {
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          resolveJsonModule: true,
          skipLibCheck: false,
          types: [],
          typeRoots: [join(packageRoot, 'node_modules', '@types')],
        },
        include: ['index.ts'],
      }),
    );
    writeFileSync(
      join(consumer, 'index.ts'),
      `import { classify, publishedContract, type Contract, type Entry, type EntryId, type KindId, type Result } from '${manifest.name}';
import data from '${manifest.name}/contract.json' with { type: 'json' };
const contract: Contract = publishedContract();
const result: Result = classify({ object: 'response', status: 'failed', error: { code: 'server_error' } });
const first: Entry | undefined = contract.entries[0];
const version: string = data.meta.version;
// @ts-expect-error: a kind id the contract does not have is not a kind
const wrong: Entry['kind'] = 'no_such_kind';
// The id unions at the package root: a real id compiles, a made-up one does not.
const kind: KindId = 'rate_limit_error';
const entry: EntryId = 'response.status/failed';
// @ts-expect-error: not a kind id
const notKind: KindId = 'no_such_kind';
// @ts-expect-error: not an entry id
const notEntry: EntryId = 'response.status/no_such_status';
export { result, first, version, wrong, kind, entry, notKind, notEntry };
`,
    );
    const tsc = run(process.execPath, [
      join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      'tsconfig.json',
    ]);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  it("error-contract/openai raises the consumer's own openai classes", () => {
    const r = node(`import OpenAI, { RateLimitError, APIError } from 'openai';
import { VERSION } from 'openai/version';
import { raiseForStatus } from '${manifest.name}/openai';
let error;
try { raiseForStatus({ object: 'response', id: 'resp_1', status: 'failed', error: { code: 'rate_limit_exceeded', message: 'x' } }); } catch (e) { error = e; }
console.log(JSON.stringify({ version: VERSION, rate: error instanceof RateLimitError, api: error instanceof APIError, status: error.status, retryable: error.contract.retryable }));`);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      version: openaiVersion,
      rate: true,
      api: true,
      status: 429,
      retryable: true,
    });
  });

  it("a CommonJS consumer requires both entry points, and its client's errors are its own classes", () => {
    const file = join(consumer, 'consumer.cjs');
    writeFileSync(
      file,
      `const OpenAI = require('openai');
const { classify } = require('${manifest.name}');
const { raiseForStatus } = require('${manifest.name}/openai');
const client = new OpenAI({ apiKey: 'k' });
const failed = { object: 'response', id: 'resp_1', status: 'failed', error: { code: 'server_error', message: 'x' } };
let error;
try { raiseForStatus(failed, { client }); } catch (e) { error = e; }
console.log(JSON.stringify({ kind: classify(failed).kind, own: error instanceof OpenAI.InternalServerError, base: error instanceof OpenAI.APIError }));`,
    );
    const r = run(process.execPath, [file]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ kind: 'internal_server_error', own: true, base: true });
  });

  it('the error-contract bin runs', () => {
    const bin = join(consumer, 'node_modules', '.bin', 'error-contract');
    const version = run(bin, ['--version']);
    expect(version.stdout).toBe(`error-contract ${manifest.version} (contract ${contract.meta.version})\n`);
    const classified = run(bin, ['classify'], {
      input: '{"object":"response","status":"failed","error":{"code":"rate_limit_exceeded","message":"x"}}',
    });
    expect(classified.status).toBe(0);
    expect(JSON.parse(classified.stdout)).toMatchObject({ kind: 'rate_limit_error', retryable: true });
    const installed = join(consumer, 'node_modules', manifest.name, 'generated', 'contract.json');
    const diffed = run(bin, ['diff', installed, installed, '--format', 'json']);
    expect(diffed.status).toBe(0);
    expect(JSON.parse(diffed.stdout)).toEqual({ bump: 'none', changes: [] });
  });
});
