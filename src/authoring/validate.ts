// Validates every spec/ file against its authoring schema and reports each error at file:line:col.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { schemasDir } from '../paths.js';
import { CONTRACT_SCHEMA_FILE, readSchemaFile } from '../schema-files.js';
import { withBindings } from '../sdks.js';
import type { Finding } from './finding.js';
import { authoringSchemaFile, SPEC_FILE_ROLES, type LoadedSpec, type SpecFileRole } from './load.js';

let validators:
  | { ajv: Ajv2020; byRole: Record<SpecFileRole, ValidateFunction>; kindsBySdks: Map<string, ValidateFunction> }
  | undefined;

function authoringValidators(): NonNullable<typeof validators> {
  if (validators) return validators;
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  // The authoring schemas take their enums from the published schema (../contract.schema.json).
  ajv.addSchema(readSchemaFile(CONTRACT_SCHEMA_FILE));
  const dir = join(schemasDir, 'authoring');
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.schema.json')) ajv.addSchema(JSON.parse(readFileSync(join(dir, name), 'utf8')), name);
  }
  const byRole = {} as Record<SpecFileRole, ValidateFunction>;
  for (const role of SPEC_FILE_ROLES) {
    const validate = ajv.getSchema(authoringSchemaFile(role));
    if (!validate) throw new Error(`internal error: no authoring schema ${authoringSchemaFile(role)}`);
    byRole[role] = validate;
  }
  return (validators = { ajv, byRole, kindsBySdks: new Map() });
}

/** schemas/authoring/kinds.schema.json with one required binding per SDK of spec/sdks.yaml, and no other key. */
export function kindsSchemaFor(sdkIds: readonly string[]): Record<string, unknown> {
  const schema = JSON.parse(readFileSync(join(schemasDir, 'authoring', 'kinds.schema.json'), 'utf8')) as {
    properties: { kinds: { items: Record<string, unknown> } };
  };
  const kinds = schema.properties.kinds;
  kinds.items = withBindings(kinds.items, sdkIds, sdkIds, { $ref: '#/$defs/binding' });
  return schema as unknown as Record<string, unknown>;
}

function kindsValidator(sdkIds: readonly string[]): ValidateFunction {
  const { ajv, kindsBySdks } = authoringValidators();
  const key = sdkIds.join(',');
  let validate = kindsBySdks.get(key);
  if (!validate) {
    const schema = kindsSchemaFor(sdkIds);
    // Its own $id in the same folder, so that its relative refs (defs.schema.json) resolve as the file's do.
    validate = ajv.compile({
      ...schema,
      $id: `https://error-contract.dev/schemas/authoring/kinds.${sdkIds.join('.')}.schema.json`,
    });
    kindsBySdks.set(key, validate);
  }
  return validate;
}

/** The SDK ids of a spec's sdks.yaml, or undefined while that file does not validate. */
function sdkIdsOf(spec: LoadedSpec): string[] | undefined {
  const file = spec.files.find((f) => f.role === 'sdks')?.located;
  if (!file || file.parseErrors.length > 0 || !authoringValidators().byRole.sdks(file.data)) return undefined;
  return (file.data as { sdks: { id: string }[] }).sdks.map((s) => s.id);
}

/** Parse errors and schema errors of every file; an empty list means every file is well-formed. */
export function validateSpec(spec: LoadedSpec): Finding[] {
  const findings: Finding[] = [];
  const { byRole } = authoringValidators();
  const sdkIds = sdkIdsOf(spec);
  for (const { role, located } of spec.files) {
    for (const e of located.parseErrors) {
      findings.push({ rule: e.rule ?? 'yaml-syntax', level: 'error', message: e.message, position: e.position });
    }
    if (located.parseErrors.length > 0) continue;
    // Kinds are checked against the SDKs the spec names; while sdks.yaml is itself invalid, against the generic schema.
    const validate = role === 'kinds' && sdkIds ? kindsValidator(sdkIds) : byRole[role];
    if (validate(located.data)) continue;
    for (const error of usefulErrors(validate.errors ?? [])) {
      const path = error.instancePath
        .split('/')
        .slice(1)
        .map(unescapePointer)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      const extra =
        error.keyword === 'additionalProperties'
          ? (error.params as { additionalProperty: string }).additionalProperty
          : undefined;
      findings.push({
        rule: 'schema',
        level: 'error',
        message: describe(error),
        position: located.locate(extra === undefined ? path : [...path, extra], extra !== undefined),
      });
    }
  }
  return findings;
}

// oneOf/anyOf failures repeat the errors of each branch; the branch errors are the ones a person can act on.
function usefulErrors(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const seen = new Set<string>();
  return (specific.length > 0 ? specific : errors).filter((e) => {
    const key = `${e.instancePath} ${describe(e)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describe(error: ErrorObject): string {
  const where =
    error.instancePath === '' ? 'the file' : error.instancePath.split('/').slice(1).map(unescapePointer).join('.');
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}: unknown key "${(error.params as { additionalProperty: string }).additionalProperty}"`;
    case 'required':
      return `${where}: missing "${(error.params as { missingProperty: string }).missingProperty}"`;
    case 'enum':
      return `${where}: must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${where}: ${error.message ?? error.keyword}`;
  }
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
