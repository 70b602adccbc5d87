// Step 1 of spec/PROCEDURE.md: an HTTP response, as both SDKs dispatch it, refined by its error code and type.
import type { Result } from '../../generated/types.js';
import { codeString, type HttpFailureClassifier, type RefiningEntry, type Tables } from './decisions.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The header that reverses a status's retry decision: the one header step 1 reads. */
export const SHOULD_RETRY_HEADER = 'x-should-retry';

/**
 * `x-should-retry` exactly `true` or `false`. Names fold case, and headers whose names differ only in case are one
 * HTTP header: several of them join into a value (`false, true`) that is neither, as both SDKs read it, so only a
 * single such header decides.
 */
export function shouldRetryHeader(headers: unknown): boolean | undefined {
  if (!isObject(headers)) return undefined;
  let found: unknown;
  let count = 0;
  for (const name in headers) {
    if (
      name.length === SHOULD_RETRY_HEADER.length &&
      Object.hasOwn(headers, name) &&
      name.toLowerCase() === SHOULD_RETRY_HEADER
    ) {
      count++;
      found = headers[name];
    }
  }
  if (count !== 1) return undefined;
  return found === 'true' ? true : found === 'false' ? false : undefined;
}

/**
 * Classifies the HTTP response `status` (an integer 100-999) with `headers` and `body`. A 2xx response is its body,
 * classified as a bare body; `nested` is true inside an envelope entry, whose body follows no envelope again.
 */
export function classifyHttp(tables: Tables, status: number, headers: unknown, body: unknown, nested: boolean): Result {
  if (status >= 200 && status < 300) return isObject(body) ? tables.body(body, nested) : tables.invalid;
  return tables.httpFailure(status, headers, body);
}

/** The result of a refining code or type for `status`, the x-should-retry header's word over the entry's (built once). */
export function refinedResult(
  tables: Tables,
  refinement: RefiningEntry,
  status: number,
  header: boolean | undefined,
): Result {
  const retry = header ?? refinement.entry.retryable ?? false;
  const key = status * 2 + (retry ? 1 : 0);
  let result = refinement.results.get(key);
  if (result === undefined)
    refinement.results.set(key, (result = tables.resultFor(refinement.entry, 'failed', status, retry)));
  return result;
}

/**
 * Step 1 for a status outside 2xx, from the tables (the generated code does the same with named reads): the
 * status's entry, refined by the error object's code or type, with the x-should-retry header's word.
 */
export function interpretHttpFailure(tables: Tables): HttpFailureClassifier {
  return (status, headers, body) => {
    const http = tables.http;
    if (http === undefined || http.entryOf[status] === undefined) return tables.invalid;
    const header = headers === undefined ? undefined : shouldRetryHeader(headers);
    if (http.refinements.length > 0 && isObject(body)) {
      // The error object as the SDKs take it: body.error when it is an object, else the body itself.
      const error = isObject(body.error) ? body.error : body;
      const refinements = http.refinements;
      for (let i = 0; i < refinements.length; i++) {
        const { read, entries } = refinements[i]!;
        const value = codeString(read(error));
        const refinement = value === undefined ? undefined : entries.get(value);
        // A value refines only a status of the same kind: the class is always the one the SDK raises.
        if (refinement === undefined || refinement.kind !== http.kindOf[status]) continue;
        return refinedResult(tables, refinement, status, header);
      }
    }
    const retry = header ?? http.entryOf[status]!.retryable ?? false;
    return http.byStatus[status * 2 + (retry ? 1 : 0)]!;
  };
}
