// How an entry's decision is shown: shared by the index and the field pages so that both say the same thing.
import type { Contract, Entry, SdkBinding } from '../../generated/types.js';
import { dataText, esc, fragment } from './html.js';

/** The value of the kind filter for an entry: a kind id, `none` (no exception) or `deferred` (other fields decide). */
export function kindKey(entry: Entry): string {
  if (entry.refined_by || entry.delegate) return 'deferred';
  return entry.kind ?? 'none';
}

/** The value of the retryable filter: `yes`, `no` or `n/a` (the entry does not decide). */
export function retryKey(entry: Entry): string {
  return entry.retryable === undefined ? 'n/a' : entry.retryable ? 'yes' : 'no';
}

/** `RateLimitError` for the SDK's top-level module (`openai`), `module.Class` for anything else. */
export function bindingText(binding: SdkBinding): string {
  return binding.module === 'openai' ? binding.class : `${binding.module}.${binding.class}`;
}

export function bindingHtml(binding: SdkBinding | undefined): string {
  if (!binding) return '<span class="muted">—</span>';
  const note = binding.exact ? '' : ' <span class="tag" title="the nearest base class: the SDK has no exact class">base</span>';
  return `<code title="${esc(`${binding.module}.${binding.class}`)}">${esc(bindingText(binding))}</code>${note}`;
}

/** The kind cell: a link to the kind, "none", or which fields or object decide instead. */
export function decisionHtml(entry: Entry, root: string): string {
  if (entry.refined_by) return `<span class="muted">by ${entry.refined_by.map((f) => `<a href="${esc(`${root}fields/${f}.html`)}">${esc(f)}</a>`).join(', then ')}</span>`;
  if (entry.delegate) return `<span class="muted">classifies <code>${esc(entry.delegate)}</code></span>`;
  if (!entry.kind) return '<span class="muted">none</span>';
  return `<a href="${esc(`${root}index.html#kind-${entry.kind}`)}"><code>${esc(entry.kind)}</code></a>`;
}

export function flagHtml(value: boolean | undefined): string {
  if (value === undefined) return '<span class="muted">—</span>';
  return value ? '<span class="yes">yes</span>' : '<span class="no">no</span>';
}

export function statusHtml(status: number | null | undefined): string {
  return status === null || status === undefined ? '<span class="muted">—</span>' : esc(status);
}

export function stabilityHtml(entry: Entry, root: string): string {
  if (!entry.deprecated) return esc(entry.stability);
  const by = entry.deprecated.replaced_by;
  return `deprecated (${esc(entry.deprecated.reason)})${by ? `, replaced by <a href="${esc(root + 'index.html' + fragment(by))}">${esc(by)}</a>` : ''}`;
}

export function kindOf(contract: Contract, entry: Entry) {
  return entry.kind ? contract.kinds[entry.kind] : undefined;
}

export { dataText };
