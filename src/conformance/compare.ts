// Comparing an adapter's result with the expected one. Which fields are compared comes from the schemas: the
// answer schema's required result fields always, the other fields of a vector's `expected` when the adapter sent them.
import type { AnswerResult } from '../../generated/conformance-types.js';
import { protocolSchema, vectorSchema } from './schemas.js';
import type { Expected } from './vectors.js';

type SchemaNode = {
  required?: string[];
  properties?: Record<string, SchemaNode>;
  oneOf?: SchemaNode[];
  $defs?: Record<string, SchemaNode>;
};

const expectedFields = ((vectorSchema as SchemaNode).$defs?.expected?.required ?? []) as (keyof Expected)[];
const resultSchema = (protocolSchema('answer') as SchemaNode).oneOf?.find((branch) => branch.properties?.result)
  ?.properties?.result;
/** Compared in every answer: an answer without them is not a protocol message. */
export const ALWAYS_COMPARED = (resultSchema?.required ?? []) as (keyof Expected)[];
/** Compared when the adapter returns them. */
export const COMPARED_IF_PRESENT = expectedFields.filter((f) => !ALWAYS_COMPARED.includes(f));

interface Mismatch {
  field: keyof Expected;
  expected: unknown;
  actual: unknown;
}

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
