// Reading POST /v1/responses (and the creates of the other resources): the parameters the emulator uses, checked as
// the API checks them, and the course `metadata` (or a vector-store file's `attributes`) asks for. Every refusal is
// an API error body naming the parameter.
import { errorBody } from './bodies.js';
import { RETRY_HINTS, type Course, type JobRequest, type RetryHint } from './jobs.js';
import type { ApiError, Catalogue } from './scenarios.js';
import { isPlainObject } from '../plain-object.js';

export interface Refusal {
  status: number;
  body: { error: ApiError };
}

interface CreateRequest {
  request: JobRequest;
  course: Course;
  stream: boolean;
  /** The scenario applies to the first `times` creates carrying this same metadata; later ones succeed. */
  times?: number;
}

/** Upper bounds of the numeric metadata: every course ends within a bounded number of polls. */
const LIMITS = {
  polls: 10_000,
  faults: 10_000,
  times: 10_000,
  poll_after_ms: 600_000,
  retry_after_ms: 600_000,
} as const;

/** The API's own bounds on `metadata`: 16 pairs, keys of at most 64 characters, values of at most 512. */
const METADATA_LIMITS = { pairs: 16, key: 64, value: 512 } as const;
/** The deepest `input` accepted (arrays and objects within one another); deeper is a 400 and creates nothing. */
const MAX_INPUT_DEPTH = 100;
/** How much of the input a job keeps: the start of its text, echoed in the emulated output. */
const INPUT_SUMMARY_CHARS = 200;

export function refuse(message: string, param: string | null, code: string | null): Refusal {
  return { status: 400, body: errorBody(message, 'invalid_request_error', param, code) };
}

export function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function integer(
  metadata: Record<string, string>,
  key: keyof typeof LIMITS,
  fallback: number | undefined,
  param: string,
): number | undefined | Refusal {
  const text = metadata[key];
  if (text === undefined) return fallback;
  const max = LIMITS[key];
  if (!/^\d{1,9}$/.test(text) || Number(text) > max) {
    return refuse(
      `Invalid '${param}.${key}': expected an integer from 0 to ${max} as a string, got '${text}'.`,
      `${param}.${key}`,
      'invalid_value',
    );
  }
  return Number(text);
}

/** Whether `value` nests deeper than `max` arrays and objects; iterative, so any depth is safe to ask about. */
function deeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** The start of the input's text: all a job keeps of it (the emulated output quotes it). */
function summarise(input: unknown): string {
  const text = typeof input === 'string' ? input : (JSON.stringify(input ?? null) ?? 'null');
  if (text.length <= INPUT_SUMMARY_CHARS) return text;
  // A copy: a slice of a string may keep the whole of it alive (V8's sliced strings).
  return `${Buffer.from(text.slice(0, INPUT_SUMMARY_CHARS), 'utf16le').toString('utf16le')}…`;
}

const isRefusal = (v: unknown): v is Refusal => isPlainObject(v) && 'status' in v && 'body' in v;
export { isRefusal };

/**
 * Checks a map of key-value pairs (`metadata`, `attributes`) against the API's bounds: at most 16 pairs, keys of at
 * most 64 characters, string values of at most 512; `valid` says which values the parameter takes.
 */
export function checkPairs(
  value: unknown,
  param: string,
  valid: (v: unknown) => boolean,
  expected: string,
): Refusal | Record<string, unknown> {
  if (!isPlainObject(value))
    return refuse(
      `Invalid type for '${param}': expected an object, but got ${typeName(value)} instead.`,
      param,
      'invalid_type',
    );
  const pairs = Object.entries(value);
  if (pairs.length > METADATA_LIMITS.pairs) {
    return refuse(
      `Invalid '${param}': too many properties. Expected at most ${METADATA_LIMITS.pairs} properties, but got ${pairs.length} instead.`,
      param,
      'object_above_max_properties',
    );
  }
  for (const [key, v] of pairs) {
    const shown = key.length > METADATA_LIMITS.key ? `${key.slice(0, METADATA_LIMITS.key)}…` : key;
    if (key.length > METADATA_LIMITS.key) {
      return refuse(
        `Invalid '${param}': the key '${shown}' is longer than ${METADATA_LIMITS.key} characters.`,
        param,
        'string_above_max_length',
      );
    }
    if (!valid(v))
      return refuse(
        `Invalid type for '${param}.${key}': expected ${expected}, but got ${typeName(v)} instead.`,
        `${param}.${key}`,
        'invalid_type',
      );
    if (typeof v === 'string' && v.length > METADATA_LIMITS.value) {
      return refuse(
        `Invalid '${param}.${key}': string too long. Expected a string with maximum length ${METADATA_LIMITS.value}, but got a string with length ${v.length} instead.`,
        `${param}.${key}`,
        'string_above_max_length',
      );
    }
  }
  return value;
}

/** The course a job's scripting pairs ask for (`param` names them in refusals: `metadata`, `attributes`). */
export function parseCourse(
  meta: Record<string, string>,
  catalogue: Catalogue,
  param: string,
): { course: Course; times: number | undefined } | Refusal {
  let scenario = catalogue.success;
  if (meta.scenario !== undefined) {
    const found = catalogue.scenarios.get(meta.scenario);
    if (!found) {
      return refuse(
        `Unknown scenario '${meta.scenario}' in '${param}.scenario'. Valid scenarios: ${[...catalogue.scenarios.keys()].join(', ')}.`,
        `${param}.scenario`,
        'invalid_value',
      );
    }
    scenario = found;
  }
  const polls = integer(meta, 'polls', 0, param);
  const faults = integer(meta, 'faults', scenario.fault ? 1 : 0, param);
  const pollAfterMs = integer(meta, 'poll_after_ms', undefined, param);
  const retryAfterMs = integer(meta, 'retry_after_ms', undefined, param);
  const times = integer(meta, 'times', undefined, param);
  for (const v of [polls, faults, pollAfterMs, retryAfterMs, times]) if (isRefusal(v)) return v;
  let shouldRetry: boolean | undefined;
  if (meta.should_retry !== undefined) {
    if (meta.should_retry !== 'true' && meta.should_retry !== 'false') {
      return refuse(
        `Invalid '${param}.should_retry': expected 'true' or 'false', got '${meta.should_retry}'.`,
        `${param}.should_retry`,
        'invalid_value',
      );
    }
    shouldRetry = meta.should_retry === 'true';
  }
  let retryHint: RetryHint | undefined;
  if (meta.retry_hint !== undefined) {
    if (!(RETRY_HINTS as readonly string[]).includes(meta.retry_hint)) {
      return refuse(
        `Invalid '${param}.retry_hint': expected one of ${RETRY_HINTS.join(', ')}, got '${meta.retry_hint}'.`,
        `${param}.retry_hint`,
        'invalid_value',
      );
    }
    retryHint = meta.retry_hint as RetryHint;
  }
  const course: Course = { scenario, polls: polls as number, faults: faults as number };
  if (retryHint !== undefined) course.retryHint = retryHint;
  if (pollAfterMs !== undefined) course.pollAfterMs = pollAfterMs as number;
  if (retryAfterMs !== undefined) course.retryAfterMs = retryAfterMs as number;
  if (shouldRetry !== undefined) course.shouldRetry = shouldRetry;
  return { course, times: times as number | undefined };
}

export function parseCreate(body: unknown, catalogue: Catalogue): CreateRequest | Refusal {
  if (!isPlainObject(body)) return refuse(`Invalid body: expected a JSON object, got ${typeName(body)}.`, null, null);
  const { model, metadata = {}, background = false, stream = false } = body;
  if (model === undefined) return refuse("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  if (typeof model !== 'string')
    return refuse(
      `Invalid type for 'model': expected a string, but got ${typeName(model)} instead.`,
      'model',
      'invalid_type',
    );
  for (const [name, value] of [
    ['background', background],
    ['stream', stream],
  ] as const) {
    if (typeof value !== 'boolean' && value !== null)
      return refuse(
        `Invalid type for '${name}': expected a boolean, but got ${typeName(value)} instead.`,
        name,
        'invalid_type',
      );
  }
  const checked = checkPairs(metadata, 'metadata', (v) => typeof v === 'string', 'a string');
  if (isRefusal(checked)) return checked;
  const meta = metadata as Record<string, string>;
  const previous = body.previous_response_id ?? null;
  if (previous !== null && typeof previous !== 'string') {
    return refuse(
      `Invalid type for 'previous_response_id': expected a string, but got ${typeName(previous)} instead.`,
      'previous_response_id',
      'invalid_type',
    );
  }
  const maxTokens = body.max_output_tokens ?? null;
  if (maxTokens !== null && (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)) {
    return refuse(`Invalid 'max_output_tokens': expected a positive integer.`, 'max_output_tokens', 'invalid_value');
  }
  if (deeperThan(body.input, MAX_INPUT_DEPTH)) {
    return refuse(`Invalid 'input': nested more than ${MAX_INPUT_DEPTH} levels deep.`, 'input', 'invalid_value');
  }
  const instructions = body.instructions ?? null;
  if (instructions !== null && typeof instructions !== 'string') {
    return refuse(
      `Invalid type for 'instructions': expected a string, but got ${typeName(instructions)} instead.`,
      'instructions',
      'invalid_type',
    );
  }

  const scripted = parseCourse(meta, catalogue, 'metadata');
  if (isRefusal(scripted)) return scripted;
  const { course, times } = scripted;
  return {
    request: {
      model,
      inputSummary: summarise(body.input),
      instructions,
      max_output_tokens: maxTokens,
      previous_response_id: previous,
      metadata: { ...meta },
      background: background === true,
    },
    course,
    stream: stream === true,
    ...(times !== undefined ? { times } : {}),
  };
}
