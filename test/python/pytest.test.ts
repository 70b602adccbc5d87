// The Python package's own tests (src/python/tests), run by pytest in .venv (which npm test creates with the pinned
// openai, pytest and pytest-asyncio): any pytest failure fails this test, and so the suite. They start their own
// emulator from dist/ (built by npm test) and build the wheel into a fresh virtualenv.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';

const python = join(packageRoot, '.venv', 'bin', 'python');
const cwd = join(packageRoot, 'src', 'python');

function pytest(): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    // -p no:cacheprovider: nothing written into the source tree.
    const child = spawn(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-rfE'], { cwd, env: { ...process.env, NODE: process.execPath, PYTHONDONTWRITEBYTECODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 840_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

it('pytest passes: the error_contract package against the emulator with the real openai, and its wheel', async () => {
  expect(existsSync(python), `${python} missing: run npm run setup`).toBe(true);
  const { status, output } = await pytest();
  const summary = output.trimEnd().split('\n').at(-1) ?? '';
  console.log(`pytest (src/python): ${summary}`);
  expect(status, output.slice(-20_000)).toBe(0);
  expect(summary).toMatch(/^\d+ passed/);
  expect(summary).not.toMatch(/failed|error/);
}, 900_000);
