// createAndWait(): creates a background Response, waits for it, and re-creates it when the contract says the
// failure is retryable.
import type { Response, ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import { publishedContract } from '../contract.js';
import { Budget, checkDuration, MAX_DELAY_MS } from './budget.js';
import { isContractError, type ContractError } from './raise.js';
import {
  checkWaitOptions,
  DEFAULT_TIMEOUT_MS,
  pollUntilDone,
  RESPONSE,
  type ResponsesClient,
  type WaitOptions,
} from './wait.js';

export interface RetryOptions {
  /** Attempts in all, including the first; default 1 (no retry). At most 100. */
  maxAttempts?: number;
  /** Delay before the second attempt, default 1000; it doubles each retry up to maxDelayMs. */
  delayMs?: number;
  /** Cap of the doubling delay, default 30000. */
  maxDelayMs?: number;
  /** Factor applied to the delay when the failure is throttling (a rate limit), default 4. */
  throttlingMultiplier?: number;
}

export interface RetryInfo {
  /** The attempt that failed, 1 for the first. */
  attempt: number;
  /** Milliseconds until the next attempt is created. */
  delayMs: number;
}

export interface CreateAndWaitOptions extends WaitOptions {
  /** `timeoutMs` and `signal` cover every attempt and the delays between them. */
  retry?: RetryOptions;
  /** Called before each retry's delay; an error it throws ends the operation. */
  onRetry?: (error: ContractError<Response>, info: RetryInfo) => void | Promise<void>;
}

export type CreateParams = Omit<ResponseCreateParamsNonStreaming, 'background' | 'stream'>;

const MAX_ATTEMPTS = 100;

function checkRetry(retry: RetryOptions | undefined): Required<RetryOptions> {
  const r = retry ?? {};
  if (
    r.maxAttempts !== undefined &&
    (!Number.isInteger(r.maxAttempts) || r.maxAttempts < 1 || r.maxAttempts > MAX_ATTEMPTS)
  ) {
    throw new RangeError(
      `retry.maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS}, got ${String(r.maxAttempts)}`,
    );
  }
  checkDuration('retry.delayMs', r.delayMs, { allowZero: true });
  checkDuration('retry.maxDelayMs', r.maxDelayMs, { allowZero: true });
  const m = r.throttlingMultiplier;
  if (m !== undefined && (typeof m !== 'number' || !Number.isFinite(m) || m < 1 || m > 1000)) {
    throw new RangeError(`retry.throttlingMultiplier must be a number from 1 to 1000, got ${String(m)}`);
  }
  return {
    maxAttempts: r.maxAttempts ?? 1,
    delayMs: r.delayMs ?? 1_000,
    maxDelayMs: r.maxDelayMs ?? 30_000,
    throttlingMultiplier: m ?? 4,
  };
}

/** Exponential, capped, longer for throttling, with the SDKs' jitter (up to 25% shorter) so that clients spread out. */
function retryDelay(retry: Required<RetryOptions>, attempt: number, throttling: boolean): number {
  const base = Math.min(retry.delayMs * 2 ** (attempt - 1), retry.maxDelayMs);
  return Math.min(base * (throttling ? retry.throttlingMultiplier : 1) * (1 - 0.25 * Math.random()), MAX_DELAY_MS);
}

/**
 * Whether the contract's action for a failure says a new attempt within this run can help: `in_run` actions (retry
 * now, back off and retry) do; waiting past the horizon, fixing the request, adding credit and the rest do not. A
 * contract before 2.1.0 has no actions: then retryable alone decides.
 */
function retriesInRun(error: ContractError<Response>, options: CreateAndWaitOptions): boolean {
  if (!error.contract.retryable) return false;
  const action = error.contract.action;
  if (action === null || action === undefined) return true;
  return (options.contract ?? publishedContract()).actions?.[action]?.retry === 'in_run';
}

function attach(error: unknown, attempts: Response[]): unknown {
  if (typeof error === 'object' && error !== null && Object.isExtensible(error)) {
    (error as { attempts?: Response[] }).attempts = [...attempts];
  }
  return error;
}

/**
 * Creates the Response with `background: true` and waits for it (see waitForResponse). With `retry.maxAttempts` > 1
 * a failure the contract marks retryable is re-created after a backoff; a non-retryable one, a deadline, an abort or
 * an HTTP error the client gave up on is thrown at once. The error thrown carries `attempts`: the last Response seen
 * for every attempt.
 */
export async function createAndWait(
  client: ResponsesClient,
  params: CreateParams,
  options: CreateAndWaitOptions = {},
): Promise<Response> {
  if (typeof params !== 'object' || params === null) throw new TypeError('createAndWait: params must be an object');
  checkWaitOptions(options);
  const retry = checkRetry(options.retry);
  const budget = new Budget(options.signal, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'createAndWait', client);
  const attempts: Response[] = [];
  try {
    for (let attempt = 1; ; attempt++) {
      if (budget.aborted) throw attach(budget.error(attempts.at(-1)), attempts);
      const index = attempts.length;
      try {
        let created;
        try {
          created = await budget.request((signal) =>
            client.responses.create({ ...params, background: true, stream: false }, { signal }).withResponse(),
          );
        } catch (error) {
          throw budget.aborted ? budget.error(attempts.at(-1)) : error;
        }
        return await pollUntilDone(
          RESPONSE,
          client,
          [created.data.id] as const,
          budget,
          options,
          { response: created.data, headers: created.response.headers },
          (r) => {
            attempts[index] = r;
          },
        );
      } catch (error) {
        attach(error, attempts);
        if (
          !isContractError(error) ||
          !retriesInRun(error as ContractError<Response>, options) ||
          attempt >= retry.maxAttempts
        )
          throw error;
        // The server's delay when it gave one (within the horizon, or the action would not retry), else the backoff.
        const hinted = error.contract.retry_after_ms;
        const delayMs =
          hinted === null || hinted === undefined
            ? retryDelay(retry, attempt, error.contract.throttling)
            : Math.min(hinted, MAX_DELAY_MS);
        if (options.onRetry) await options.onRetry(error as ContractError<Response>, { attempt, delayMs });
        await budget.sleep(delayMs, () => attach(budget.error(attempts.at(-1)), attempts) as Error);
      }
    }
  } finally {
    budget.dispose();
  }
}
