// One waiting operation's limits: the caller's AbortSignal and a deadline, merged into one signal that every request
// and every sleep of the operation observes, so that neither can outlive them.
import { APIConnectionTimeoutError, APIUserAbortError } from 'openai/error';
import { familyOf, type ErrorFamily } from './sdk.js';

/** setTimeout's largest delay; a longer one would fire at once. */
export const MAX_DELAY_MS = 2 ** 31 - 1;

/** The deadline passed while waiting. Carries the last Response seen (undefined if no poll had answered yet). */
export class WaitTimeoutError<T = unknown> extends APIConnectionTimeoutError {
  readonly response: T | undefined;
  readonly timeoutMs: number;
  attempts?: T[];
  constructor(message: string, response: T | undefined, timeoutMs: number) {
    super({ message });
    this.name = 'WaitTimeoutError';
    this.response = response;
    this.timeoutMs = timeoutMs;
  }

  /** Also true for the timeout errors raised for a client of another copy of the SDK (see foreignWaitErrors). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      Function.prototype[Symbol.hasInstance].call(this, value) ||
      (this === WaitTimeoutError && foreignTimeouts.has(value as object))
    );
  }
}

/** The caller's signal aborted the wait. Carries the last Response seen; `cause` is the signal's reason. */
export class WaitAbortError<T = unknown> extends APIUserAbortError {
  readonly response: T | undefined;
  attempts?: T[];
  constructor(message: string, response: T | undefined, cause: unknown) {
    super({ message });
    this.name = 'WaitAbortError';
    this.response = response;
    this.cause = cause;
  }

  /** Also true for the abort errors raised for a client of another copy of the SDK (see foreignWaitErrors). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      Function.prototype[Symbol.hasInstance].call(this, value) ||
      (this === WaitAbortError && foreignAborts.has(value as object))
    );
  }
}

const foreignTimeouts = new WeakSet<object>();
const foreignAborts = new WeakSet<object>();
type Make = (message: string, response: unknown, extra: unknown) => Error;
const foreignClasses = new WeakMap<object, { timeout: Make; abort: Make }>();

/**
 * For a client of another copy of the SDK (the CommonJS one): errors of that copy's APIConnectionTimeoutError and
 * APIUserAbortError, with the same fields as WaitTimeoutError and WaitAbortError, which `instanceof` also accepts.
 */
function foreignWaitErrors(family: ErrorFamily): { timeout: Make; abort: Make } {
  let made = foreignClasses.get(family.OpenAIError);
  if (!made) {
    const Timeout = family.APIConnectionTimeoutError as unknown as new (init: { message: string }) => Error;
    const Abort = family.APIUserAbortError as unknown as new (init: { message: string }) => Error;
    class ForeignTimeout extends Timeout {
      constructor(message: string, response: unknown, timeoutMs: number) {
        super({ message });
        this.name = 'WaitTimeoutError';
        Object.assign(this, { response, timeoutMs });
        foreignTimeouts.add(this);
      }
    }
    class ForeignAbort extends Abort {
      constructor(message: string, response: unknown, cause: unknown) {
        super({ message });
        this.name = 'WaitAbortError';
        Object.assign(this, { response, cause });
        foreignAborts.add(this);
      }
    }
    made = {
      timeout: (m, r, t) => new ForeignTimeout(m, r, t as number),
      abort: (m, r, c) => new ForeignAbort(m, r, c),
    };
    foreignClasses.set(family.OpenAIError, made);
  }
  return made;
}

export function checkDuration(name: string, value: unknown, { allowZero }: { allowZero: boolean }): void {
  if (value === undefined) return;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (!allowZero && value === 0) ||
    value > MAX_DELAY_MS
  ) {
    throw new RangeError(
      `${name} must be a number of milliseconds from ${allowZero ? 0 : 'above 0'} to ${MAX_DELAY_MS}, got ${String(value)}`,
    );
  }
}

export class Budget {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly caller: AbortSignal | undefined;
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onCallerAbort = (): void => this.controller.abort();
  private timedOut = false;

  constructor(
    signal: AbortSignal | undefined,
    private readonly timeoutMs: number,
    private readonly what: string,
    /** The client whose copy of the SDK classes the timeout and abort errors belong to. */
    private readonly client?: object,
  ) {
    this.signal = this.controller.signal;
    this.caller = signal;
    if (signal?.aborted) this.controller.abort();
    else signal?.addEventListener('abort', this.onCallerAbort, { once: true });
    if (!this.signal.aborted) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort();
      }, timeoutMs);
    }
  }

  get aborted(): boolean {
    return this.signal.aborted;
  }

  /** The error to throw once the budget is spent: the caller's abort wins over the deadline. */
  error<T>(last: T | undefined): WaitTimeoutError<T> | WaitAbortError<T> {
    const family = familyOf(this.client);
    const foreign = family.APIUserAbortError === APIUserAbortError ? undefined : foreignWaitErrors(family);
    if (this.caller?.aborted || !this.timedOut) {
      const message = `${this.what}: aborted`;
      return foreign
        ? (foreign.abort(message, last, this.caller?.reason) as WaitAbortError<T>)
        : new WaitAbortError(message, last, this.caller?.reason);
    }
    const status =
      typeof last === 'object' && last !== null && 'status' in last ? ` (last status: ${String(last.status)})` : '';
    const message = `${this.what}: did not finish within ${this.timeoutMs} ms${status}`;
    return foreign
      ? (foreign.timeout(message, last, this.timeoutMs) as WaitTimeoutError<T>)
      : new WaitTimeoutError(message, last, this.timeoutMs);
  }

  /**
   * A signal for one request, released when `work` settles. The SDK adds an abort listener to the signal of every
   * request and never removes it; giving each request its own keeps a long wait from piling them up on ours.
   *
   * The request is raced against the budget: the SDK's own retry sleeps for whatever Retry-After the server sends
   * without watching the signal, so waiting on it alone would let a 429 hold the wait past its deadline or abort.
   * Once the budget is spent this rejects at once (the caller turns that into its timeout or abort error); the
   * SDK's sleep may still run to its end, after which it sees the aborted signal and sends nothing.
   */
  async request<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let stop: () => void = () => {};
    const spent = new Promise<never>((_, reject) => {
      stop = () => {
        controller.abort();
        reject(new Error(`${this.what}: budget spent`));
      };
    });
    if (this.aborted) stop();
    else this.signal.addEventListener('abort', stop, { once: true });
    let pending: Promise<T> | undefined;
    try {
      pending = work(controller.signal);
      return await Promise.race([pending, spent]);
    } finally {
      this.signal.removeEventListener('abort', stop);
      // Whichever lost the race settles unobserved.
      spent.catch(() => {});
      pending?.catch(() => {});
    }
  }

  /** Resolves after `ms`, or rejects with `onSpent()` as soon as the budget is spent. Leaves no timer or listener. */
  sleep(ms: number, onSpent: () => Error): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.aborted) {
        reject(onSpent());
        return;
      }
      const done = (): void => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', stop);
      };
      const stop = (): void => {
        done();
        reject(onSpent());
      };
      const timer = setTimeout(
        () => {
          done();
          resolve();
        },
        Math.min(ms, MAX_DELAY_MS),
      );
      this.signal.addEventListener('abort', stop, { once: true });
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onCallerAbort);
  }
}
