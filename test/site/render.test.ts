// The site's pages as files: one anchor per entry, a page per field, a policy that loads nothing, and data as text.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readSiteInput } from '../../src/site/inputs.js';
import { renderSite } from '../../src/site/render.js';
import { HOSTILE, hostileInput } from './support.js';

const input = readSiteInput({ api: true });
const site = renderSite(input);
const pages = [...site].filter(([path]) => path.endsWith('.html'));

describe('pages', () => {
  it('has an index, a page per field, the procedure, changelog and consumer guide', () => {
    const expected = [
      'index.html',
      'procedure.html',
      'changelog.html',
      'consume.html',
      ...Object.keys(input.contract.fields).map((f) => `fields/${f}.html`),
    ];
    expect(pages.map(([p]) => p)).toEqual(expect.arrayContaining(expected));
    expect(site.has('conformance.html')).toBe(input.protocol !== undefined);
    expect(site.get('contract.json')).toBe(input.contractJson);
    // The consumer guide's links are site paths: the data files and the other documents.
    expect(site.get('consume.html')).toContain('<a href="contract.json">contract.json</a>');
    expect(site.get('consume.html')).toContain('<a href="procedure.html">decision procedure</a>');
  });

  it('gives every entry exactly one row, whose id is the entry id', () => {
    const index = site.get('index.html')!;
    const rowIds = [...index.matchAll(/<tr id="([^"]*)" data-field=/g)].map((m) =>
      m[1]!
        .replace(/&gt;/g, '>')
        .replace(/&lt;/g, '<')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&'),
    );
    expect(rowIds).toEqual(input.contract.entries.map((e) => e.id));
  });

  it('lists every entry of a field on its page, with its remedy', () => {
    for (const e of input.contract.entries) {
      const page = site.get(`fields/${e.field}.html`)!;
      expect(page).toContain(`<article class="entry" id="${e.id.replace(/>/g, '&gt;')}">`);
    }
  });

  it('loads nothing: a policy of default-src none, with the hash of exactly the inline style and script', () => {
    for (const [path, html] of pages) {
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/
        .exec(html)?.[1]
        ?.replace(/&#39;/g, "'");
      expect(csp, path).toContain("default-src 'none'");
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
      expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
      const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
      if (script !== undefined)
        expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
      else expect(csp).toContain("script-src 'none'");
      // Nothing is fetched by the markup itself: no src= anywhere, and <link> only for the empty data: icon.
      expect(html).not.toMatch(/\ssrc=/);
      expect([...html.matchAll(/<link [^>]*>/g)].map((m) => m[0])).toEqual(['<link rel="icon" href="data:,">']);
    }
  });
});

describe('the conformance protocol', () => {
  it('becomes a page, linked from every page, when conformance/PROTOCOL.md exists; links to it from other documents resolve', () => {
    const protocol =
      '# Conformance protocol\n\nSee [the procedure](../spec/PROCEDURE.md#step-1-envelopes), [results](../schemas/result.schema.json), [data](../generated/contract.json) and [code](../src/index.ts).\n';
    const withProtocol = renderSite({ ...input, protocol });
    const page = withProtocol.get('conformance.html')!;
    expect(page).toContain('<a href="procedure.html#step-1-envelopes">the procedure</a>');
    expect(page).toContain('<a href="schemas/result.schema.json">results</a>');
    expect(page).toContain('<a href="contract.json">data</a>');
    expect(page).toContain('<span class="unlinked">code</span>');
    expect(withProtocol.get('schemas/result.schema.json')).toBe(input.schemas.get('result.schema.json'));
    expect(withProtocol.get('index.html')).toContain('<a href="conformance.html">Conformance protocol</a>');
    expect(withProtocol.get('consume.html')).toContain('<a href="conformance.html">the conformance protocol</a>');
    const without = renderSite({ ...input, protocol: undefined });
    expect(without.has('conformance.html')).toBe(false);
    expect(without.get('consume.html')).toContain('<span class="unlinked">the conformance protocol</span>');
  });
});

describe('escaping', () => {
  it('shows hostile data as text on every page', () => {
    const hostile = renderSite(hostileInput());
    for (const [path, html] of hostile) {
      if (!path.endsWith('.html')) continue;
      expect(html, path).not.toMatch(/<script>window|<img |<svg |<b on|href="javascript:/);
    }
    expect(hostile.get('index.html')).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt; summary');
    expect(hostile.get('changelog.html')).toContain('&lt;script&gt;');
    expect(JSON.stringify([...hostile.values()])).not.toContain(
      HOSTILE.url.replace('javascript:', 'href="javascript:'),
    );
  });
});
