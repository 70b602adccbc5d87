// Runs the built CLI (npm test builds first) as a user would, with input on stdin.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';

export const cliPath = join(packageRoot, 'dist', 'src', 'cli', 'main.js');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], input?: string | Buffer, cwd = packageRoot, env?: Record<string, string>): Run {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    input,
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: 60_000,
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
