// index.html: the kinds, the fields, and every entry in one table with filters, a search box and one anchor per entry.
import type { Contract } from '../../generated/types.js';
import { bindingHtml, dataText, decisionHtml, flagHtml, kindKey, kindOf, retryKey, stabilityHtml, statusHtml } from './entry-view.js';
import { esc, fragment } from './html.js';

function option(value: string, label: string): string {
  return `<option value="${esc(value)}">${esc(label)}</option>`;
}

export function renderIndexBody(contract: Contract): string {
  const fields = Object.entries(contract.fields);
  const kinds = Object.entries(contract.kinds);
  const count = (field: string) => contract.entries.filter((e) => e.field === field).length;
  const kindRows = kinds.map(
    ([id, k]) => `<tr id="kind-${esc(id)}"><td><code>${esc(id)}</code></td><td>${statusHtml(typeof k.http_status === 'number' ? k.http_status : null)}${typeof k.http_status === 'string' ? esc(k.http_status) : ''}</td><td>${bindingHtml(k.python)}</td><td>${bindingHtml(k.node)}</td><td>${flagHtml(k.can_succeed_unchanged)}</td><td>${dataText(k.summary)}</td></tr>`,
  );
  const fieldItems = fields.map(
    ([id, f]) => `<li><a href="fields/${esc(id)}.html"><code>${esc(id)}</code></a> <span class="tag">${esc(f.role)}</span> <span class="muted">${count(id)} ${count(id) === 1 ? 'entry' : 'entries'}</span></li>`,
  );
  const rows = contract.entries.map((e) => {
    const kind = kindOf(contract, e);
    return `<tr id="${esc(e.id)}" data-field="${esc(e.field)}" data-kind="${esc(kindKey(e))}" data-retryable="${esc(retryKey(e))}">
<td class="field"><a href="fields/${esc(e.field)}.html${esc(fragment(e.id))}">${esc(e.field)}</a></td>
<td class="value"><a href="${esc(fragment(e.id))}" title="${esc(e.id)}: link to this entry"><code>${esc(e.value)}</code></a></td>
<td class="kind">${decisionHtml(e, '')}</td>
<td class="class">${bindingHtml(kind?.python)}</td>
<td class="class">${bindingHtml(kind?.node)}</td>
<td>${flagHtml(e.retryable)}</td>
<td>${flagHtml(e.throttling)}</td>
<td>${statusHtml(e.http_status)}</td>
<td class="summary">${dataText(e.summary)}${e.deprecated ? ` <span class="tag">${stabilityHtml(e, '')}</span>` : ''}</td>
</tr>`;
  });
  const usedKinds = [...new Set(contract.entries.map(kindKey))];
  const kindOptions = [
    ...kinds.filter(([id]) => usedKinds.includes(id)).map(([id]) => option(id, id)),
    ...(usedKinds.includes('none') ? [option('none', 'none (no exception)')] : []),
    ...(usedKinds.includes('deferred') ? [option('deferred', 'decided by another field')] : []),
  ];
  return `<h1>error-contract ${esc(contract.meta.version)}</h1>
<p>${dataText(contract.meta.description)}</p>
<p class="muted">${contract.entries.length} entries in ${fields.length} fields, ${kinds.length} exception kinds. The data: <a href="contract.json">contract.json</a> (schema: <a href="contract.schema.json">contract.schema.json</a>).</p>

<h2 id="entries-heading">Entries</h2>
<p>Each row is one known value of one failure field. <em>Kind</em> is the exception kind the synchronous path raises for the same root cause; <em>retryable</em>: retrying the identical request later can succeed; <em>throttling</em>: a rate or quota signal (back off). Every entry has a stable anchor, its id <code>#&lt;field&gt;/&lt;value&gt;</code>: the value links to it.</p>
<form id="filters" hidden role="search">
<label>Field <select id="filter-field"><option value="">any</option>${fields.map(([id]) => option(id, id)).join('')}</select></label>
<label>Kind <select id="filter-kind"><option value="">any</option>${kindOptions.join('')}</select></label>
<label>Retryable <select id="filter-retryable"><option value="">any</option>${option('yes', 'yes')}${option('no', 'no')}${option('n/a', 'not decided here')}</select></label>
<label>Search <input id="search" type="search" placeholder="code, class, words of the summary…" autocomplete="off"></label>
<button id="reset" type="button">Show all</button>
<span id="count" aria-live="polite"></span>
</form>
<div class="table-wrap"><table id="entries">
<thead><tr><th>field</th><th>value</th><th>kind</th><th>Python class</th><th>Node class</th><th>retryable</th><th>throttling</th><th>HTTP</th><th>summary</th></tr></thead>
<tbody>
${rows.join('\n')}
<tr id="no-match" hidden><td colspan="9" class="muted">No entry matches these filters.</td></tr>
</tbody>
</table></div>

<h2 id="kinds">Exception kinds</h2>
<div class="table-wrap"><table>
<thead><tr><th>kind</th><th>HTTP</th><th>Python</th><th>Node</th><th>can succeed unchanged</th><th>summary</th></tr></thead>
<tbody>
${kindRows.join('\n')}
</tbody>
</table></div>

<h2 id="fields">Fields</h2>
<ul>
${fieldItems.join('\n')}
</ul>`;
}
