// The release snapshots in spec/releases/: <version>.json is the contract.json of that release and
// <version>.schema.json the published schema that came with it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Release } from './diff.js';
import { ContractFormatError, readContract, readSchema } from './document.js';
import { compareVersions, isVersion } from './semver.js';

interface Snapshot {
  version: string;
  contractPath: string;
  schemaPath?: string;
}

const SNAPSHOT = /^(.+)\.json$/;

/** Every snapshot in `dir`, oldest first; none when the directory does not exist (no release was cut yet). */
export function listSnapshots(dir: string): Snapshot[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const all = new Set(names);
  const snapshots: Snapshot[] = [];
  for (const name of names) {
    if (name.endsWith('.schema.json')) continue;
    const version = SNAPSHOT.exec(name)?.[1];
    if (version === undefined) continue;
    if (!isVersion(version))
      throw new ContractFormatError(`${join(dir, name)}: a release snapshot must be named <MAJOR.MINOR.PATCH>.json`);
    const schema = `${version}.schema.json`;
    snapshots.push({
      version,
      contractPath: join(dir, name),
      ...(all.has(schema) ? { schemaPath: join(dir, schema) } : {}),
    });
  }
  return snapshots.sort((a, b) => compareVersions(a.version, b.version));
}

/** A snapshot's contract (which must say its own version) and schema. */
export function readSnapshot(snapshot: Snapshot): Release {
  const contract = readContract(snapshot.contractPath);
  if (contract.meta.version !== snapshot.version) {
    throw new ContractFormatError(
      `${snapshot.contractPath}: says version ${contract.meta.version}, not ${snapshot.version}`,
    );
  }
  return { contract, ...(snapshot.schemaPath ? { schema: readSchema(snapshot.schemaPath) } : {}) };
}
