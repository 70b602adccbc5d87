// Step 2's wrappers (spec/PROCEDURE.md step 2, "A wrapper"): an application, relay or client that prints or forwards
// a provider's error inside an envelope of its own. Read only for a body the rest of step 2 cannot name (invalid) or
// whose `error` is no error object (a string, an object without code, message or type): a body the procedure names
// is never looked at again, so no result it gives today changes, and the hot path pays one comparison.
import type { Result } from '../../generated/types.js';
import { isPlainObject } from '../plain-object.js';
import { classifyHttp } from './http.js';
import {
  isErrorObject,
  isHttpStatus,
  relayedStatus,
  RESULT,
  type BodyClassifier,
  type Decision,
  type Tables,
} from './decisions.js';

/** The key of an error body, which a wrapped body holds one level down (`details`, `response`, `data`, …). */
const ERROR_KEY = 'error';
/** Where a wrapped body records the HTTP status it came with (as a batch output line's response records it). */
const RECORDED_STATUS_KEY = 'status_code';
/** A JSON:API document's errors (jsonapi.org, "Error Objects"): each error object's `status` is its HTTP status. */
const ERRORS_KEY = 'errors';
const STATUS_KEY = 'status';
/** A problem details document's members (RFC 9457 section 3.1): status, beside a title or a detail. */
const TITLE_KEY = 'title';
const DETAIL_KEY = 'detail';

const codeUnitOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The entry a decision's fallback gives when no reason field holds a value (the first field's fallback). */
function fallbackEntryOf(d: Decision): string | undefined {
  if (d.type === RESULT) return d.result.entry;
  if ('refinements' in d) return d.refinements[0]?.fallback.entry;
  return undefined;
}

/** A JSON:API error object's status: an error status (400-599) as a string of three digits or as an integer. */
function errorStatus(v: unknown): number | undefined {
  const s = typeof v === 'string' ? relayedStatus(v) : isHttpStatus(v) ? v : undefined;
  return s !== undefined && s >= 400 && s <= 599 ? s : undefined;
}

/**
 * A bare body that is an array (step 2, "An array of responses"): Gemini's and Vertex AI's streamGenerateContent
 * answer with a JSON array of responses, and an error arrives as its element `{"error": {...}}`. The first element
 * that is an object is read when it holds an own `error` key, as a bare body; only a failure names the array.
 */
export function arrayBody(tables: Tables, body: readonly unknown[]): Result {
  for (let i = 0; i < body.length; i++) {
    const first: unknown = body[i];
    if (!isPlainObject(first)) continue;
    if (!Object.hasOwn(first, ERROR_KEY)) return tables.invalid;
    const r = tables.body(first, false);
    return r.outcome === 'failed' ? r : tables.invalid;
  }
  return tables.invalid;
}

/** `body` (steps 2 to 5 with their last resorts) with the wrappers read around it, one level down. */
export function withWrappers(tables: Tables, body: BodyClassifier): BodyClassifier {
  const errorBody = tables.statusByKey.find(([key]) => key === ERROR_KEY)?.[1];
  const errorBodyFallback = errorBody === undefined ? undefined : fallbackEntryOf(errorBody.fallback);

  /**
   * The failure a wrapper holds: a wrapped error body (own keys in code-unit order), else a JSON:API error, else the
   * status of a problem details document.
   */
  const unwrapped = (b: Record<string, unknown>): Result | undefined => {
    for (const key of Object.keys(b).sort(codeUnitOrder)) {
      const inner = b[key];
      if (!isPlainObject(inner) || !Object.hasOwn(inner, ERROR_KEY)) continue;
      // Read as the top-level body is, without wrappers (one level); a status it records is its response's.
      const recorded = Object.hasOwn(inner, RECORDED_STATUS_KEY) ? inner[RECORDED_STATUS_KEY] : undefined;
      const r = isHttpStatus(recorded) ? classifyHttp(tables, recorded, undefined, inner, true) : body(inner, false);
      if (r.outcome === 'failed') return r;
    }
    const errors = Object.hasOwn(b, ERRORS_KEY) ? b[ERRORS_KEY] : undefined;
    if (Array.isArray(errors))
      for (let i = 0; i < errors.length; i++) {
        const e: unknown = errors[i];
        if (!isPlainObject(e)) continue;
        const s = errorStatus(Object.hasOwn(e, STATUS_KEY) ? e[STATUS_KEY] : undefined);
        if (s !== undefined) return classifyHttp(tables, s, undefined, e, true);
        break;
      }
    // A problem details document (RFC 9457): its status member is a JSON number, beside a title or a detail.
    const status = Object.hasOwn(b, STATUS_KEY) ? b[STATUS_KEY] : undefined;
    const s = typeof status === 'number' ? errorStatus(status) : undefined;
    if (s !== undefined && (typeof b[TITLE_KEY] === 'string' || typeof b[DETAIL_KEY] === 'string'))
      return classifyHttp(tables, s, undefined, b, true);
    return undefined;
  };

  return (b, nested) => {
    const r = body(b, nested);
    // Only a top-level body with neither `object` nor a string `type` (a typed body is an event or a typed answer).
    if (nested === true || b.object !== undefined || typeof b.type === 'string') return r;
    if (r.outcome !== 'invalid' && (r.entry !== errorBodyFallback || isErrorObject(b[ERROR_KEY]))) return r;
    return unwrapped(b) ?? r;
  };
}
