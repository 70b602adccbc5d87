// Contracts to diff: deep copies of the published contract and its schema, edited by each test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { specialiseSchema } from '../../src/generate/pipeline.js';
import type { Contract } from '../../generated/types.js';
import type { ContractDocument } from '../../src/diff/document.js';
import { contractPath, generatedDir } from '../../src/paths.js';

export type Doc = ContractDocument & {
  entries: (ContractDocument['entries'][number] & Record<string, any>)[];
  kinds: Record<string, any>;
  fields: Record<string, any>;
  profiles: Record<string, any>;
  sources: Record<string, any>;
};

const contractText = readFileSync(contractPath, 'utf8');
const schemaText = readFileSync(join(generatedDir, 'contract.schema.json'), 'utf8');

export function contract(): Doc {
  return JSON.parse(contractText) as Doc;
}

export function schema(): Record<string, any> {
  return JSON.parse(schemaText) as Record<string, any>;
}

/** The published schema as the build writes it for `doc`: its ids as enums. */
export function schemaFor(doc: Doc): Record<string, any> {
  return specialiseSchema(doc as unknown as Contract) as Record<string, any>;
}

/** The first entry matching `test`; fails the test when the contract has none. */
export function entryWhere(doc: Doc, test: (e: Record<string, any>) => boolean, what: string) {
  const e = doc.entries.find(test);
  if (!e) throw new Error(`fixture: the contract has no entry that ${what}`);
  return e;
}

export const deciding = (e: Record<string, any>) =>
  typeof e.retryable === 'boolean' && e.refined_by === undefined && e.delegate === undefined;
