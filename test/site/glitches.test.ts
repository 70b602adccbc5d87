// Rendering details a reader noticed: entities inside code spans, a status with a dash before it, sources that are
// not on the web, stability and the retry decision in the index rows.
import { describe, expect, it } from 'vitest';
import { cell, codeCell, renderEntriesMarkdown } from '../../src/generate/markdown.js';
import { readSiteInput } from '../../src/site/inputs.js';
import { renderSite } from '../../src/site/render.js';

const input = readSiteInput({ api: false });
const site = renderSite(input);
const contract = input.contract;

describe('ENTRIES.md', () => {
  it('escapes < and > outside code spans only, where an entity would show literally', () => {
    expect(cell('`>0` or <b>')).toBe('`>0` or &lt;b&gt;');
    expect(cell('a | b')).toBe('a \\| b');
    expect(codeCell('>=500')).toBe('`>=500`');
    expect(codeCell('a|b')).toBe('`a\\|b`');
    expect(codeCell('a`b')).toBe('`` a`b ``');
    const md = renderEntriesMarkdown(contract);
    expect(md).toContain('| `>0` |');
    expect(md).toContain('| `>=500` |');
    expect(md).not.toMatch(/`&gt;|`&lt;/);
  });
});

describe('the index', () => {
  const index = site.get('index.html')!;
  it('shows a kind whose status is a range as it is, with no dash before it', () => {
    expect(index).not.toMatch(/—<\/span>&gt;=|—&gt;=/);
    const ranged = Object.entries(contract.kinds).find(([, k]) => typeof k.http_status === 'string');
    if (ranged)
      expect(index).toContain(`<td data-label="HTTP">${String(ranged[1].http_status).replace(/>/g, '&gt;')}</td>`);
  });

  it('marks experimental and deprecated entries, and says what to do about retrying first', () => {
    const experimental = contract.entries.find((e) => e.stability === 'experimental' && !e.deprecated)!;
    const row = index.slice(
      index.indexOf(`<tr id="${experimental.id}"`),
      index.indexOf('</tr>', index.indexOf(`<tr id="${experimental.id}"`)),
    );
    expect(row).toContain('badge experimental');
    expect(row.indexOf('class="retry"')).toBeLessThan(row.indexOf('class="kind"'));
    const deprecated = contract.entries.find((e) => e.deprecated)!;
    expect(index.slice(index.indexOf(`<tr id="${deprecated.id}"`)).slice(0, 2000)).toContain('badge deprecated');
  });

  it('lets a search find both SDKs class names as code writes them, and the remedy', () => {
    const e = contract.entries.find((x) => x.id === 'error.code/insufficient_quota')!;
    const row = index.slice(index.indexOf(`<tr id="${e.id}"`), index.indexOf('>', index.indexOf(`<tr id="${e.id}"`)));
    expect(row).toContain('openai.RateLimitError');
    expect(row).toContain('billing');
  });
});

describe('field pages', () => {
  it('show a source that is not on the web by its title, never its file name as a link', () => {
    const offline = Object.entries(contract.sources).find(([, s]) => !/^https?:/.test(s.url));
    if (!offline) return;
    const [id, source] = offline;
    const field =
      Object.entries(contract.fields).find(([, f]) => f.sources.includes(id as never))?.[0] ??
      contract.entries.find((e) => e.sources.includes(id as never))!.field;
    const page = site.get(`fields/${field}.html`)!;
    expect(page).toContain('document, not online');
    expect(page).not.toContain(`href="${source.url}"`);
  });
});
