// Structural comparison of JSON values: key order never matters, array order matters unless told otherwise.

import { isPlainObject } from '../plain-object.js';

export { isPlainObject };

/** A canonical text of a JSON value: object keys sorted, so equal values give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export function jsonEqual(a: unknown, b: unknown, unordered = false): boolean {
  if (unordered && Array.isArray(a) && Array.isArray(b)) {
    const sort = (xs: unknown[]) => xs.map(canonical).sort();
    return canonical(sort(a)) === canonical(sort(b));
  }
  return canonical(a) === canonical(b);
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `python.class`, `overrides["response.error.code/server_error"].kind`: a readable, unambiguous property path. */
export function propertyPath(segments: readonly string[]): string {
  return segments.map((s, i) => (PLAIN_KEY.test(s) ? (i === 0 ? s : `.${s}`) : `[${JSON.stringify(s)}]`)).join('');
}
