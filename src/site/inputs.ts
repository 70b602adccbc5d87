// What the site is built from, read from the package: the published contract and the project's documents.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Contract } from '../../generated/types.js';
import { contractPath, generatedDir, packageRoot, packageVersion, schemasDir, specDir } from '../paths.js';
import type { SiteInput } from './render.js';

function read(path: string, hint: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing (${hint})`);
  return readFileSync(path, 'utf8');
}

function readTree(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((p) => p.split('\\').join('/'))
    .filter((p) => statSync(join(dir, p)).isFile())
    .sort();
  return new Map(files.map((p) => [p, readFileSync(join(dir, p), 'utf8')]));
}

export function readSiteInput(options: { api: boolean }): SiteInput {
  const contractJson = read(contractPath, 'run npm run generate');
  const protocolPath = join(packageRoot, 'conformance', 'PROTOCOL.md');
  const siteDir = join(packageRoot, 'src', 'site');
  return {
    contract: JSON.parse(contractJson) as Contract,
    contractJson,
    schemaJson: read(join(generatedDir, 'contract.schema.json'), 'run npm run generate'),
    procedure: read(join(specDir, 'PROCEDURE.md'), 'the decision procedure'),
    changelog: read(join(generatedDir, 'CHANGELOG.md'), 'run npm run generate'),
    consume: read(join(siteDir, 'content', 'consume.md'), 'a page of the site'),
    ...(existsSync(protocolPath) ? { protocol: readFileSync(protocolPath, 'utf8') } : {}),
    schemas: readTree(schemasDir),
    packageVersion: packageVersion(),
    assets: {
      css: read(join(siteDir, 'assets', 'site.css'), 'the stylesheet'),
      js: read(join(siteDir, 'assets', 'site.js'), 'the index script'),
    },
    api: options.api,
  };
}
