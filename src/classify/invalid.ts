// Why an observation is invalid, in words. Kept apart from classify(): it runs only for a result whose outcome is
// `invalid` (the CLI's messages), never on the hot path, and it never changes a result.
import type { Result } from '../../generated/types.js';
import { classify, tablesFor, type ClassifyOptions } from './classify.js';
import { isPlainObject } from '../plain-object.js';
import { HTTP_STATUS_MAX, isHttpStatus } from './decisions.js';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value)}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'undefined') return 'missing';
  return `the ${typeof value} ${String(value)}`;
}

function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text !== undefined && text.length > 60 ? text.slice(0, 57) + '...' : text);
}

/**
 * Why `observation` classifies as `invalid`, in a few words ("no object or type key", "unknown object \"x\"",
 * "status missing"); undefined when its result is not invalid. Never throws.
 */
export function explainInvalid(observation: unknown, options?: ClassifyOptions): string | undefined {
  let result: Result;
  try {
    result = classify(observation, options);
    if (result.outcome !== 'invalid') return undefined;
    return (
      reasonFor(observation, options, result) ?? `no rule of the decision procedure matches it (entry ${result.entry})`
    );
  } catch {
    return 'it could not be read as JSON';
  }
}

function reasonFor(observation: unknown, options: ClassifyOptions | undefined, result: Result): string | undefined {
  if (!isPlainObject(observation)) return `not an object: ${describe(observation)}`;
  if (Object.hasOwn(observation, 'http_status') || observation.http_status !== undefined) {
    const status = observation.http_status;
    if (!isHttpStatus(status)) {
      return `http_status is ${describe(status)}, not an integer from 100 to ${HTTP_STATUS_MAX}`;
    }
    if (status >= 200 && status <= 299) {
      if (observation.body === undefined) return `a ${status} envelope without a body`;
      if (!isPlainObject(observation.body))
        return `the body of a ${status} envelope is not an object: ${describe(observation.body)}`;
      const inner = reasonFor(observation.body, options, result);
      return inner === undefined ? undefined : `body: ${inner}`;
    }
    return undefined;
  }
  const tables = tablesFor(options);
  const object = observation.object;
  if (object !== undefined) {
    if (typeof object !== 'string') return `"object" is ${describe(object)}, not a string`;
    const table = tables.statusByObject.get(object);
    if (!table) return `unknown object ${quoted(object)}`;
    const field = Object.entries(tables.contract.fields).find(
      ([, f]) => f.dispatch?.object === object || (f.dispatch?.object_aliases ?? []).includes(object),
    );
    const path = field?.[1].path ?? 'status';
    const value = table.read(observation);
    if (value === undefined || value === null) return `${path} missing (object ${quoted(object)})`;
    if (typeof value !== 'string') return `${path} is ${describe(value)}, not a string (object ${quoted(object)})`;
    return `${path} ${quoted(value)} is not a known status of object ${quoted(object)} (entry ${result.entry})`;
  }
  const keys = tables.statusByKey.map(([key]) => key);
  if (typeof observation.type !== 'string') {
    const found =
      Object.keys(observation).length === 0
        ? 'an empty object'
        : `keys ${Object.keys(observation)
            .slice(0, 5)
            .map((k) => JSON.stringify(k))
            .join(', ')}${Object.keys(observation).length > 5 ? ', …' : ''}`;
    return `no object or type key${keys.length ? ` (nor ${keys.map((k) => `"${k}"`).join(', ')})` : ''}: ${found}`;
  }
  return undefined;
}
