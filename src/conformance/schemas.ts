// The conformance schemas (schemas/vector.schema.json, schemas/protocol/*.schema.json), compiled once; the group and
// level names are read from the vector schema so that no second list of them exists (their types are generated
// from the same schemas into generated/conformance-types.ts).
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv2020 as Ajv2020Type, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Level } from '../../generated/conformance-types.js';
import * as standalone from '../../generated/protocol-validators.js';
import { schemasDir } from '../paths.js';
import { CONTRACT_SCHEMA_FILE, readSchemaFile, type SchemaDocument } from '../schema-files.js';

// The groups are the arbitraries' (an observation's group is read from its shape there); re-exported for the runner.
export { GROUPS, type Group } from '../arbitraries/groups.js';

export const protocolSchemaId = (name: string): string =>
  `https://error-contract.dev/schemas/protocol/${name}.schema.json`;

export const vectorSchema = readSchemaFile('vector.schema.json');
const protocolSchemas = readdirSync(join(schemasDir, 'protocol'))
  .filter((name) => name.endsWith('.schema.json'))
  .sort()
  .map((name) => readSchemaFile(`protocol/${name}`));

/** A schema of schemas/protocol/ by name (`answer` for answer.schema.json). */
export function protocolSchema(name: string): SchemaDocument {
  const schema = protocolSchemas.find((s) => s.$id === protocolSchemaId(name));
  if (!schema) throw new Error(`internal error: no protocol schema ${name}`);
  return schema;
}

const defs = vectorSchema.$defs as Record<string, { enum?: string[] }>;
export const LEVELS = Object.freeze([...(defs.level?.enum ?? [])]) as readonly Level[];
export type { Level };

/**
 * Every conformance schema (the vector schema and the protocol's), for a validator to register, with the contract
 * schema whose shared enums (the outcome) they refer to.
 */
export function schemaDocuments(): SchemaDocument[] {
  return [readSchemaFile(CONTRACT_SCHEMA_FILE), vectorSchema, ...protocolSchemas];
}

let ajv: Ajv2020Type | undefined;
function compiler(): Ajv2020Type {
  if (!ajv) {
    // Loaded on first use: the adapter command and the CLI's start-up do not pay for the validator.
    const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false });
    for (const schema of schemaDocuments()) ajv.addSchema(schema);
  }
  return ajv;
}

/** The messages an adapter writes, by the export name of their precompiled validator (validators.ts writes them). */
export const STANDALONE = { started: protocolSchemaId('started'), answer: protocolSchemaId('answer') } as const;

// The adapter's messages, validated on the runner's hot path: precompiled by `generate`, no ajv at start-up.
const validators = new Map<string, ValidateFunction>(
  Object.entries(STANDALONE).map(([name, id]) => [
    id,
    standalone[name as keyof typeof STANDALONE] as unknown as ValidateFunction,
  ]),
);
/** A validator for a schema id (or id#/$defs/x), compiled on first use. */
export function validator(ref: string): ValidateFunction {
  let validate = validators.get(ref);
  if (!validate) {
    validate = compiler().getSchema(ref);
    if (!validate) throw new Error(`internal error: no schema ${ref}`);
    validators.set(ref, validate);
  }
  return validate;
}

export const vectorSchemaId = vectorSchema.$id;

export function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}
