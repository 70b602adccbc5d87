// Everything `generate` writes, as path -> content, computed in memory before anything touches the disk.
import type { Contract } from '../../generated/types.js';
import { renderEntriesMarkdown } from './markdown.js';
import { renderAuthoringTypes, renderContractTypes } from './types.js';

export type Outputs = Map<string, string>;

/** Extra outputs derived from the contract (vectors, …) register here: path relative to generated/ -> content. */
export type OutputRenderer = (contract: Contract) => Outputs | Promise<Outputs>;
const renderers: OutputRenderer[] = [];
export function registerOutputs(renderer: OutputRenderer): void {
  renderers.push(renderer);
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

export async function renderOutputs(contract: Contract, publishedSchema: object): Promise<Outputs> {
  const outputs: Outputs = new Map([
    ['contract.json', json(contract)],
    ['contract.schema.json', json(publishedSchema)],
    ['types.ts', await renderContractTypes(publishedSchema)],
    ['authoring-types.ts', await renderAuthoringTypes()],
    ['ENTRIES.md', renderEntriesMarkdown(contract)],
  ]);
  for (const render of renderers) {
    for (const [path, content] of await render(contract)) {
      if (outputs.has(path)) throw new Error(`internal error: two generators write generated/${path}`);
      outputs.set(path, content);
    }
  }
  return outputs;
}
