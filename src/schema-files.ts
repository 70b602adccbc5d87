// The JSON Schemas of schemas/ as documents, for the validators and generators that register them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasDir } from './paths.js';

export type SchemaDocument = Record<string, unknown> & { $id: string };

/** A schema of schemas/, by its path there (`protocol/answer.schema.json`); a fresh copy each call. */
export function readSchemaFile(relative: string): SchemaDocument {
  return JSON.parse(readFileSync(join(schemasDir, relative), 'utf8')) as SchemaDocument;
}

/**
 * schemas/contract.schema.json, the generic published schema. It is the one definition of the enums that other
 * schemas share (outcome, field role, source type, …): they `$ref` it, so a validator of theirs registers it too.
 */
export const CONTRACT_SCHEMA_FILE = 'contract.schema.json';
