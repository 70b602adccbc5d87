// Another SDK's tests against the emulator: the Python openai package (the pinned one in .venv, which npm test
// creates) runs a background job to its scripted failure, and its own retry honours the emulator's Retry-After.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { requestsOf, useEmulator } from './support.js';

const python = join(packageRoot, '.venv', 'bin', 'python');
const env = useEmulator();

/** Runs a Python script without blocking this process's event loop (the emulator lives in it). */
function run(
  script: string,
  extraEnv: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(python, ['-c', script], {
      env: { ...process.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const script = `
import json, os, time, openai
client = openai.OpenAI(base_url=os.environ["BASE_URL"], api_key="sk-test", max_retries=2)
out = {}
r = client.responses.create(model="m", input="hi", background=True, metadata={"scenario": "error.code/rate_limit_exceeded", "polls": "2"})
out["created"] = [r.id, r.status]
for _ in range(10):
    r = client.responses.retrieve(r.id)
    if r.status not in ("queued", "in_progress"):
        break
    time.sleep(0.01)
out["final"] = [r.status, r.error.code]
j = client.responses.create(model="m", background=True, metadata={"scenario": "http.status/429", "retry_after_ms": "700"})
out["fault"] = [j.id, client.responses.retrieve(j.id).status]
try:
    client.responses.create(model="m", metadata={"scenario": "no.such/entry"})
except openai.BadRequestError as e:
    out["unknown"] = [e.status_code, e.param]
try:
    openai.OpenAI(base_url=os.environ["BASE_URL"], api_key="sk-wrong", max_retries=0).responses.retrieve(r.id)
except openai.AuthenticationError as e:
    out["auth"] = [e.status_code, e.code]
print(json.dumps(out))
`;

describe('the Python openai package against the emulator', () => {
  it('the virtualenv exists (npm test creates it)', () => {
    expect(existsSync(python), `${python} missing: run npm run setup`).toBe(true);
  });

  it("runs a background job to its failure, retries a 429 after Retry-After, and meets the API's errors", async () => {
    const r = await run(script, { BASE_URL: env.server.url });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, [string | number, string | number]>;
    expect(out.created![1]).toBe('queued');
    expect(out.final).toEqual(['failed', 'rate_limit_exceeded']);
    expect(out.fault![1]).toBe('completed');
    expect(out.unknown).toEqual([400, 'metadata.scenario']);
    expect(out.auth).toEqual([401, 'invalid_api_key']);
    // The job was polled until its end, and no more.
    expect(requestsOf(env.server, String(out.created![0])).filter((e) => e.method === 'GET')).toHaveLength(3);
    // The Python SDK's own first backoff is at most 0.5 s: a gap of 700 ms or more is the retry-after-ms header's.
    const polls = requestsOf(env.server, String(out.fault![0])).filter((e) => e.method === 'GET');
    expect(polls.map((p) => p.status)).toEqual([429, 200]);
    expect(polls[1]!.at_ms - polls[0]!.at_ms).toBeGreaterThanOrEqual(699);
  });
});
