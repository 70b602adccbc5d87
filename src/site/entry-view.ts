// How an entry's decision is shown: shared by the index and the field pages so that both say the same thing.
import type { Contract, Entry, SdkBinding } from '../../generated/types.js';
import { dataText, esc, fragment } from './html.js';
import type { KindClass } from '../sdks.js';

/** The value of the kind filter for an entry: a kind id, `none` (no exception) or `deferred` (other fields decide). */
export function kindKey(entry: Entry): string {
  if (entry.refined_by || entry.delegate) return 'deferred';
  return entry.kind ?? 'none';
}

/** The value of the retryable filter: `yes`, `no` or `n/a` (the entry does not decide). */
export function retryKey(entry: Entry): string {
  return entry.retryable === undefined ? 'n/a' : entry.retryable ? 'yes' : 'no';
}

/**
 * An identifier as HTML that may wrap between its words (after `.`, `/` and `_`, and before a capital that follows
 * a lower-case letter), never inside one: a narrow column breaks `openai/error.ContentFilter…` at its seams.
 */
export function breakableHtml(text: string): string {
  return esc(text).replace(/([./_])(?=[^./_])|([a-z])(?=[A-Z])/g, '$1$2<wbr>');
}

/** A kind's class in one SDK, as code writes it; its import line shows on hover. */
export function bindingHtml(c: KindClass<SdkBinding> | undefined): string {
  if (!c) return '<span class="muted">—</span>';
  const note = c.binding.exact
    ? ''
    : ` <span class="tag" title="${esc(c.binding.note ?? 'the nearest class: the SDK has no exact one')}">nearest</span>`;
  return `<code title="${esc(c.importLine)}">${breakableHtml(c.qualified)}</code>${note}`;
}

/** The value of the stability filter. */
export function stabilityKey(entry: Entry): string {
  return entry.deprecated ? 'deprecated' : entry.stability;
}

/** The retry decision at a glance: a yes or no, and whether to back off as for throttling. */
export function retryHtml(entry: Entry): string {
  if (entry.outcome === 'completed') return '<span class="muted" title="not a failure">no failure</span>';
  if (entry.outcome === 'pending') return '<span class="muted" title="not finished: poll again">pending: poll</span>';
  if (entry.retryable === undefined)
    return '<span class="muted" title="the fields named under raises decide">see reason</span>';
  const throttle = entry.throttling
    ? ' <span class="throttle" title="a rate or quota signal: back off">throttling</span>'
    : '';
  return entry.retryable
    ? `<span class="yes">✓ retry</span>${throttle}`
    : `<span class="no">✗ don’t retry</span>${throttle}`;
}

/** The kind cell: a link to the kind, "none", or which fields or object decide instead. */
export function decisionHtml(entry: Entry, root: string): string {
  if (entry.refined_by)
    return `<span class="muted">by ${entry.refined_by.map((f) => `<a href="${esc(`${root}fields/${f}.html`)}">${esc(f)}</a>`).join(', then ')}</span>`;
  if (entry.delegate) return `<span class="muted">classifies <code>${esc(entry.delegate)}</code></span>`;
  if (!entry.kind) return '<span class="muted">none</span>';
  return `<a href="${esc(`${root}index.html#kind-${entry.kind}`)}"><code>${breakableHtml(entry.kind)}</code></a>`;
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
