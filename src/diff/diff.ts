// The diff of two releases of the contract: data changes, then schema changes, and the bump they require together.
import type { Change, DiffResult } from './change.js';
import { diffContracts } from './contract-diff.js';
import type { ContractDocument } from './document.js';
import { diffSchemas } from './schema-diff.js';
import { maxBump, type Bump } from './semver.js';

/** One side of a diff: a contract.json and, when known, the published schema that came with it. */
export interface Release {
  contract: ContractDocument;
  schema?: unknown;
}

export function diffReleases(old: Release, next: Release): DiffResult {
  const changes = diffContracts(old.contract, next.contract);
  if (old.schema !== undefined && next.schema !== undefined)
    changes.push(...diffSchemas(old.schema, next.schema, old.contract, next.contract));
  return { bump: requiredBump(changes), changes };
}

function requiredBump(changes: readonly Change[]): Bump {
  return changes.reduce<Bump>((bump, c) => maxBump(bump, c.bump), 'none');
}
