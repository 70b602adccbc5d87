// Reading a contract.json (of any release, so only the shape every release shares is assumed) and its schema.
import { existsSync, readFileSync } from 'node:fs';
import { isPlainObject } from './json.js';
import { isVersion } from './semver.js';

export interface ContractDocument {
  meta: { version: string; [key: string]: unknown };
  entries: { id: string; [key: string]: unknown }[];
  [section: string]: unknown;
}

/** A file that is not JSON or not shaped like a contract.json: a failure in the input (exit 1). */
export class ContractFormatError extends Error {}

const RECORD_SECTIONS = ['kinds', 'fields', 'profiles', 'sources'];

/** Checks the shape the diff relies on; throws ContractFormatError naming `label` and the first problem. */
function asContract(value: unknown, label: string): ContractDocument {
  const fail = (why: string) => new ContractFormatError(`${label}: not a contract.json: ${why}`);
  if (!isPlainObject(value)) throw fail('the top level is not an object');
  const meta = value.meta;
  if (!isPlainObject(meta) || !isVersion(meta.version)) throw fail('meta.version is not a MAJOR.MINOR.PATCH version');
  if (!Array.isArray(value.entries)) throw fail('entries is not an array');
  const seen = new Set<string>();
  value.entries.forEach((e, i) => {
    if (!isPlainObject(e) || typeof e.id !== 'string') throw fail(`entries[${i}] has no string id`);
    if (seen.has(e.id)) throw fail(`entry id ${JSON.stringify(e.id)} occurs twice`);
    seen.add(e.id);
  });
  for (const s of RECORD_SECTIONS) {
    if (value[s] !== undefined && !isPlainObject(value[s])) throw fail(`${s} is not an object`);
  }
  return value as ContractDocument;
}

function parseJsonFile(path: string, label = path): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ContractFormatError(`${label}: not JSON: ${(error as Error).message}`);
  }
}

export function readContract(path: string): ContractDocument {
  return asContract(parseJsonFile(path), path);
}

/** The schema published next to a contract file: X.json -> X.schema.json (contract.schema.json, 1.0.0.schema.json). */
export function siblingSchemaPath(contractFile: string): string | undefined {
  if (!contractFile.endsWith('.json') || contractFile.endsWith('.schema.json')) return undefined;
  const path = contractFile.slice(0, -'.json'.length) + '.schema.json';
  return existsSync(path) ? path : undefined;
}

export function readSchema(path: string): Record<string, unknown> | boolean {
  const value = parseJsonFile(path);
  if (!isPlainObject(value) && typeof value !== 'boolean')
    throw new ContractFormatError(`${path}: not a JSON Schema (an object or a boolean)`);
  return value;
}
