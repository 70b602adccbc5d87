// spec/ -> a validated Contract: load, validate (authoring schemas), lint, resolve, validate (published schema).
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Contract } from '../../generated/types.js';
import { lint } from '../lint/index.js';
import { requiredSdks, withBindings } from '../sdks.js';
import type { Finding } from '../lint/finding.js';
import { CONTRACT_SCHEMA_FILE, readSchemaFile } from '../schema-files.js';
import { loadSpec } from '../authoring/load.js';
import { buildModel } from '../authoring/model.js';
import { validateSpec } from '../authoring/validate.js';
import { resolve } from './resolve.js';

export interface BuildResult {
  contract?: Contract;
  /** The published schema specialised to this contract (kind, field and entry ids as enums). */
  publishedSchema?: object;
  procedure?: string;
  findings: Finding[];
}

export function buildContract(specDir: string): BuildResult {
  const spec = loadSpec(specDir);
  const invalid = validateSpec(spec);
  if (invalid.length > 0) return { findings: invalid };
  const model = buildModel(spec);
  const findings = lint(model);
  if (findings.some((f) => f.level === 'error')) return { findings };
  const contract = resolve(model);
  const publishedSchema = specialiseSchema(contract);
  // The build checks its own output: a resolver bug must never reach contract.json.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  const validate = ajv.compile(publishedSchema);
  if (!validate(contract)) {
    const detail = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message}`)
      .join('; ');
    throw new Error(`internal error: the resolved contract does not match the published schema: ${detail}`);
  }
  return { contract, publishedSchema, procedure: spec.procedure, findings };
}

/**
 * schemas/contract.schema.json with the ids of this contract as enums, and a property per SDK in every kind, so
 * types and validators know them.
 */
export function specialiseSchema(contract: Contract): object {
  const schema = readSchemaFile(CONTRACT_SCHEMA_FILE);
  const defs = schema.$defs as Record<string, Record<string, unknown>>;
  const sdks = Object.entries(contract.sdks ?? {}).map(([id, s]) => ({ id, since: s.since }));
  defs.sdkId = { ...defs.sdkId, enum: sdks.map((s) => s.id) };
  defs.kind = withBindings(
    defs.kind!,
    sdks.map((s) => s.id),
    requiredSdks(sdks, contract.meta.version),
    { $ref: '#/$defs/binding' },
  );
  defs.kindId = { ...defs.kindId, enum: Object.keys(contract.kinds) };
  defs.actionId = { ...defs.actionId, enum: Object.keys(contract.actions ?? {}) };
  defs.fieldId = { ...defs.fieldId, enum: Object.keys(contract.fields) };
  defs.entryId = { ...defs.entryId, enum: contract.entries.map((e) => e.id) };
  return schema;
}
