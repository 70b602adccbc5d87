// Site inputs for tests: the real ones, or the real ones with hostile data in every text a contract can carry.
import type { Contract } from '../../generated/types.js';
import { readSiteInput } from '../../src/site/inputs.js';
import type { SiteInput } from '../../src/site/render.js';

export const HOSTILE = {
  summary: '<script>window.__pwned = 1</script> summary',
  remedy: '"><img src=x onerror="window.__pwned=2"> remedy',
  title: '<b onmouseover="window.__pwned=3">title</b>',
  url: 'javascript:window.__pwned=4',
  value: '"><svg onload="window.__pwned=5">',
};

export function hostileInput(): SiteInput {
  const input = readSiteInput({ api: false });
  const contract = JSON.parse(JSON.stringify(input.contract)) as Contract;
  const first = contract.entries[0]!;
  first.summary = HOSTILE.summary;
  first.remedy = HOSTILE.remedy;
  first.rationale = HOSTILE.summary;
  const id = `${first.field}/${HOSTILE.value}` as typeof first.id;
  contract.entries.push({ ...first, id, value: HOSTILE.value });
  const source = first.sources[0]!;
  contract.sources[source] = { type: 'guide', title: HOSTILE.title, url: HOSTILE.url };
  const field = contract.fields[first.field]!;
  field.description = HOSTILE.remedy;
  contract.meta.description = HOSTILE.summary;
  return { ...input, contract, changelog: `# Changelog\n\n${HOSTILE.summary}\n\n[x](${HOSTILE.url})\n` };
}
