// The one test for "a JSON object" (not null, not an array), which observations, bodies and documents are read with.

/** A JSON object as parsed: string keys, any values. */
export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
