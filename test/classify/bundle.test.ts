// The package as a browser or an edge runtime gets it: the public entry `error-contract`, bundled by esbuild for the
// browser with a consumer's code (fixtures/consumer.ts), then run in real Chromium (Debian's /usr/bin/chromium
// through playwright-core) as a page's module and in a Web Worker, both under a Content-Security-Policy that forbids
// eval, and in a node:vm context with code generation from strings forbidden and none of Node's globals, as
// Cloudflare Workers and Vercel's Edge runtime run code. Every conformance vector is classified in each, under every
// profile and under a contract passed at run time; the answers must be the vectors' expected results and Node's own.
// A bundle that needs a Node built-in fails to build; an error thrown while it loads or runs fails the test.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import vm from 'node:vm';
import { build, type Metafile } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResult, formatMismatches } from '../../src/conformance/compare.js';
import { loadVectors } from '../../src/conformance/vectors.js';
import { packageRoot } from '../../src/paths.js';
import { classifyAll, type Report } from './fixtures/consumer.js';
import { launchChromium } from '../support/chromium.js';

// No inline script, no eval, no new Function, nothing from elsewhere: what a strict page allows (and so a Worker).
const CSP = "default-src 'self'; script-src 'self'; worker-src 'self'";
const CONSUMER = new URL('./fixtures/consumer.ts', import.meta.url).pathname;

const vectors = loadVectors();
const observations = vectors.map((v) => v.observation);
// Node's answers from the consumer unbundled: what every bundled run must give.
const reference = JSON.parse(JSON.stringify(classifyAll(observations))) as Report;

/** The consumer and the package, bundled for the browser as one file; esbuild's errors fail the build. */
async function bundle(format: 'esm' | 'iife'): Promise<{ code: string; inputs: string[] }> {
  const result = await build({
    entryPoints: [CONSUMER],
    absWorkingDir: packageRoot,
    bundle: true,
    write: false,
    format,
    ...(format === 'iife' ? { globalName: 'Consumer' } : {}),
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys((result.metafile as Metafile).inputs) };
}

// The page: the consumer's answers, then a module Worker's for the same observations. Failures are reported, not
// thrown, so that the test says what failed (a load error, a ReferenceError) instead of timing out.
const PAGE = `const report = (value) => { window.__report = value; };
try {
  const observations = await (await fetch('/observations.json')).json();
  const { classifyAll } = await import('/consumer.mjs');
  const page = classifyAll(observations);
  const worker = await new Promise((resolve) => {
    const w = new Worker('/worker.js', { type: 'module' });
    w.onmessage = (event) => resolve(event.data);
    w.onerror = (event) => resolve({ error: 'worker: ' + (event.message || 'failed to load') });
    w.postMessage(observations);
  });
  report({ page, worker });
} catch (error) {
  report({ error: String(error && error.stack || error) });
}
`;
const WORKER = `self.onmessage = async (event) => {
  try {
    const { classifyAll } = await import('/consumer.mjs');
    self.postMessage(classifyAll(event.data));
  } catch (error) {
    self.postMessage({ error: String(error && error.stack || error) });
  }
};
`;
const INDEX =
  '<!doctype html><meta charset="utf-8"><title>error-contract in a page</title><script type="module" src="/page.js"></script>';

/** Serves `files` on 127.0.0.1 at a port the system picks, every response under the CSP. */
function serve(files: Map<string, { type: string; body: string }>): Promise<Server> {
  const s = createServer((req, res) => {
    const file = files.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!file) return void res.writeHead(404).end();
    res
      .writeHead(200, { 'content-type': file.type, 'content-security-policy': CSP, 'cache-control': 'no-store' })
      .end(file.body);
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

let esm: { code: string; inputs: string[] };
let iife: { code: string; inputs: string[] };
let browser: Browser | undefined;
const servers: Server[] = [];

beforeAll(async () => {
  [esm, iife] = await Promise.all([bundle('esm'), bundle('iife')]);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
});

interface PageRun {
  report: { page?: Report; worker?: Report; error?: string };
  errors: string[];
  outside: string[];
}

/** Loads the page with `consumer` as /consumer.mjs and returns what it reported, its errors and any foreign request. */
async function runPage(consumer: string): Promise<PageRun> {
  const files = new Map([
    ['/index.html', { type: 'text/html; charset=utf-8', body: INDEX }],
    ['/page.js', { type: 'text/javascript', body: PAGE }],
    ['/worker.js', { type: 'text/javascript', body: WORKER }],
    ['/consumer.mjs', { type: 'text/javascript', body: consumer }],
    ['/observations.json', { type: 'application/json', body: JSON.stringify(observations) }],
  ]);
  const server = await serve(files);
  servers.push(server);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const context = await browser!.newContext();
  const errors: string[] = [];
  const outside: string[] = [];
  try {
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`)) return route.continue();
      outside.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/index.html`);
    await page.waitForFunction(() => (window as { __report?: unknown }).__report !== undefined, undefined, {
      timeout: 60_000,
    });
    const report = (await page.evaluate(() => (window as { __report?: unknown }).__report)) as PageRun['report'];
    return { report, errors, outside };
  } finally {
    await context.close();
  }
}

/** Runs `code` as a script in a context of its own: ECMAScript's globals only, no eval, no WebAssembly compilation. */
function runInSandbox(code: string): Report {
  const context = vm.createContext({}, { codeGeneration: { strings: false, wasm: false } });
  new vm.Script(code, { filename: 'consumer.js' }).runInContext(context, { timeout: 60_000 });
  context.observationsText = JSON.stringify(observations);
  // The report crosses realms as JSON, which is also what a Worker would post.
  return JSON.parse(
    vm.runInContext('JSON.stringify(Consumer.classifyAll(JSON.parse(observationsText)))', context, {
      timeout: 60_000,
    }) as string,
  ) as Report;
}

/** Every vector's expected result under the default profile, and Node's answers for everything else. */
function expectSameAnswers(report: Report | undefined, where: string): void {
  expect(report, where).toBeDefined();
  const defaults = report!.byProfile.default!;
  expect(defaults, where).toHaveLength(vectors.length);
  const wrong = vectors.flatMap((v, i) => {
    const mismatches = compareResult(v.expected, defaults[i]!);
    return mismatches.length > 0 ? [`${v.id}: ${formatMismatches(mismatches)}`] : [];
  });
  expect(wrong, where).toEqual([]);
  expect(report!.byProfile, where).toEqual(reference.byProfile);
  expect(report!.runTimeContract, where).toEqual(reference.runTimeContract);
}

describe('the browser bundle', () => {
  it('is built from the public entry and the published data, with no Node built-in', () => {
    for (const { inputs } of [esm, iife]) {
      expect(inputs).toContain('dist/src/index.js');
      expect(inputs).toContain('dist/generated/contract-data.js');
      expect(inputs.filter((i) => i.startsWith('node:') || !/^(dist|test)\//.test(i))).toEqual([]);
    }
  });

  it('a bundle that imports a Node built-in does not build for the browser', async () => {
    const failed = await build({
      stdin: {
        contents: "import { readFileSync } from 'node:fs'; export const x = readFileSync;",
        resolveDir: packageRoot,
      },
      bundle: true,
      write: false,
      platform: 'browser',
      logLevel: 'silent',
    }).then(
      () => 'built',
      (error: Error) => error.message,
    );
    expect(failed).toMatch(/Could not resolve "node:fs"/);
  });

  it('classifies every vector in a Chromium page and in a Web Worker under a CSP that forbids eval', async () => {
    const run = await runPage(esm.code);
    expect(run.report.error).toBeUndefined();
    expect(run.errors).toEqual([]);
    expect(run.outside).toEqual([]);
    for (const where of ['page', 'worker'] as const) {
      const report = run.report[where];
      // The CSP is in force: classify() ran where code generation from strings is refused.
      expect(report?.codeGeneration, where).toEqual({ eval: 'EvalError', function: 'EvalError' });
      expect(report?.nodeGlobals, where).toEqual({
        process: 'undefined',
        require: 'undefined',
        Buffer: 'undefined',
        module: 'undefined',
      });
      expectSameAnswers(report, where);
    }
  });

  it('an error thrown while the bundle runs in the page is reported, not missed', async () => {
    const run = await runPage('export function classifyAll() { return process.env; }');
    expect(run.report.error).toMatch(/ReferenceError: process is not defined/);
  });
});

describe('a worker-like sandbox (node:vm: no eval, no WebAssembly compilation, no Node globals)', () => {
  it('classifies every vector', () => {
    const report = runInSandbox(iife.code);
    expect(report.codeGeneration).toEqual({ eval: 'EvalError', function: 'EvalError' });
    expect(report.nodeGlobals).toEqual({
      process: 'undefined',
      require: 'undefined',
      Buffer: 'undefined',
      module: 'undefined',
    });
    expectSameAnswers(report, 'vm');
  });

  it('a bundle that reaches for a Node global fails there', () => {
    expect(() => runInSandbox('var Consumer = { classifyAll() { return Buffer.from("x"); } };')).toThrow(
      /Buffer is not defined/,
    );
  });
});
