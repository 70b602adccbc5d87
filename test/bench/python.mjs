// npm run bench, Python: error_contract.classify() against a hand-written dict lookup in the same process (goal <= 2x),
// run by test/bench/python_bench.py in .venv (npm run setup creates it).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export async function runPythonBench() {
  const python = join(root, '.venv', 'bin', 'python');
  const name = 'Python classify() vs hand-written dict lookup';
  if (!existsSync(python)) return [[name, '.venv missing (npm run setup)', '-', '<= 2x']];
  const r = spawnSync(python, [join(root, 'test', 'bench', 'python_bench.py')], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`bench: python_bench.py failed: ${r.stderr}`);
  const { classify, hand_written: hand, ratio } = JSON.parse(r.stdout.trim().split('\n').at(-1));
  const fmt = (n) => `${Math.round(n).toLocaleString('en-US')}/s`;
  return [[name, `${fmt(classify)} vs ${fmt(hand)}`, `${ratio.toFixed(2)}x`, '<= 2x']];
}
