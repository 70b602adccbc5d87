// The published contract (generated/contract.json), read once when the library is first used.
import { readFileSync } from 'node:fs';
import type { Contract } from '../generated/types.js';
import { contractPath } from './paths.js';

let cached: Contract | undefined;

export function publishedContract(): Contract {
  cached ??= Object.freeze(JSON.parse(readFileSync(contractPath, 'utf8'))) as Contract;
  return cached;
}
