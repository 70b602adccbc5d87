// index.html: the kinds, the fields, and every entry in one table with filters, a search box and one anchor per entry.
import type { Contract, SdkBinding } from '../../generated/types.js';
import { classesOf } from '../sdks.js';
import {
  bindingHtml,
  breakableHtml,
  dataText,
  decisionHtml,
  flagHtml,
  kindKey,
  kindOf,
  retryHtml,
  retryKey,
  stabilityHtml,
  stabilityKey,
  statusHtml,
} from './entry-view.js';
import { esc, fragment } from './html.js';

function option(value: string, label: string): string {
  return `<option value="${esc(value)}">${esc(label)}</option>`;
}

export function renderIndexBody(contract: Contract): string {
  const fields = Object.entries(contract.fields);
  const kinds = Object.entries(contract.kinds);
  const labels = Object.values(contract.sdks ?? {}).map((s) => s.label);
  const sdkList = `${labels.slice(0, -1).join(', ')} and ${labels.at(-1) ?? ''}`;
  const count = (field: string) => contract.entries.filter((e) => e.field === field).length;
  const kindRows = kinds.map(
    ([id, k]) =>
      `<tr id="kind-${esc(id)}"><td><code>${breakableHtml(id)}</code></td><td data-label="HTTP">${k.http_status === undefined || k.http_status === null ? statusHtml(null) : esc(k.http_status)}</td>${classesOf<SdkBinding>(
        contract,
        k,
      )
        .map((c) => `<td data-label="${esc(c.label)}">${bindingHtml(c)}</td>`)
        .join(
          '',
        )}<td data-label="can succeed unchanged">${flagHtml(k.can_succeed_unchanged)}</td><td data-label="summary">${dataText(k.summary)}</td></tr>`,
  );
  const fieldItems = fields.map(
    ([id, f]) =>
      `<li><a href="fields/${esc(id)}.html"><code>${esc(id)}</code></a> <span class="tag">${esc(f.role)}</span> <span class="muted">${count(id)} ${count(id) === 1 ? 'entry' : 'entries'}</span></li>`,
  );
  const rows = contract.entries.map((e) => {
    const kind = kindOf(contract, e);
    // What a search matches beyond the visible text: both SDKs' class names as written in code, the kind, the
    // entry id, the remedy, and the retry decision in words.
    const search = [
      e.id,
      kind
        ? classesOf<SdkBinding>(contract, kind)
            .map((c) => `${c.qualified} ${c.binding.module}.${c.binding.class}`)
            .join(' ')
        : '',
      e.kind ?? '',
      e.remedy,
      e.rationale ?? '',
      e.retryable === true ? 'retryable retry yes' : e.retryable === false ? 'not-retryable no-retry' : '',
      e.throttling ? 'throttling throttle backoff' : '',
      e.stability,
      e.deprecated ? 'deprecated' : '',
    ].join(' ');
    const badges = [
      e.stability === 'experimental'
        ? '<span class="badge experimental" title="may change in a minor release">experimental</span>'
        : '',
      e.deprecated ? `<span class="badge deprecated" title="${esc(e.deprecated.reason)}">deprecated</span>` : '',
    ].join('');
    return `<tr id="${esc(e.id)}" data-field="${esc(e.field)}" data-kind="${esc(kindKey(e))}" data-retryable="${esc(retryKey(e))}" data-stability="${esc(stabilityKey(e))}" data-search="${esc(search)}">
<th scope="row" class="key"><a class="value" href="${esc(fragment(e.id))}" title="${esc(e.id)}: link to this entry"><code>${breakableHtml(e.value)}</code></a>${e.value === '*' ? ' <span class="muted any">any other value</span>' : e.value.startsWith('*') ? ' <span class="muted any">any other value ending so</span>' : ''}${badges}<a class="field" href="fields/${esc(e.field)}.html${esc(fragment(e.id))}">${esc(e.field)}</a></th>
<td class="retry" data-label="retry">${retryHtml(e)}</td>
<td class="kind" data-label="raises">${decisionHtml(e, '')}${e.http_status !== undefined && e.http_status !== null ? ` <span class="http" title="the equivalent HTTP status">HTTP ${esc(e.http_status)}</span>` : ''}${
      kind
        ? `<span class="classes">${classesOf<SdkBinding>(contract, kind)
            .map((c) => `<span class="sdk">${esc(c.label)}</span> ${bindingHtml(c)}`)
            .join(' ')}</span>`
        : ''
    }</td>
<td class="summary" data-label="meaning">${dataText(e.summary)}${e.deprecated ? ` <span class="muted">${stabilityHtml(e, '')}.</span>` : ''}<span class="remedy"><b>Remedy:</b> ${dataText(e.remedy)}</span></td>
</tr>`;
  });
  const usedKinds = [...new Set(contract.entries.map(kindKey))];
  const kindOptions = [
    ...kinds.filter(([id]) => usedKinds.includes(id)).map(([id]) => option(id, id)),
    ...(usedKinds.includes('none') ? [option('none', 'none (no exception)')] : []),
    ...(usedKinds.includes('deferred') ? [option('deferred', 'decided by another field')] : []),
  ];
  return `<h1>error-contract ${esc(contract.meta.version)} <span class="muted subtitle">what each asynchronous failure raises, and whether to retry</span></h1>
<p class="intro">${dataText(contract.meta.description)} <span class="muted">${contract.entries.length} entries in ${fields.length} fields, ${kinds.length} exception kinds. The data: <a href="contract.json">contract.json</a> (schema: <a href="contract.schema.json">contract.schema.json</a>).</span></p>
<h2 id="entries-heading" class="visually-hidden">Entries</h2>
<form id="filters" hidden role="search">
<label class="search">Search <input id="search" type="search" placeholder="insufficient_quota, openai.RateLimitError, retry, billing…" autocomplete="off"></label>
<label>Field <select id="filter-field"><option value="">any</option>${fields.map(([id]) => option(id, id)).join('')}</select></label>
<label>Kind <select id="filter-kind"><option value="">any</option>${kindOptions.join('')}</select></label>
<label>Retryable <select id="filter-retryable"><option value="">any</option>${option('yes', 'yes')}${option('no', 'no')}${option('n/a', 'not decided here')}</select></label>
<label>Stability <select id="filter-stability"><option value="">any</option>${option('stable', 'stable')}${option('experimental', 'experimental')}${option('deprecated', 'deprecated')}</select></label>
<button id="reset" type="button">Show all</button>
<span id="count" aria-live="polite"></span>
<a id="permalink" href="index.html">link to this view</a>
</form>
<details class="legend"><summary>What the columns say</summary>
<p>Each row is one known value of one failure field. <em>Raises</em> is the exception kind the synchronous path raises for the same root cause, with its HTTP status and its class in the ${esc(sdkList)} SDKs; <em>retry</em>: retrying the identical request later can succeed; <em>throttling</em>: a rate or quota signal (back off longer). <em>experimental</em> entries may change in a minor release; <em>deprecated</em> ones name their replacement. Every entry has a stable anchor, its id <code>#&lt;field&gt;/&lt;value&gt;</code>: the value links to it. Search looks in values, ids, kinds, every SDK's class names (<code>openai.RateLimitError</code>), summaries and remedies; the filters and the search are kept in the address, so a view can be linked.</p>
</details>
<div class="table-wrap entries-wrap"><table id="entries">
<thead><tr><th scope="col">value <span class="muted">/ field</span></th><th scope="col">retry?</th><th scope="col">raises <span class="muted">(kind, HTTP, ${esc(sdkList)} class)</span></th><th scope="col">meaning and remedy</th></tr></thead>
<tbody>
${rows.join('\n')}
<tr id="no-match" hidden><td colspan="4" class="muted">No entry matches these filters.</td></tr>
</tbody>
</table></div>

<h2 id="kinds">Exception kinds</h2>
<div class="table-wrap"><table id="kinds-table">
<thead><tr><th>kind</th><th>HTTP</th>${labels.map((l) => `<th>${esc(l)}</th>`).join('')}<th>can succeed unchanged</th><th>summary</th></tr></thead>
<tbody>
${kindRows.join('\n')}
</tbody>
</table></div>

<h2 id="fields">Fields</h2>
<ul>
${fieldItems.join('\n')}
</ul>`;
}
