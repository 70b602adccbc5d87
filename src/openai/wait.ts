// waitForResponse(): polls a background Response until the contract says it has ended, then returns or raises.
import type OpenAI from 'openai';
import type { Response } from 'openai/resources/responses/responses';
import type { ClassifyOptions } from '../classify/classify.js';
import { classify } from '../classify/classify.js';
import { Budget, checkDuration, type WaitAbortError, type WaitTimeoutError } from './budget.js';
import { contractError, type ContractResult } from './raise.js';

/** The part of an OpenAI client this module uses (an OpenAI or AzureOpenAI instance). */
export type ResponsesClient = { responses: Pick<OpenAI['responses'], 'create' | 'retrieve'> };

export interface PollInfo {
  /** 1 for the first poll. */
  poll: number;
  /** How the contract classifies the Response just read. */
  result: ContractResult;
  /** The poll's HTTP response headers (x-request-id, openai-poll-after-ms, …). */
  headers: Headers;
  /** Milliseconds until the next poll; null when the Response has ended. */
  nextPollMs: number | null;
}

export interface WaitOptions extends ClassifyOptions {
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
  /** Called after every poll, before sleeping; an error it throws ends the wait. */
  onPoll?: (response: Response, info: PollInfo) => void | Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 3_600_000;
const DEFAULT_POLL_INTERVAL_MS = 1_000;
const DEFAULT_MAX_POLL_INTERVAL_MS = 10_000;
const BACKOFF_FACTOR = 1.5;
/** The shortest delay an openai-poll-after-ms header can ask for: a smaller value (0 included) waits this long. */
export const MIN_POLL_AFTER_MS = 100;
/** The longest delay an openai-poll-after-ms header can ask for: a larger value waits this long. */
export const MAX_POLL_AFTER_MS = 60_000;

export function checkWaitOptions(options: WaitOptions): void {
  checkDuration('timeoutMs', options.timeoutMs, { allowZero: true });
  checkDuration('pollIntervalMs', options.pollIntervalMs, { allowZero: false });
  checkDuration('maxPollIntervalMs', options.maxPollIntervalMs, { allowZero: false });
  if (options.onPoll !== undefined && typeof options.onPoll !== 'function') throw new TypeError('onPoll must be a function');
}

/** A poll's answer as the contract reads it: the 200 envelope, whose headers carry the delay hints. */
function envelopeOf(response: Response, headers: Headers): { http_status: number; headers: Record<string, string>; body: Response } {
  return { http_status: 200, headers: Object.fromEntries(headers), body: response };
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
  return pollDelay(classify(envelopeOf({ object: 'response', status: 'in_progress' } as Response, headers), options) as ContractResult);
}

export interface Snapshot {
  response: Response;
  headers: Headers;
}

/**
 * The poll loop shared by waitForResponse and createAndWait. `first` is a snapshot already in hand (the creation's
 * answer): it is classified before any poll. `seen` receives every Response read. Ends only by returning, raising,
 * or the budget being spent, which the deadline guarantees.
 */
export async function pollUntilDone(
  client: ResponsesClient,
  id: string,
  budget: Budget,
  options: WaitOptions,
  first: Snapshot | undefined,
  seen: (response: Response) => void,
): Promise<Response> {
  let interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const maxInterval = Math.max(interval, options.maxPollIntervalMs ?? DEFAULT_MAX_POLL_INTERVAL_MS);
  let last: Response | undefined;
  let snapshot = first;
  for (let poll = 1; ; poll++) {
    if (snapshot === undefined) {
      try {
        const { data, response } = await budget.request((signal) =>
          client.responses.retrieve(id, undefined, { signal, headers: { 'X-Stainless-Poll-Helper': 'true' } }).withResponse(),
        );
        snapshot = { response: data, headers: response.headers };
      } catch (error) {
        // A transient HTTP failure was already retried by the client; only our own abort is translated.
        throw budget.aborted ? budget.error(last) : error;
      }
    }
    const { response, headers } = snapshot;
    snapshot = undefined;
    last = response;
    seen(response);
    // Classified with the poll's headers: a pending result carries the server's poll delay, a failed one its retry delay.
    const result = classify(envelopeOf(response, headers), options) as ContractResult;
    const ended = result.outcome !== 'pending';
    const hinted = ended ? undefined : pollDelay(result);
    const delay = ended ? null : (hinted ?? interval);
    if (options.onPoll) await options.onPoll(response, { poll, result, headers, nextPollMs: delay });
    if (ended) {
      if (result.outcome === 'completed') return response;
      throw contractError(response, result, { ...options, headers, client });
    }
    await budget.sleep(delay!, () => budget.error(last));
    if (hinted === undefined) interval = Math.min(interval * BACKOFF_FACTOR, maxInterval);
  }
}

/**
 * Polls `client.responses.retrieve(id)` until the Response ends. Returns it when completed; otherwise throws as
 * raiseForStatus does (the SDK's class for the contract's kind, with `.response` and `.contract`). Transient HTTP
 * failures of a poll are the client's to retry (its maxRetries); any error it finally throws ends the wait.
 */
export async function waitForResponse(client: ResponsesClient, id: string, options: WaitOptions = {}): Promise<Response> {
  if (typeof id !== 'string' || id === '') throw new TypeError('waitForResponse: id must be a non-empty string');
  checkWaitOptions(options);
  const budget = new Budget(options.signal, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, `waitForResponse(${id})`, client);
  try {
    if (budget.aborted) throw budget.error(undefined);
    return await pollUntilDone(client, id, budget, options, undefined, () => {});
  } finally {
    budget.dispose();
  }
}

export type { WaitAbortError, WaitTimeoutError };
