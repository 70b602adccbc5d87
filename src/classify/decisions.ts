// The shape of the decision tables that classify/tables.ts compiles from a contract and that the generated classifier
// (compile.ts) and the table interpreter (interpret.ts) both follow: types and the decision kinds only, so that the
// builder and the two classifiers depend on this module and not on each other.
import type { Contract, Entry, Outcome, Result } from '../../generated/types.js';
import type { Reader } from '../field-path.js';
import type { Step6 } from './hints.js';

export type { Reader };

/**
 * An envelope's HTTP status: a three-digit integer (RFC 9110 section 15), 100-999. The SDKs raise every status
 * from 500 as an error of 500 or more (openai-python's and openai-node's InternalServerError; openai-java retries it),
 * so one that HTTP does not define (600-999, openai-java's test status 999) is read as the `>=500` entry.
 */
export const HTTP_STATUS_MAX = 999;
/** An integer code read as an HTTP status (a vocabulary's integer_status): a status HTTP defines, 100-599. */
export const CODE_STATUS_MAX = 599;

/**
 * A code or reason as the string it is looked up by: a string as it is, an integer from 0 to 2^53-1 as its decimal
 * digits (iFlytek's 11200, MiniMax's 2049 and Zhipu's 1113 are sent as JSON numbers as often as strings, and
 * `11200`, `1.12e4` and `11200.0` are one JSON integer); anything else is no value (undefined).
 */
export function codeString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : undefined;
}

/** The status a relay wrote beside a code (`relayed_status`): a string of three ASCII digits from 100 to 599. */
export function relayedStatus(v: unknown): number | undefined {
  return typeof v === 'string' && v.length === 3 && /^[1-5][0-9][0-9]$/.test(v) ? Number(v) : undefined;
}

/** Whether `v` is an envelope's HTTP status: an integer from 100 to HTTP_STATUS_MAX. */
export function isHttpStatus(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= HTTP_STATUS_MAX;
}

/**
 * The rank of each decision of a `[]` status table (its values' decisions in order, then the fallback's): the place of
 * its value in the field's severity, every other value after them; 0 for all without a severity (the first settles).
 */
export function severityRanks(values: readonly string[], severity: readonly string[] | undefined): number[] {
  const ranks = values.map((v) => (severity === undefined ? 0 : severity.indexOf(v)));
  const after = severity?.length ?? 0;
  return [...ranks.map((r) => (r < 0 ? after : r)), after];
}

/** Decision kinds: small integers, so that both classifiers switch on a number (the generated code inlines them). */
export const RESULT = 0,
  REFINE = 1,
  PARTIAL = 2,
  DELEGATE = 3;

/**
 * Classifies a body that is known to be a non-array object (steps 2 to 6 of spec/PROCEDURE.md). `nested` is true
 * inside the HTTP response an `envelope` entry stands for: envelopes are followed one level deep, as delegation is.
 */
export type BodyClassifier = (body: Record<string, unknown>, nested?: boolean) => Result;

/** A reason field as consulted by one deferring entry: its results already carry that entry's outcome. */
export interface Refinement {
  read: Reader;
  results: Map<string, Result>;
  /** Results by HTTP status, for a field whose vocabulary takes integer statuses as codes (integer_status). */
  byStatus?: Result[];
  /**
   * For the values whose entry has `relayed_status`: the http field's result for the status a relay put beside the
   * value (one-api's param), or undefined when that key holds none.
   */
  relayed?: Map<string, (object: Record<string, unknown>) => Result | undefined>;
  fallback: Result;
  /** The message beside the value `read` reads (the error object's), which a message rule reads; none for items. */
  message?: Reader;
}

/** Where an entry with `envelope` reads the HTTP response it stands for. */
export interface EnvelopeReaders {
  status: Reader;
  headers?: Reader;
  body: Reader;
}

/**
 * An items path (`output[].status`): the result of the first object element whose value `results` lists. `items`
 * reads the array and `value` an element's value (the generated code renders both as named reads); `firstListed`
 * is the whole reader, for the interpreter.
 */
export interface FirstListed {
  items: Reader;
  value: Reader;
  results: Map<string, Result>;
  firstListed: (object: Record<string, unknown>) => Result | undefined;
}

/** A partial failure of a completed object: a count above 0, or the first array element whose value is listed. */
export type Partial = { count: Reader; result: Result } | FirstListed;

/**
 * An entry's `yields_to`: the reason fields of the entry it yields to, each with only the results of the values it
 * lists that settle an outcome (a completed status beside a stop reason: incomplete).
 */
export interface Yield {
  read: Reader;
  results: Map<string, Result>;
}

export type Decision =
  | { type: typeof RESULT; result: Result; settled: boolean; envelope?: EnvelopeReaders; yields?: Yield[] }
  | { type: typeof REFINE; refinements: Refinement[]; settled: boolean; envelope?: EnvelopeReaders }
  | { type: typeof PARTIAL; result: Result; partial: Partial; settled: boolean; yields?: Yield[] }
  /** `object`: the object an inner value without an `object` key is read as (delegate_object, else the key's name). */
  | { type: typeof DELEGATE; key: string; object: string; settled: false; own?: Result };

export interface StatusTable {
  read: Reader;
  /** For `[]` paths (chat choices): every value, in order. */
  readAll?: (object: Record<string, unknown>) => unknown[];
  /** For `[]` paths: the settling values most severe first (the field's `severity`); unlisted ones rank after them. */
  severity?: readonly string[];
  /** For `[]` paths (filter_results): whether an element's content filter results flag it, and the value it reads as. */
  flagged?: { test: (object: Record<string, unknown>) => boolean; value: string };
  byValue: Map<string, Decision>;
  /** `*<suffix>` entries: an unlisted value ending with the suffix takes them, before the fallback. */
  bySuffix: [string, Decision][];
  fallback: Decision;
  /** A body whose `key` holds an error object is decided by `decision`, whatever the path reads (reported_error). */
  reportedError?: { key: string; decision: Decision };
  /**
   * The event field's error_object: a body whose type is none of the field's values or suffixes but one of `types`,
   * and whose `message` is a string, is classified as a body whose `object` is `object`.
   */
  errorObject?: { types: ReadonlySet<string>; object: string };
}

/**
 * Whether a value is an error object as `reported_error` means it: an object (not an array) whose `code`, `message` or
 * `type` is present and not null. Plain reads: none of the three is a name Object.prototype has.
 */
export function isErrorObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const e = v as Record<string, unknown>;
  return (
    (e.code !== undefined && e.code !== null) ||
    (e.message !== undefined && e.message !== null) ||
    (e.type !== undefined && e.type !== null)
  );
}

/** A code or type an http_refinement field lists: its entry, and the results built for it by status and retry. */
export interface RefiningEntry {
  kind: string | null;
  entry: Entry;
  results: Map<number, Result>;
}

/** One http_refinement field: read from the error object, looked up in its own and its vocabulary's entries. */
export interface HttpRefinement {
  read: Reader;
  entries: Map<string, RefiningEntry>;
}

/** Step 1 for an HTTP status (an integer 100-999) outside 2xx, with the envelope's headers and body. */
export type HttpFailureClassifier = (status: number, headers: unknown, body: unknown) => Result;

export interface HttpTable {
  /** Results by `status * 2 + retryable`, for the status entries. */
  byStatus: Result[];
  /** The kind each status raises (for refinements). */
  kindOf: (string | null)[];
  /** The http_refinement fields, in field-id order (the code, then the type). */
  refinements: HttpRefinement[];
  entryOf: Entry[];
}

export interface Tables {
  contract: Contract;
  version: string;
  statusByObject: Map<string, StatusTable>;
  /** Status fields dispatched on an own key of a body without `object` or string `type`, in field-id order. */
  statusByKey: [string, StatusTable][];
  /**
   * Status fields dispatched on a body's `type` (no `object`) with a shape one of whose paths reads a value, in
   * field-id order: a provider's own typed answer (an Anthropic message), tried before the stream-event rule.
   */
  statusByType: [string, Reader[], StatusTable][];
  /** The status field with `dispatch.otherwise`: it reads a body that nothing else names. */
  otherwise?: StatusTable;
  /**
   * Status fields with `dispatch.listed_by`, in field-id order: a body nothing else names whose value at the reason
   * field's key is one that field lists (`listed`: its own values and its vocabulary's) is the field's (step 2.7).
   */
  statusByListed: { read: Reader; listed: ReadonlySet<string>; table: StatusTable }[];
  event?: StatusTable;
  http?: HttpTable;
  invalid: Result;
  /** Steps 2 to 5 for a body known to be a non-array object, compiled from these tables. */
  body: BodyClassifier;
  /** `body` for a body whose `object` is a string other than '' (no last resort of step 2 applies to it). */
  byObject: Classifiers['byObject'];
  /** Step 1 for a status outside 2xx, compiled from these tables. */
  httpFailure: HttpFailureClassifier;
  /** The first key of each body hint's path (hints.ts): an error object without them carries no body hint. */
  bodyHintKeys: Reader[];
  /** Whether an error object holds a key of `bodyHintKeys`, compiled from these tables. */
  holdsBodyHintKey(error: Record<string, unknown>): boolean;
  /** The header names (lower case) some step reads: x-should-retry and the hint headers. */
  headerNames: string[];
  /** An envelope's headers when one of their names is one of `headerNames`, else undefined (the commonest case). */
  headersRead(headers: unknown): unknown;
  /** Builds (and memoises) the result of an entry under an outcome, status and retry decision. */
  resultFor(entry: Entry, outcome: Outcome, httpStatus?: number, retryable?: boolean): Result;
  /** Step 6 on an envelope's result (hints.ts): message rules, delay hints; absent for a contract without hints. */
  step6?: Step6;
  /** The whole procedure for any value (classify() without its guard: may throw only for a value that is not JSON). */
  observe: Classifiers['observe'];
  /** A bare body that is an array (wrappers.ts): its first object element, when that is a failed error body. */
  arrayBody(body: readonly unknown[]): Result;
}

/** What the tables compile to: the generated functions (compile.ts) or the interpreter's (interpret.ts). */
export interface Classifiers {
  /** The whole procedure: an envelope (steps 1 and 6) or a bare body. */
  observe(observation: unknown): Result;
  body: BodyClassifier;
  /** The body classifier for a body whose `object` is `name` (a string). */
  byObject(name: string, body: Record<string, unknown>, nested?: boolean): Result;
  httpFailure: HttpFailureClassifier;
  /** Whether an error object holds a key of `bodyHintKeys`. */
  holdsBodyHintKey(error: Record<string, unknown>): boolean;
}
