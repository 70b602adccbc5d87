// fields/<field>.html: one failure field, where it is read, and every entry with its remedy, rationale and sources.
import type { Contract, Entry, SdkBinding } from '../../generated/types.js';
import { classesOf } from '../sdks.js';
import { bindingHtml, dataText, decisionHtml, flagHtml, kindOf, stabilityHtml, statusHtml } from './entry-view.js';
import { esc, fragment, outsideLink } from './html.js';

function sourceList(contract: Contract, ids: readonly string[]): string {
  const items = ids.map((id) => {
    const s = contract.sources[id];
    if (!s) return `<li><code>${esc(id)}</code></li>`;
    // A source that is not on the web (a document kept with the data) says so instead of showing its file name.
    const offline = s.type === 'seed' || !/^https?:/i.test(s.url);
    const label = offline
      ? `${esc(s.title)} <span class="tag" title="${esc(s.url)}">document, not online</span>`
      : `${outsideLink(s.url, s.title)} <span class="tag">${esc(s.type)}</span>`;
    return `<li>${label}${s.note ? ` <span class="muted">${dataText(s.note)}</span>` : ''}</li>`;
  });
  return `<ul class="sources">\n${items.join('\n')}\n</ul>`;
}

function entryArticle(contract: Contract, e: Entry): string {
  const kind = kindOf(contract, e);
  const rows: [string, string][] = [
    ['value', `<code>${esc(e.value)}</code>`],
    ...(e.outcome ? [['outcome', esc(e.outcome)] as [string, string]] : []),
    ['kind', decisionHtml(e, '../')],
    ...(kind ? classesOf<SdkBinding>(contract, kind).map((c): [string, string] => [c.label, bindingHtml(c)]) : []),
    ['retryable', flagHtml(e.retryable)],
    ['throttling', flagHtml(e.throttling)],
    ['HTTP status', statusHtml(e.http_status)],
    ...(e.partial_failure
      ? [
          [
            'partial failure',
            `counted by <a href="${esc(`${e.partial_failure}.html`)}">${esc(e.partial_failure)}</a>`,
          ] as [string, string],
        ]
      : []),
    ['summary', dataText(e.summary)],
    ['remedy', dataText(e.remedy)],
    ...(e.rationale ? [['rationale', dataText(e.rationale)] as [string, string]] : []),
    [
      'judgement',
      e.judgement ? 'yes: no source states this mapping directly; the rationale says why' : 'no: stated by the sources',
    ],
    ['since', esc(e.since)],
    ['stability', stabilityHtml(e, '../')],
    ...(e.deprecated ? [['deprecation note', dataText(e.deprecated.note)] as [string, string]] : []),
  ];
  return `<article class="entry" id="${esc(e.id)}">
<h3><a href="${esc(fragment(e.id))}">${esc(e.id)}</a>${e.stability === 'experimental' ? ' <span class="badge experimental">experimental</span>' : ''}${e.deprecated ? ' <span class="badge deprecated">deprecated</span>' : ''} <a class="muted" href="${esc('../index.html' + fragment(e.id))}">in the index</a></h3>
<dl class="entry">
${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('\n')}
</dl>
<details open><summary>Sources</summary>
${sourceList(contract, e.sources)}
</details>
</article>`;
}

export function renderFieldBody(contract: Contract, fieldId: string): string {
  const field = contract.fields[fieldId];
  if (!field) throw new Error(`internal error: no field ${fieldId}`);
  const entries = contract.entries.filter((e) => e.field === fieldId);
  const dispatch =
    field.dispatch?.object !== undefined
      ? ` of objects with <code>object: ${esc(JSON.stringify(field.dispatch.object))}</code>`
      : field.dispatch?.key !== undefined
        ? ` of bodies with a key <code>${esc(field.dispatch.key)}</code>`
        : '';
  const where =
    field.path === undefined
      ? `${esc(field.role)}: shared by every field that names it`
      : `${esc(field.role)} field, read at <code>${esc(field.path)}</code>${dispatch}`;
  const shares = field.shares_values_with
    ? `<p>Shares the values of <a href="${esc(field.shares_values_with)}.html">${esc(field.shares_values_with)}</a>: a value this field does not list means what it means there.</p>`
    : '';
  return `<h1><code>${esc(fieldId)}</code></h1>
<p class="muted">A ${where}. ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}.</p>
<p>${dataText(field.description)}</p>
${shares}
<h2 id="field-sources">Sources</h2>
${sourceList(contract, field.sources)}
<h2 id="field-entries">Entries</h2>
${entries.map((e) => entryArticle(contract, e)).join('\n')}`;
}
