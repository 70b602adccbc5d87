// raiseForStatus(): the failure an object reports, raised as the installed SDK's own exception class.
import type { OpenAIError } from 'openai/error';
import type { Contract, Entry, EntryId, KindId, Result } from '../../generated/types.js';
import { classify, type ClassifyOptions } from '../classify/classify.js';
import { publishedContract } from '../contract.js';
import { contractIndex } from '../contract-index.js';
import { readPath } from '../field-path.js';
import { isPlainObject } from '../plain-object.js';
import { familyOf, instantiate, sdkClassFor } from './sdk.js';

/** A classification result whose kind and entry are ids of the contract. */
export type ContractResult = Omit<Result, 'kind' | 'entry'> & { kind: KindId | null; entry: EntryId };

/** What error-contract adds to the SDK's exception. */
export interface ContractFields<T = unknown> {
  /** The object that reported the failure, untouched (e.g. the failed Response). */
  response: T;
  /** How the contract classifies it: kind, retryable, throttling, http_status, entry, … */
  contract: ContractResult;
  /** createAndWait(): the last Response seen for every attempt, in order. */
  attempts?: T[];
}

/** An exception of the SDK's own class (RateLimitError, InternalServerError, …) carrying the contract's fields. */
export type ContractError<T = unknown> = OpenAIError & ContractFields<T>;

export interface RaiseOptions extends ClassifyOptions {
  /** Headers of the HTTP response that carried the object: they fill the error's `headers` and `requestID`. */
  headers?: Headers | Record<string, string>;
  /**
   * The client the object came from: the error is an instance of that client's own copy of the SDK classes (the
   * CommonJS copy for a client of `require('openai')`). Without it, the classes of `import 'openai'`.
   */
  client?: object;
}

const raised = new WeakSet<object>();

/** True for the errors raiseForStatus (and so waitForResponse and createAndWait) raise for a failed object. */
export function isContractError(error: unknown): error is ContractError {
  return typeof error === 'object' && error !== null && raised.has(error);
}

/**
 * The API's error object for a failure: what APIError.generate would receive as `error`. For an HTTP envelope, the
 * body's `error`; for a reason entry, the object that holds the reason (`error` of a failed Response, `last_error`
 * of a vector-store file, the `error` event itself); for a status that decides alone (cancelled, expired), none.
 */
function errorObjectOf(contract: Contract, object: unknown, entry: Entry | undefined): object | undefined {
  if (!entry || !isPlainObject(object)) return undefined;
  const role = contract.fields[entry.field]?.role;
  // APIError.generate receives `body.error`, whatever it holds.
  if (role === 'http' || role === 'http_refinement' || object.http_status !== undefined)
    return isPlainObject(object.body) ? (object.body.error as object | undefined) : undefined;
  if (role !== 'reason' && role !== 'vocabulary') return undefined;
  const index = contractIndex(contract);
  // A lifecycle event (`response.failed`) was classified by the object it carries.
  const type = object.object === undefined ? object.type : undefined;
  const delegate = typeof type === 'string' ? index.delegates.get(type) : undefined;
  const target = delegate !== undefined && isPlainObject(object[delegate]) ? object[delegate] : object;
  // The value may have been read by a field that shares this entry's values (a stream error's `code`).
  for (const id of [entry.field, ...index.sharersOf(entry.field)]) {
    const path = contract.fields[id]?.path;
    if (path === undefined || path === '$') continue;
    const last = path.lastIndexOf('.');
    const holder = last < 0 ? target : readPath(target, path.slice(0, last));
    const value = readPath(target, path);
    if (isPlainObject(holder) && (entry.value === '*' || value === entry.value)) return holder;
  }
  return undefined;
}

function describe(object: unknown, result: Result): string {
  const o = isPlainObject(object) ? object : {};
  const what = typeof o.object === 'string' ? o.object : typeof o.type === 'string' ? `${o.type} event` : 'observation';
  const id = typeof o.id === 'string' ? ` ${o.id}` : '';
  return `${what}${id} ended ${result.outcome} (${result.entry})`;
}

function toHeaders(object: unknown, headers: RaiseOptions['headers']): Headers {
  const merged = new Headers();
  // An envelope's own headers first, so that the caller's (the actual HTTP response's) win.
  if (isPlainObject(object) && Object.hasOwn(object, 'http_status') && isPlainObject(object.headers)) {
    for (const [name, value] of Object.entries(object.headers)) if (typeof value === 'string') merged.set(name, value);
  }
  if (headers) new Headers(headers).forEach((value, name) => merged.set(name, value));
  return merged;
}

/** Builds (does not throw) the SDK exception for an object the contract classified as `result`. */
export function contractError<T>(object: T, result: Result, options?: RaiseOptions): ContractError<T> {
  const contract = options?.contract ?? publishedContract();
  const entry = contractIndex(contract).entry(result.entry);
  const family = familyOf(options?.client);
  const error = instantiate(
    sdkClassFor(contract, result.kind, options?.client),
    {
      status: result.http_status ?? undefined,
      error: errorObjectOf(contract, object, entry),
      message: describe(object, result),
      headers: toHeaders(object, options?.headers),
    },
    family,
  );
  const fields: ContractFields<T> = { response: object, contract: result as ContractResult };
  Object.assign(error, fields);
  raised.add(error);
  return error as ContractError<T>;
}

/**
 * Returns `object` unchanged when the contract classifies it as completed or pending; otherwise throws an instance
 * of the installed SDK's class for its kind, with `.response` (the object) and `.contract` (the classification).
 * Works for every object the contract classifies: Responses, stream events, batches, fine-tuning jobs, vector-store
 * files, runs, chat completions and HTTP envelopes.
 */
export function raiseForStatus<T>(object: T, options?: RaiseOptions): T {
  const result = classify(object, options);
  if (result.outcome === 'completed' || result.outcome === 'pending') return object;
  throw contractError(object, result, options);
}
