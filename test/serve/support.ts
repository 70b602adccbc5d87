// Shared by the emulator and error-contract/openai tests: an emulator per test file and a real openai client on it.
import OpenAI from 'openai';
import { afterAll, beforeAll } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/serve/server.js';

export const MODEL = 'emulated-model';

export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator(options);
}

/** Polling options that keep waits short in tests (the emulator answers at once). */
export const FAST_POLLS = { pollIntervalMs: 1, maxPollIntervalMs: 5 } as const;

/** One emulator and one client for the whole test file: started before its tests, closed after them. */
export function useEmulator(
  options: EmulatorOptions = {},
  client: { maxRetries?: number; timeout?: number } = {},
): { server: Emulator; client: OpenAI } {
  const env = {} as { server: Emulator; client: OpenAI };
  beforeAll(async () => {
    env.server = await startEmulator(options);
    env.client = clientFor(env.server, client);
  });
  afterAll(() => env.server.close());
  return env;
}

/** The real openai client pointed at the emulator; no retries unless a test asks for them. */
export function clientFor(
  server: Emulator,
  options: { maxRetries?: number; apiKey?: string; timeout?: number } = {},
): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey ?? 'sk-test',
    baseURL: server.url,
    maxRetries: options.maxRetries ?? 0,
    timeout: options.timeout ?? 20_000,
  });
}

/** The request-log entries of one job, in arrival order. */
export function requestsOf(server: Emulator, id: string) {
  return server.log().entries.filter((e) => e.response_id === id);
}

/** Settles a promise into {value} or {error}, so that a test can inspect a rejection without try/catch. */
export async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

/** Sends one raw HTTP/1.1 request (a target fetch would normalise, such as `//`) and resolves with the status answered. */
export async function rawStatus(port: number, target: string, method = 'GET'): Promise<number> {
  const { connect } = await import('node:net');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.write(
        `${method} ${target} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer sk-test\r\nconnection: close\r\n\r\n`,
      );
    });
    let text = '';
    // A server that never answers fails the test in seconds, not at the suite's timeout.
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${method} ${target} within 10 s`)));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (status) resolve(Number(status[1]));
      else reject(new Error(`no HTTP answer to ${method} ${target}: ${JSON.stringify(text.slice(0, 200))}`));
    });
  });
}
