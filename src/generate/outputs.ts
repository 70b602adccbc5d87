// Everything `generate` writes, as path -> content, computed in memory before anything touches the disk.
import { join } from 'node:path';
import type { Contract } from '../../generated/types.js';
import { renderChangelog } from '../diff/changelog.js';
import type { ContractDocument } from '../diff/document.js';
import { jsonFile } from '../json-text.js';
import { specDir } from '../paths.js';
import { renderProtocolValidators } from '../conformance/validators.js';
import { renderVectorFiles } from '../conformance/vectors.js';
import { renderClassifierModule } from '../classify/generate.js';
import { renderContractModule } from './contract-module.js';
import { renderEntriesMarkdown } from './markdown.js';

export type Outputs = Map<string, string>;

/** The outputs derived from the contract by other modules (vectors, …): path relative to generated/ -> content. */
type OutputRenderer = (contract: Contract) => Outputs | Promise<Outputs>;
const renderers: readonly OutputRenderer[] = [
  renderVectorFiles,
  renderProtocolValidators,
  renderClassifierModule,
  renderContractModule,
];

/**
 * The Python package's bundled copy of contract.json (src/python/error_contract/contract.json, package data of the
 * wheel), relative to generated/: written and drift-checked with everything else, so that it cannot go stale.
 */
const PYTHON_CONTRACT = '../src/python/error_contract/contract.json';

interface RenderOptions {
  /** The release snapshots the changelog is computed from (default: the package's spec/releases/). */
  releasesDir?: string;
}

export async function renderOutputs(
  contract: Contract,
  publishedSchema: object,
  options: RenderOptions = {},
): Promise<Outputs> {
  // Loaded here, not at the top: the type generator is a build-time tool, and the installed CLI must not need it.
  const { renderAuthoringTypes, renderConformanceTypes, renderContractTypes } = await import('./types.js');
  const releasesDir = options.releasesDir ?? join(specDir, 'releases');
  const outputs: Outputs = new Map([
    ['contract.json', jsonFile(contract)],
    [PYTHON_CONTRACT, jsonFile(contract)],
    ['contract.schema.json', jsonFile(publishedSchema)],
    ['types.ts', await renderContractTypes(publishedSchema)],
    ['authoring-types.ts', await renderAuthoringTypes(Object.keys(contract.sdks ?? {}))],
    ['conformance-types.ts', await renderConformanceTypes()],
    ['ENTRIES.md', renderEntriesMarkdown(contract)],
    [
      'CHANGELOG.md',
      renderChangelog({ contract: contract as unknown as ContractDocument, schema: publishedSchema }, releasesDir),
    ],
  ]);
  for (const render of renderers) {
    for (const [path, content] of await render(contract)) {
      if (outputs.has(path)) throw new Error(`internal error: two generators write generated/${path}`);
      outputs.set(path, content);
    }
  }
  return outputs;
}
