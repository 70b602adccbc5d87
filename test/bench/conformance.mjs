// Conformance speed: `npm run bench` calls runConformanceBench() (test/bench/run.mjs), or run it alone:
//   npm run build && node test/bench/conformance.mjs
// Rates are differential (a long run minus a short one, same adapter), so start-up is not counted in them;
// the "10k property cases" rows are wall-clock times of the CLI, start-up included. Medians of 3.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runConformance } from '../../dist/src/conformance/runner.js';
import { loadVectors } from '../../dist/src/conformance/vectors.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
const python = join(root, '.venv', 'bin', 'python');
const q = (w) => `'${w}'`;
const adapters = {
  typescript: `${q(process.execPath)} ${q(cli)} adapter`,
  python: `${q(python)} ${q(join(root, 'conformance', 'adapters', 'python', 'adapter.py'))}`,
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => `${Math.round(n / 1000)}k/s`;

async function timed(options) {
  const started = performance.now();
  const report = await runConformance({ seed: 1, timeoutMs: 60_000, ...options });
  if (report.footer.exit_code !== 0)
    throw new Error(`bench: the run failed: ${JSON.stringify(report.footer.harness_error ?? report.footer.counts)}`);
  return { ms: performance.now() - started, cases: report.footer.counts.total };
}

/** Cases per second of the long run beyond the short one: per-case cost with start-up cancelled out. */
async function rate(short, long) {
  const rates = [];
  for (let i = 0; i < 3; i++) {
    const a = await timed(short);
    const b = await timed(long);
    rates.push(((b.cases - a.cases) / (b.ms - a.ms)) * 1000);
  }
  return median(rates);
}

/** A bare pipelined JSON-lines round trip to a child that parses each line and answers it: the ceiling. */
function bareChild(language, lines) {
  const child =
    language === 'node'
      ? spawn(process.execPath, [
          '-e',
          `let p='';process.stdin.setEncoding('utf8');process.stdin.on('data',c=>{const l=(p+c).split('\\n');p=l.pop();let o='';for(const x of l){const m=JSON.parse(x);o+=JSON.stringify({seq:m.seq,result:m.observation})+'\\n'}process.stdout.write(o)})`,
        ])
      : spawn(python, [
          '-c',
          `import sys,os,json\np=b''\nwhile True:\n  c=os.read(0,65536)\n  if not c: break\n  l=(p+c).split(b'\\n'); p=l.pop(); o=[]\n  for x in l:\n    m=json.loads(x); o.append(json.dumps({"seq":m["seq"],"result":m["observation"]}))\n  if o: sys.stdout.write('\\n'.join(o)+'\\n'); sys.stdout.flush()`,
        ]);
  return new Promise((resolve) => {
    let seen = 0;
    let pending = '';
    const started = performance.now();
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop();
      for (const part of parts) {
        JSON.parse(part);
        seen++;
      }
      if (seen === lines.length) {
        child.stdin.end();
        resolve((lines.length / (performance.now() - started)) * 1000);
      }
    });
    child.stdin.write(lines.join('\n') + '\n');
  });
}

/** Wall-clock of the CLI: 10,000 property-based cases (and the vectors), start-up included. */
function cliSeconds(adapter) {
  const times = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const r = spawnSync(
      process.execPath,
      [cli, 'conformance', '--adapter', adapter, '--runs', '10000', '--seed', String(i + 1), '--reporter', 'json'],
      { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
    );
    if (r.status !== 0) throw new Error(`bench: conformance CLI failed: ${r.stderr}`);
    times.push((performance.now() - started) / 1000);
  }
  return median(times);
}

export async function runConformanceBench() {
  if (!existsSync(python)) throw new Error('bench: .venv is missing (npm run setup)');
  const vectors = loadVectors();
  const typical = vectors.filter((v) => JSON.stringify(v.observation).length <= 2048);
  const repeat = (list, n) => Array.from({ length: n }, () => list).flat();
  const rows = [];
  const small = vectors
    .slice(0, 50)
    .map((v) => `{"cmd":"classify","seq":1,"observation":${JSON.stringify(v.observation)}}`);
  const bareLines = repeat(small, 2000);
  const bare = { node: await bareChild('node', bareLines), python: await bareChild('python', bareLines) };
  rows.push([
    'bare JSON-lines round trip (ceiling)',
    `node ${fmt(bare.node)}, python ${fmt(bare.python)}`,
    '-',
    '(reference)',
  ]);
  // How loaded the machine is right now: the start-up of a bare node and of the CLI (every command loaded).
  const startup = (args) =>
    median(
      [0, 1, 2].map(() => {
        const started = performance.now();
        spawnSync(process.execPath, args, { stdio: 'ignore' });
        return (performance.now() - started) / 1000;
      }),
    );
  rows.push([
    'start-up: bare node, error-contract --version',
    `${startup(['-e', '0']).toFixed(2)} s, ${startup([cli, '--version']).toFixed(2)} s`,
    '-',
    '(reference)',
  ]);
  for (const [name, adapter] of Object.entries(adapters)) {
    const goal = name === 'typescript' ? 100_000 : 60_000;
    const all = await rate({ adapter, vectors, runs: 0 }, { adapter, vectors: repeat(vectors, 400), runs: 0 });
    const usual = await rate(
      { adapter, vectors: typical, runs: 0 },
      { adapter, vectors: repeat(typical, 400), runs: 0 },
    );
    rows.push([
      `vector cases/s, ${name} adapter (whole suite)`,
      fmt(all),
      `${(all / goal).toFixed(2)}x goal`,
      `>= ${fmt(goal)}`,
    ]);
    rows.push([
      `vector cases/s, ${name} adapter (vectors <= 2 KiB)`,
      fmt(usual),
      `${(usual / goal).toFixed(2)}x goal`,
      `>= ${fmt(goal)}`,
    ]);
    const property = await rate({ adapter, vectors: [], runs: 1000 }, { adapter, vectors: [], runs: 50_000 });
    rows.push([
      `property cases/s, ${name} adapter`,
      fmt(property),
      `${(property / 20_000).toFixed(2)}x goal`,
      '>= 20k/s',
    ]);
    const seconds = cliSeconds(adapter);
    const limit = name === 'typescript' ? 1 : 2;
    rows.push([
      `10k property cases + vectors, ${name} (CLI, start-up incl.)`,
      `${seconds.toFixed(2)} s`,
      `${(seconds / limit).toFixed(2)}x limit`,
      `< ${limit} s`,
    ]);
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await runConformanceBench();
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join('  '));
}
