// Shared by the emulator and error-contract/openai tests: an emulator per test file and a real openai client on it.
import OpenAI from 'openai';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/serve/server.js';

export const MODEL = 'emulated-model';

export async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator(options);
}

/** The real openai client pointed at the emulator; no retries unless a test asks for them. */
export function clientFor(server: Emulator, options: { maxRetries?: number; apiKey?: string } = {}): OpenAI {
  return new OpenAI({ apiKey: options.apiKey ?? 'sk-test', baseURL: server.url, maxRetries: options.maxRetries ?? 0, timeout: 20_000 });
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
