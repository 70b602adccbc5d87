// The top of the procedure (spec/PROCEDURE.md, "Input" and step 1's entry): an observation is an envelope, which
// step 1 and then step 6 classify, or a bare body. Interpreted from the tables: the table interpreter's whole
// procedure, and the generated code's path for what it does not render itself (a 2xx envelope, hints to parse).
import type { Result } from '../../generated/types.js';
import { classifyHttp } from './http.js';
import { isHttpStatus, type Tables } from './decisions.js';

type Json = Record<string, unknown>;

/** The whole procedure for any value; may throw only for a value that is not JSON (a throwing getter or trap). */
export function observeInterpreted(tables: Tables, observation: unknown): Result {
  if (typeof observation !== 'object' || observation === null) return tables.invalid;
  if (Array.isArray(observation)) return tables.arrayBody(observation);
  const o = observation as Json;
  const status = o.http_status;
  if (status === undefined) {
    // A body that names its object (the commonest observation) goes to that object's status field at once.
    const named = o.object;
    return typeof named === 'string' && named !== '' ? tables.byObject(named, o, false) : tables.body(o, false);
  }
  if (!isHttpStatus(status)) return tables.invalid;
  return classifyEnvelope(tables, status, o);
}

/** An envelope `o` with an HTTP status (an integer 100-999): step 1, then step 6 (message rules, delay hints). */
export function classifyEnvelope(tables: Tables, status: number, o: Json): Result {
  // Headers none of whose names a step reads are as no headers: each step below then skips its own scan of them.
  const headers = tables.headersRead(o.headers);
  const body = o.body;
  const result = classifyHttp(tables, status, headers, body, false);
  // Only an envelope can carry a delay hint (headers, its error body): hints.ts adds it to the result, a step of its
  // own with a fast exit for an envelope that holds nothing any hint reads.
  return tables.step6 === undefined ? result : tables.step6.apply(result, headers, body, tables.holdsBodyHintKey);
}
