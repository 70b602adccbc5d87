// npm run bench: speed ratios measured in this one process run (never asserted by timed tests).
//  1. classify() against a hand-written switch over the same inputs (goal <= 1.3x), with no code generated at run time.
//  2. `classify --jsonl` against a bare JSON.parse + JSON.stringify line loop (goal <= 1.3x), and against jq.
// Further suites (conformance) add themselves below when present.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { classify } from '../../dist/src/index.js';
import { publishedContract } from '../../dist/src/contract.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const contract = publishedContract();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---------------------------------------------------------------------------------------------------------------
// 1. classify() vs a hand-written switch.
// The switch is what a careful user writes by hand for the common shapes (Responses, stream events, HTTP errors),
// returning prebuilt frozen results: the cheapest code that gives the same answers on these inputs.
const inputs = [];
for (const e of contract.entries.filter((x) => x.field === 'response.error.code' && x.value !== '*')) {
  inputs.push({
    object: 'response',
    id: 'resp_1',
    status: 'failed',
    background: true,
    error: { code: e.value, message: 'm' },
    incomplete_details: null,
    output: [],
  });
}
for (const s of ['queued', 'in_progress', 'completed', 'cancelled'])
  inputs.push({ object: 'response', id: 'resp_2', status: s, background: true, error: null, output: [] });
for (const r of ['max_output_tokens', 'content_filter'])
  inputs.push({ object: 'response', status: 'incomplete', error: null, incomplete_details: { reason: r } });
for (const status of [400, 401, 403, 404, 409, 422, 429, 500, 503])
  inputs.push({
    http_status: status,
    headers: { 'content-type': 'application/json' },
    body: { error: { message: 'm', type: 't', param: null, code: null } },
  });
inputs.push({
  http_status: 429,
  body: { error: { message: 'm', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } },
});
inputs.push({ type: 'response.output_text.delta', delta: 'hi', sequence_number: 4 });

const resultOf = (observation) => classify(observation);
const table = new Map(inputs.map((o) => [o, resultOf(o)]));
const R = (id, outcome, status) => {
  const found = [...table.values()].find(
    (r) => r.entry === id && r.outcome === outcome && (status === undefined || r.http_status === status),
  );
  if (!found) throw new Error(`bench: no prebuilt result for ${id}`);
  return found;
};
// The codes a failed Response lists (their meanings now live in the shared vocabulary): the result each one gets.
const errorCode = Object.fromEntries(
  inputs.filter((o) => o.object === 'response' && o.status === 'failed').map((o) => [o.error.code, table.get(o)]),
);
const byStatus = {};
for (const o of inputs) if (o.http_status && !o.body?.error?.code) byStatus[o.http_status] = table.get(o);
const quota = table.get(inputs.find((o) => o.body?.error?.code === 'insufficient_quota'));
const pending = {
  queued: R('response.status/queued', 'pending'),
  in_progress: R('response.status/in_progress', 'pending'),
};
const completed = R('response.status/completed', 'completed');
const cancelled = R('response.status/cancelled', 'cancelled');
const incomplete = {
  max_output_tokens: R('response.incomplete_details.reason/max_output_tokens', 'incomplete'),
  content_filter: R('response.incomplete_details.reason/content_filter', 'incomplete'),
};
const delta = R('response.stream.event/*', 'pending');

function handWritten(o) {
  if (o.http_status !== undefined) {
    if (o.http_status === 429 && o.body?.error?.code === 'insufficient_quota') return quota;
    return byStatus[o.http_status];
  }
  if (o.object === 'response') {
    switch (o.status) {
      case 'queued':
      case 'in_progress':
        return pending[o.status];
      case 'completed':
        return completed;
      case 'cancelled':
        return cancelled;
      case 'failed':
        return errorCode[o.error.code];
      case 'incomplete':
        return incomplete[o.incomplete_details.reason];
    }
  }
  if (o.type === 'response.output_text.delta') return delta;
  throw new Error('unreachable');
}

for (const o of inputs) {
  if (!isDeepStrictEqual(handWritten(o), classify(o)))
    throw new Error(`bench: the switch and classify() disagree on ${JSON.stringify(o)}`);
}

function opsPerSecond(fn, rounds = 7, iterations = 400_000) {
  const samples = [];
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink ^= fn(inputs[i % inputs.length]).retryable ? 1 : 0;
    samples.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  globalThis.__sink = sink;
  return iterations / median(samples);
}

// Warm both paths, then interleave short measurements and take the median of the ratio of each adjacent pair:
// a ratio within one pair is robust to the drift of a shared virtual machine, which moves both sides together.
opsPerSecond(handWritten, 2, 100_000);
opsPerSecond(classify, 2, 100_000);
const switchRates = [];
const classifyRates = [];
const pairRatios = [];
for (let i = 0; i < 15; i++) {
  const s = opsPerSecond(handWritten, 3, 200_000);
  const c = opsPerSecond(classify, 3, 200_000);
  switchRates.push(s);
  classifyRates.push(c);
  pairRatios.push(s / c);
}
const switchRate = median(switchRates);
const classifyRate = median(classifyRates);
const rows = [];
const fmt = (n) => `${Math.round(n).toLocaleString('en-US')}/s`;
rows.push([
  'classify() vs hand-written switch',
  `${fmt(classifyRate)} vs ${fmt(switchRate)}`,
  median(pairRatios).toFixed(2) + 'x',
  '<= 1.3x',
]);

// ---------------------------------------------------------------------------------------------------------------
// 2. classify --jsonl vs a bare line loop, as whole processes over the same file.
const dir = mkdtempSync(join(tmpdir(), 'ec-bench-'));
try {
  const lines = 200_000;
  const file = join(dir, 'observations.jsonl');
  const text = Array.from({ length: lines }, (_, i) => JSON.stringify(inputs[i % inputs.length])).join('\n') + '\n';
  writeFileSync(file, text);
  const bare = join(dir, 'bare.mjs');
  // The same streaming and line splitting as the CLI, with JSON.parse + JSON.stringify in place of classify().
  writeFileSync(
    bare,
    `import { createReadStream } from 'node:fs';
const input = createReadStream(process.argv[2], { encoding: 'utf8' });
let pending = '';
const write = (s) => new Promise((r) => (process.stdout.write(s) ? r() : process.stdout.once('drain', r)));
for await (const chunk of input) {
  let out = '', start = 0;
  const text = pending + chunk;
  for (let nl = text.indexOf('\\n'); nl !== -1; nl = text.indexOf('\\n', start)) {
    const line = text.slice(start, nl);
    if (line.trim() !== '') out += JSON.stringify(JSON.parse(line)) + '\\n';
    start = nl + 1;
  }
  pending = text.slice(start);
  if (out) await write(out);
}
`,
  );
  const timeProcess = (cmd, args) => {
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`bench: ${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  const cli = join(root, 'dist', 'src', 'cli', 'main.js');
  const runs = { cli: [], bare: [], jq: [] };
  const hasJq = spawnSync('jq', ['--version']).status === 0;
  for (let i = 0; i < 5; i++) {
    runs.cli.push(timeProcess(process.execPath, [cli, 'classify', '--jsonl', file]));
    runs.bare.push(timeProcess(process.execPath, [bare, file]));
    if (hasJq) runs.jq.push(timeProcess('jq', ['-c', '.', file]));
  }
  const rate = (xs) => lines / median(xs);
  rows.push([
    'classify --jsonl vs bare parse+stringify loop',
    `${fmt(rate(runs.cli))} vs ${fmt(rate(runs.bare))}`,
    (median(runs.cli) / median(runs.bare)).toFixed(2) + 'x',
    '<= 1.3x',
  ]);
  if (hasJq)
    rows.push([
      'classify --jsonl vs jq -c .',
      `${fmt(rate(runs.cli))} vs ${fmt(rate(runs.jq))}`,
      (median(runs.cli) / median(runs.jq)).toFixed(2) + 'x',
      '(reference)',
    ]);
  else rows.push(['classify --jsonl vs jq -c .', 'jq not installed', '-', '(reference)']);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------------
// Other suites, each in its own module: the conformance runner, and the emulator with the openai helpers.
for (const [file, name] of [
  ['test/bench/conformance.mjs', 'runConformanceBench'],
  ['test/serve/bench.mjs', 'runEmulatorBench'],
  ['test/bench/python.mjs', 'runPythonBench'],
]) {
  const path = join(root, file);
  if (!existsSync(path)) continue;
  const suite = await import(path);
  for (const row of await suite[name]()) rows.push(row);
}

const widths = [0, 1, 2, 3].map((i) =>
  Math.max(...[['benchmark', 'rates', 'ratio', 'goal'], ...rows].map((r) => String(r[i]).length)),
);
const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ');
console.log(line(['benchmark', 'rates', 'ratio', 'goal']));
for (const r of rows) console.log(line(r));
