// Every file of the site as path -> content, computed in memory from the contract and the project's documents.
import { posix } from 'node:path';
import type { Contract } from '../../generated/types.js';
import { renderFieldBody } from './field-page.js';
import { esc } from './html.js';
import { renderIndexBody } from './index-page.js';
import { renderPage, type Assets, type NavItem, type Page } from './layout.js';
import { renderMarkdown } from './markdown.js';

export interface SiteInput {
  contract: Contract;
  /** generated/contract.json and generated/contract.schema.json as published, offered for download. */
  contractJson: string;
  schemaJson: string;
  procedure: string;
  changelog: string;
  consume: string;
  /** conformance/PROTOCOL.md, when the conformance suite has one. */
  protocol?: string;
  /** The files of schemas/, by path relative to it: published with the site so that documents can link them. */
  schemas: Map<string, string>;
  packageVersion: string;
  assets: Assets;
  /** Whether api/ (typedoc) is part of the site: the nav links to it only then. */
  api: boolean;
}

/**
 * The project's documents as pages. `source` is where the document lives in the repository (links in it are relative
 * to that); the consumer guide is written for the site itself, so its links are site paths.
 */
const DOCUMENTS = [
  { source: 'spec/PROCEDURE.md', page: 'procedure.html', label: 'Decision procedure', key: 'procedure' },
  { source: 'generated/CHANGELOG.md', page: 'changelog.html', label: 'Changelog', key: 'changelog' },
  { source: undefined, page: 'consume.html', label: 'Other languages', key: 'consume' },
  { source: 'conformance/PROTOCOL.md', page: 'conformance.html', label: 'Conformance protocol', key: 'protocol' },
] as const;

/** Where a file of the repository is published in the site, if it is. */
function published(
  repoPath: string,
  site: Map<string, string>,
  documents: readonly (typeof DOCUMENTS)[number][],
): string | undefined {
  const doc = documents.find((d) => d.source === repoPath);
  if (doc) return doc.page;
  const inSite = repoPath.startsWith('generated/') ? repoPath.slice('generated/'.length) : repoPath;
  return site.has(inSite) && !inSite.endsWith('.html') ? inSite : undefined;
}

function firstHeading(markdown: string, fallback: string): string {
  return /^#\s+(.+?)\s*#*\s*$/m.exec(markdown)?.[1] ?? fallback;
}

export function renderSite(input: SiteInput): Map<string, string> {
  for (const [name, text] of [
    ['css', input.assets.css],
    ['js', input.assets.js],
  ] as const) {
    if (/<\/(style|script)/i.test(text)) throw new Error(`internal error: the site's ${name} closes its own element`);
  }
  const texts: Record<(typeof DOCUMENTS)[number]['key'], string | undefined> = {
    procedure: input.procedure,
    changelog: input.changelog,
    consume: input.consume,
    protocol: input.protocol,
  };
  const documents = DOCUMENTS.filter((d) => texts[d.key] !== undefined);
  const nav: NavItem[] = [
    { href: 'index.html', label: 'Entries' },
    { href: 'index.html#kinds', label: 'Kinds' },
    { href: 'index.html#fields', label: 'Fields' },
    ...documents.map((d) => ({ href: d.page, label: d.label })),
    ...(input.api ? [{ href: 'api/index.html', label: 'API' }] : []),
  ];
  const footer = `error-contract ${esc(input.packageVersion)}, contract ${esc(input.contract.meta.version)}. Built by <code>npm run docs</code> from the published data; this page loads nothing from anywhere.`;
  const files = new Map<string, string>();
  const add = (page: Page) => files.set(page.path, renderPage(page, nav, input.assets, footer));

  add({
    path: 'index.html',
    title: `error-contract ${input.contract.meta.version}: entries`,
    body: renderIndexBody(input.contract),
    current: 'index.html',
    script: true,
  });
  for (const field of Object.keys(input.contract.fields)) {
    add({
      path: `fields/${field}.html`,
      title: `${field}: error-contract`,
      body: renderFieldBody(input.contract, field),
    });
  }
  files.set('contract.json', input.contractJson);
  files.set('contract.schema.json', input.schemaJson);
  for (const [path, content] of input.schemas) files.set(`schemas/${path}`, content);
  /** Links of a document: to a page or published file of the site when the target is one, else shown as text. */
  const linker =
    (source: string | undefined) =>
    (href: string): string | undefined => {
      const [path = '', hash] = href.split('#', 2);
      const fragment = hash ? `#${hash}` : '';
      if (path === '') return fragment || undefined;
      if (source === undefined) {
        const doc = documents.find((d) => d.source !== undefined && posix.basename(d.source) === path);
        if (doc) return doc.page + fragment;
        return files.has(path) && !path.includes('..') ? path + fragment : undefined;
      }
      const target = published(posix.normalize(posix.join(posix.dirname(source), path)), files, documents);
      return target === undefined ? undefined : target + fragment;
    };
  for (const d of documents) {
    const text = texts[d.key]!;
    const { html } = renderMarkdown(text, { link: linker(d.source) });
    add({
      path: d.page,
      title: `${firstHeading(text, d.label)}: error-contract`,
      body: html,
      current: d.page,
      prose: true,
    });
  }
  return files;
}
