// The SDKs of the registry (generated/contract.json's `sdks`), each checked by the module of its package ecosystem,
// test/sdk/ecosystems/<ecosystem>.mjs (npm, pypi, go, maven). Run with `fetch` (npm run setup does) to install the
// pinned packages that neither npm ci nor the venv provides into project-local caches, so that test/sdk/ runs offline.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ecosystemsDir = join(root, 'test', 'sdk', 'ecosystems');

/** The ecosystems with a checker: every .mjs of test/sdk/ecosystems/ but the shared one. */
export const ECOSYSTEMS = readdirSync(ecosystemsDir)
  .filter((name) => name.endsWith('.mjs') && name !== 'common.mjs')
  .map((name) => name.slice(0, -'.mjs'.length))
  .sort();

/** The checker of an ecosystem: { installedBy, available(), fetch?(sdk), check(sdk, classes) -> problems }. */
export async function ecosystem(name) {
  if (!ECOSYSTEMS.includes(name))
    throw new Error(
      `no checker for the ${name} ecosystem: add test/sdk/ecosystems/${name}.mjs (known: ${ECOSYSTEMS.join(', ')})`,
    );
  return import(join(ecosystemsDir, `${name}.mjs`));
}

/** The registry's SDKs with their ids, in its order. */
export function registrySdks(contract) {
  return Object.entries(contract.sdks).map(([id, sdk]) => ({ id, ...sdk }));
}

/** Installs every pinned SDK its ecosystem fetches (the others come with npm ci and the venv). */
export async function fetchSdks() {
  const contract = JSON.parse(readFileSync(join(root, 'generated', 'contract.json'), 'utf8'));
  for (const sdk of registrySdks(contract)) (await ecosystem(sdk.package.ecosystem)).fetch?.(sdk);
}

if (process.argv[2] === 'fetch') await fetchSdks();
