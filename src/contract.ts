// The published contract (generated/contract.json), read once when the library is first used. It comes from a
// module (generated/contract-data.ts), not from the file system: the package root must load in a browser, a Web
// Worker or an edge runtime, where there is no node:fs.
import { contractText } from '../generated/contract-data.js';
import type { Contract } from '../generated/types.js';

let cached: Contract | undefined;

export function publishedContract(): Contract {
  cached ??= Object.freeze(JSON.parse(contractText)) as Contract;
  return cached;
}
