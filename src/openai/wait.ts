// The poll loop every wait helper shares: polls one object until the contract says it has ended, then returns or
// raises. What differs between Responses, batches, fine-tuning jobs and vector-store files is a small description
// (a Waitable: how to retrieve the object, and which observation of the contract it is); waitForResponse is here,
// the others are in resources.ts.
import type { APIPromise } from 'openai';
import type OpenAI from 'openai';
import type { Response } from 'openai/resources/responses/responses';
import type { ClassifyOptions } from '../classify/classify.js';
import { classify } from '../classify/classify.js';
import { Budget, checkDuration, type WaitAbortError, type WaitTimeoutError } from './budget.js';
import { contractError, type ContractResult } from './raise.js';
import { isPlainObject } from '../plain-object.js';

/** The part of an OpenAI client this module uses (an OpenAI or AzureOpenAI instance). */
export type ResponsesClient = { responses: Pick<OpenAI['responses'], 'create' | 'retrieve'> };

/** The per-request options of an SDK call (signal, headers, …); `openai/internal` is not an entry point to import from. */
type RequestOptions = NonNullable<Parameters<OpenAI['batches']['retrieve']>[1]>;

export interface PollInfo {
  /** 1 for the first poll. */
  poll: number;
  /** How the contract classifies the object just read. */
  result: ContractResult;
  /** The poll's HTTP response headers (x-request-id, openai-poll-after-ms, …). */
  headers: Headers;
  /** Milliseconds until the next poll; null when the object has ended. */
  nextPollMs: number | null;
}

export interface WaitOptions<T = Response> extends ClassifyOptions {
  /** Aborts the wait (and the poll in flight): throws a WaitAbortError, an APIUserAbortError. */
  signal?: AbortSignal;
  /** Deadline for the whole wait, default one hour: throws a WaitTimeoutError, an APIConnectionTimeoutError. */
  timeoutMs?: number;
  /** Delay before the second poll, default 1000; it grows by half each poll up to maxPollIntervalMs. */
  pollIntervalMs?: number;
  /**
   * Cap of the growing delay, default 10000. A server's openai-poll-after-ms header overrides both: a whole number
   * of milliseconds (decimal digits only; anything else is ignored), clamped to MIN_POLL_AFTER_MS (100) and
   * MAX_POLL_AFTER_MS (60000), so that no server can make the wait poll in a tight loop or go quiet for hours.
   */
  maxPollIntervalMs?: number;
  /** Called after every poll (with the object just read), before sleeping; an error it throws ends the wait. */
  onPoll?: (object: T, info: PollInfo) => void | Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 3_600_000;
const DEFAULT_POLL_INTERVAL_MS = 1_000;
const DEFAULT_MAX_POLL_INTERVAL_MS = 10_000;
const BACKOFF_FACTOR = 1.5;
/** The shortest delay an openai-poll-after-ms header can ask for: a smaller value (0 included) waits this long. */
export const MIN_POLL_AFTER_MS = 100;
/** The longest delay an openai-poll-after-ms header can ask for: a larger value waits this long. */
export const MAX_POLL_AFTER_MS = 60_000;

export function checkWaitOptions(options: WaitOptions<never>): void {
  checkDuration('timeoutMs', options.timeoutMs, { allowZero: true });
  checkDuration('pollIntervalMs', options.pollIntervalMs, { allowZero: false });
  checkDuration('maxPollIntervalMs', options.maxPollIntervalMs, { allowZero: false });
  if (options.onPoll !== undefined && typeof options.onPoll !== 'function')
    throw new TypeError('onPoll must be a function');
}

/** A poll's answer as the contract reads it: the 200 envelope, whose headers carry the delay hints. */
function envelopeOf(
  body: unknown,
  headers: Headers,
): { http_status: number; headers: Record<string, string>; body: unknown } {
  return { http_status: 200, headers: Object.fromEntries(headers), body };
}

/** A pending result's poll delay (the contract's openai-poll-after-ms hint), clamped to [MIN_POLL_AFTER_MS, MAX_POLL_AFTER_MS]. */
function pollDelay(result: ContractResult): number | undefined {
  const ms = result.retry_after_ms;
  return ms === null ? undefined : Math.min(Math.max(ms, MIN_POLL_AFTER_MS), MAX_POLL_AFTER_MS);
}

/**
 * The delay an openai-poll-after-ms header asks for, read as the contract reads it (decimal digits only: no sign,
 * fraction, exponent or hex, which parseInt would read as something else), clamped to [MIN_POLL_AFTER_MS,
 * MAX_POLL_AFTER_MS]; undefined otherwise.
 */
export function pollAfter(headers: Headers, options: ClassifyOptions = {}): number | undefined {
  return pollDelay(
    classify(envelopeOf({ object: 'response', status: 'in_progress' } as Response, headers), options) as ContractResult,
  );
}

/** What one poll returned: the object, and the headers of the HTTP response that carried it. */
interface Polled<T = Response> {
  response: T;
  headers: Headers;
}

/**
 * One kind of object a wait can poll: how to retrieve it from a client, and which observation of the contract it is.
 * `ids` names the helper's id arguments, in order (`['vectorStoreId', 'fileId']`), for its messages and checks.
 */
export interface Waitable<C, T, Ids extends readonly string[] = readonly [string]> {
  /** The helper's name, for its messages: `waitForBatch`. */
  helper: string;
  /** The contract's dispatch object (`batch`): an object read without an `object` key is classified as one. */
  object: string;
  ids: { readonly [K in keyof Ids]: string };
  retrieve(client: C, ids: Ids, options: RequestOptions): APIPromise<T>;
}

/** The Responses API: `client.responses.retrieve(id)`. */
export const RESPONSE: Waitable<ResponsesClient, Response> = {
  helper: 'waitForResponse',
  object: 'response',
  ids: ['id'],
  retrieve: (client, [id], options) => client.responses.retrieve(id, undefined, options),
};

const POLL_HELPER_HEADERS = { 'X-Stainless-Poll-Helper': 'true' };

/** What the contract reads: the object as it came, or, when it names no `object` (a compatible provider), as one. */
function observation(waitable: { object: string }, object: unknown): unknown {
  return isPlainObject(object) && object.object === undefined ? { ...object, object: waitable.object } : object;
}

/**
 * The poll loop shared by every wait helper and createAndWait. `first` is a poll's answer already in hand (the creation's
 * answer): it is classified before any poll. `seen` receives every object read. Ends only by returning, raising,
 * or the budget being spent, which the deadline guarantees.
 */
export async function pollUntilDone<C extends object, T, Ids extends readonly string[]>(
  waitable: Waitable<C, T, Ids>,
  client: C,
  ids: Ids,
  budget: Budget,
  options: WaitOptions<T>,
  first: Polled<T> | undefined,
  seen: (object: T) => void,
): Promise<T> {
  let interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const maxInterval = Math.max(interval, options.maxPollIntervalMs ?? DEFAULT_MAX_POLL_INTERVAL_MS);
  let last: T | undefined;
  let polled = first;
  for (let poll = 1; ; poll++) {
    if (polled === undefined) {
      try {
        const { data, response } = await budget.request((signal) =>
          waitable.retrieve(client, ids, { signal, headers: POLL_HELPER_HEADERS }).withResponse(),
        );
        polled = { response: data, headers: response.headers };
      } catch (error) {
        // A transient HTTP failure was already retried by the client; only our own abort is translated.
        throw budget.aborted ? budget.error(last) : error;
      }
    }
    const { response: object, headers } = polled;
    polled = undefined;
    last = object;
    seen(object);
    // Classified with the poll's headers: a pending result carries the server's poll delay, a failed one its retry delay.
    const result = classify(envelopeOf(observation(waitable, object), headers), options) as ContractResult;
    const ended = result.outcome !== 'pending';
    const hinted = ended ? undefined : pollDelay(result);
    const delay = ended ? null : (hinted ?? interval);
    if (options.onPoll) await options.onPoll(object, { poll, result, headers, nextPollMs: delay });
    if (ended) {
      if (result.outcome === 'completed') return object;
      throw contractError(object, result, { ...options, headers, client });
    }
    await budget.sleep(delay!, () => budget.error(last));
    if (hinted === undefined) interval = Math.min(interval * BACKOFF_FACTOR, maxInterval);
  }
}

/**
 * Checks a helper's arguments, then polls until the object ends (see pollUntilDone), within one budget: the
 * caller's signal and `timeoutMs`.
 */
export async function waitFor<C extends object, T, Ids extends readonly string[]>(
  waitable: Waitable<C, T, Ids>,
  client: C,
  ids: Ids,
  options: WaitOptions<T> = {},
): Promise<T> {
  waitable.ids.forEach((name, i) => {
    const id = ids[i];
    if (typeof id !== 'string' || id === '')
      throw new TypeError(`${waitable.helper}: ${name} must be a non-empty string`);
  });
  checkWaitOptions(options);
  const budget = new Budget(
    options.signal,
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    `${waitable.helper}(${ids.join(', ')})`,
    client,
  );
  try {
    if (budget.aborted) throw budget.error(undefined);
    return await pollUntilDone(waitable, client, ids, budget, options, undefined, () => {});
  } finally {
    budget.dispose();
  }
}

/**
 * Polls `client.responses.retrieve(id)` until the Response ends. Returns it when completed; otherwise throws as
 * raiseForStatus does (the SDK's class for the contract's kind, with `.response` and `.contract`). Transient HTTP
 * failures of a poll are the client's to retry (its maxRetries); any error it finally throws ends the wait.
 */
export function waitForResponse(client: ResponsesClient, id: string, options: WaitOptions = {}): Promise<Response> {
  return waitFor(RESPONSE, client, [id], options);
}

export type { WaitAbortError, WaitTimeoutError };
