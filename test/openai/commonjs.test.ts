// An application that loads openai with require() has the CommonJS copy of every SDK class. The helpers take the
// classes from the client they are given, so `instanceof` holds against whichever copy the application imported,
// and error-contract itself loads with require() too.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as esm from 'openai';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import {
  createAndWait,
  isContractError,
  raiseForStatus,
  waitForResponse,
  WaitAbortError,
  WaitTimeoutError,
} from '../../src/openai/index.js';
import { FAST_POLLS, MODEL, settle, useEmulator } from '../serve/support.js';

// The openai under test: the root's, or the other major's folder that test/runtimes/run.sh names.
const project = process.env.EC_OPENAI_FROM ?? packageRoot;
const cjs = createRequire(join(project, 'package.json'))('openai') as typeof esm;
const env = useEmulator();
const cjsClient = () => new cjs.OpenAI({ apiKey: 'sk-test', baseURL: env.server.url, maxRetries: 0, timeout: 20_000 });

const failed = {
  object: 'response',
  id: 'resp_1',
  status: 'failed',
  error: { code: 'rate_limit_exceeded', message: 'slow down' },
};

describe('a client of require("openai")', () => {
  it('is a second copy of the classes (else this file would prove nothing)', () => {
    expect(cjs.RateLimitError).not.toBe(esm.RateLimitError);
    expect(new cjs.OpenAI({ apiKey: 'k' })).not.toBeInstanceOf(esm.OpenAI);
  });

  it("raiseForStatus({client}) raises that copy's class; without a client, the ESM one", () => {
    const withClient = settleSync(() => raiseForStatus(failed, { client: cjsClient() }));
    expect(withClient).toBeInstanceOf(cjs.RateLimitError);
    expect(withClient).toBeInstanceOf(cjs.APIError);
    expect(withClient).not.toBeInstanceOf(esm.RateLimitError);
    expect(withClient).toMatchObject({
      status: 429,
      code: 'rate_limit_exceeded',
      contract: { kind: 'rate_limit_error', retryable: true },
    });
    expect(isContractError(withClient)).toBe(true);
    const without = settleSync(() => raiseForStatus(failed));
    expect(without).toBeInstanceOf(esm.RateLimitError);
    // A class the client's constructor does not carry comes from the ESM copy, still an SDK class.
    const length = settleSync(() =>
      raiseForStatus(
        {
          object: 'chat.completion',
          choices: [{ index: 0, finish_reason: 'length', message: { role: 'assistant', content: 'x' } }],
        },
        { client: cjsClient() },
      ),
    );
    expect(isContractError(length)).toBe(true);
  });

  it("waitForResponse and createAndWait raise that copy's classes for a failed Response", async () => {
    const client = cjsClient();
    const created = await client.responses.create({
      model: MODEL,
      input: 'x',
      background: true,
      metadata: { scenario: 'error.code/server_error' },
    });
    const waited = await settle(waitForResponse(client, created.id, FAST_POLLS));
    expect(waited.error).toBeInstanceOf(cjs.InternalServerError);
    expect(waited.error).not.toBeInstanceOf(esm.InternalServerError);
    const made = await settle(
      createAndWait(
        client,
        { model: MODEL, input: 'x', metadata: { scenario: 'error.code/rate_limit_exceeded' } },
        FAST_POLLS,
      ),
    );
    expect(made.error).toBeInstanceOf(cjs.RateLimitError);
    expect(isContractError(made.error)).toBe(true);
  });

  it("a deadline and an abort are that copy's APIConnectionTimeoutError and APIUserAbortError, and WaitTimeoutError / WaitAbortError", async () => {
    const client = cjsClient();
    const created = await client.responses.create({
      model: MODEL,
      input: 'x',
      background: true,
      metadata: { polls: '10000' },
    });
    const timedOut = await settle(waitForResponse(client, created.id, { ...FAST_POLLS, timeoutMs: 50 }));
    expect(timedOut.error).toBeInstanceOf(cjs.APIConnectionTimeoutError);
    expect(timedOut.error).toBeInstanceOf(WaitTimeoutError);
    expect(timedOut.error).not.toBeInstanceOf(WaitAbortError);
    expect(timedOut.error).toMatchObject({ name: 'WaitTimeoutError', timeoutMs: 50, response: { id: created.id } });
    const controller = new AbortController();
    const aborted = settle(waitForResponse(client, created.id, { ...FAST_POLLS, signal: controller.signal }));
    controller.abort(new Error('stop'));
    const error = (await aborted).error;
    expect(error).toBeInstanceOf(cjs.APIUserAbortError);
    expect(error).toBeInstanceOf(WaitAbortError);
    expect(error).not.toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).cause).toEqual(new Error('stop'));
    // The ESM client's errors are still the declared classes.
    const esmTimeout = await settle(
      waitForResponse(new esm.OpenAI({ apiKey: 'sk-test', baseURL: env.server.url, maxRetries: 0 }), created.id, {
        ...FAST_POLLS,
        timeoutMs: 20,
      }),
    );
    expect(esmTimeout.error).toBeInstanceOf(esm.APIConnectionTimeoutError);
    expect(esmTimeout.error).toBeInstanceOf(WaitTimeoutError);
  });
});

describe('require("error-contract")', () => {
  it('loads the root and the openai subpath from a CommonJS module, and instanceof holds for a CommonJS client', () => {
    const source = `const { classify } = require('error-contract');
const { raiseForStatus, WaitTimeoutError } = require('error-contract/openai');
const OpenAI = require('openai');
const client = new OpenAI({ apiKey: 'k' });
let error;
try { raiseForStatus(${JSON.stringify(failed)}, { client }); } catch (e) { error = e; }
console.log(JSON.stringify({ kind: classify(${JSON.stringify(failed)}).kind, rate: error instanceof OpenAI.RateLimitError, timeout: typeof WaitTimeoutError }));`;
    // error-contract resolves itself by name from the package root (the pack test does the same from an installed copy).
    const direct = spawnSync(process.execPath, ['-e', source], { cwd: packageRoot, encoding: 'utf8', timeout: 30_000 });
    expect(direct.stderr).toBe('');
    expect(JSON.parse(direct.stdout)).toEqual({ kind: 'rate_limit_error', rate: true, timeout: 'function' });
  });
});

function settleSync(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
