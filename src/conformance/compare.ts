// Comparing an adapter's result with the expected one. Which fields are compared comes from the schemas: the
// answer schema's required result fields always, the other fields of a vector's `expected` when the adapter sent them.
import type { AnswerResult, Expected, Mismatch } from '../../generated/conformance-types.js';
import { protocolSchema, vectorSchema } from './schemas.js';

type SchemaNode = { required?: string[] };
const requiredOf = (schema: object, def: string): string[] => {
  const found = (schema as { $defs?: Record<string, SchemaNode> }).$defs?.[def]?.required;
  if (!found?.length) throw new Error(`internal error: the conformance schemas define no required ${def} fields`);
  return found;
};

/** The fields of `expected` that can be compared: all but `rule`, which names why (a baseline can use it). */
type Compared = Exclude<keyof Expected, 'rule'>;
const expectedFields = requiredOf(vectorSchema, 'expected') as Compared[];
/** Compared in every answer: an answer without them is not a protocol message. */
export const ALWAYS_COMPARED = requiredOf(protocolSchema('answer'), 'result') as Compared[];
/** Compared when the adapter returns them. */
export const COMPARED_IF_PRESENT = expectedFields.filter((f) => !ALWAYS_COMPARED.includes(f));

export function compareResult(expected: Expected, actual: AnswerResult): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const field of ALWAYS_COMPARED) {
    if (actual[field] !== expected[field]) mismatches.push({ field, expected: expected[field], actual: actual[field] });
  }
  for (const field of COMPARED_IF_PRESENT) {
    if (Object.hasOwn(actual, field) && actual[field] !== expected[field])
      mismatches.push({ field, expected: expected[field], actual: actual[field] });
  }
  return mismatches;
}

export function formatMismatches(mismatches: readonly Mismatch[]): string {
  return mismatches
    .map((m) => `${m.field}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.actual)}`)
    .join('; ');
}

/** compareResult(...).length === 0, without allocating. */
export function matches(expected: Expected, actual: AnswerResult): boolean {
  for (const field of ALWAYS_COMPARED) if (actual[field] !== expected[field]) return false;
  for (const field of COMPARED_IF_PRESENT)
    if (Object.hasOwn(actual, field) && actual[field] !== expected[field]) return false;
  return true;
}
