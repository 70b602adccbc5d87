// `error-contract serve` as another SDK's CI runs it: a separate process whose first stdout line is the base URL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForResponse } from '../../src/openai/index.js';
import { packageRoot } from '../../src/paths.js';
import { emulator, MODEL, rawStatus } from './support.js';

// The built CLI (npm test builds first).
const cli = join(packageRoot, 'dist', 'src', 'cli', 'main.js');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts `serve` and resolves with its first stdout line. */
async function serve(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { child, url };
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );
}

describe('error-contract serve', () => {
  it('prints the base URL first, serves the real client with its token and profile, and exits 0 on SIGTERM', async () => {
    const { child, url } = await serve(['--port', '0', '--token', 'sk-ci', '--profile', 'async-jobs-provider']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const client = new OpenAI({ apiKey: 'sk-ci', baseURL: url, maxRetries: 0 });
    const created = await client.responses.create({
      model: MODEL,
      input: 'hi',
      background: true,
      metadata: { scenario: 'error.type/server_error', polls: '1' },
    });
    expect(created.id).toMatch(/^req_/);
    await expect(waitForResponse(client, created.id, { pollIntervalMs: 1 })).rejects.toBeInstanceOf(
      OpenAI.InternalServerError,
    );
    await expect(
      new OpenAI({ apiKey: 'sk-test', baseURL: url, maxRetries: 0 }).responses.retrieve(created.id),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
  });

  it('no request ends the server: a target that is not a URL (`//`, `http://[`) is a 400, and it still exits 0 on SIGTERM', async () => {
    const { child, url } = await serve(['--port', '0']);
    const port = Number(new URL(url).port);
    for (const target of ['//', '///', '//[', 'http://[', '//a:99999', '/v1/responses/%'])
      expect(await rawStatus(port, target), target).toBe(400);
    expect(child.exitCode).toBeNull();
    expect(await rawStatus(port, '/v1/responses/resp_nope')).toBe(404);
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
  });

  it('usage errors exit 2 with a message', () => {
    for (const [args, message] of [
      [['--port', 'abc'], /--port must be an integer/],
      [['--port', '70000'], /--port must be an integer/],
      [['--profile', 'no-such'], /unknown profile "no-such"/],
      [['extra'], /takes no arguments/],
      [['--token', ''], /--token must not be empty/],
      [['--ttl', '0'], /--ttl must be an integer/],
      [['--webhook-url', 'http://127.0.0.1:9/hook'], /--webhook-url and --webhook-secret go together/],
      [['--webhook-secret', 'whsec_x'], /--webhook-url and --webhook-secret go together/],
      [['--webhook-url', 'ftp://127.0.0.1/hook', '--webhook-secret', 's'], /webhook URL must be an http or https URL/],
      [
        ['--webhook-url', 'http://127.0.0.1:9/hook', '--webhook-secret', ''],
        /webhook secret must be a non-empty string/,
      ],
    ] as const) {
      const r = spawnSync(process.execPath, [cli, 'serve', ...args], { encoding: 'utf8', timeout: 30_000 });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  it('a port in use exits 2', async () => {
    const taken = await emulator();
    try {
      const r = spawnSync(process.execPath, [cli, 'serve', '--port', String(taken.port)], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/cannot listen/);
    } finally {
      await taken.close();
    }
  });

  it('--help describes the scenarios metadata', () => {
    const r = spawnSync(process.execPath, [cli, 'serve', '--help'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('metadata');
    expect(r.stdout).toContain('/__emulator/scenarios');
    for (const text of [
      '/v1/batches',
      '/v1/fine_tuning/jobs',
      '/v1/vector_stores/{id}/files',
      'attributes',
      '--webhook-url URL',
      '--webhook-secret SECRET',
      '/__emulator/webhooks',
    ])
      expect(r.stdout).toContain(text);
  });
});
