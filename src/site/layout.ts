// The page shell every site page shares: navigation, the stylesheet and script inlined, and a Content Security
// Policy that lets the page load nothing from anywhere (only its own inline style and script, by hash).
import { createHash } from 'node:crypto';
import { esc } from './html.js';

export interface NavItem {
  /** Site-relative path (`index.html`, `fields/index.html#x`). */
  href: string;
  label: string;
}

export interface Assets {
  css: string;
  js: string;
}

export interface Page {
  /** Site-relative path of the page. */
  path: string;
  title: string;
  body: string;
  /** The nav entry marked current. */
  current?: string;
  /** Whether the page runs the index script. */
  script?: boolean;
  /** Prose pages are narrower. */
  prose?: boolean;
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The prefix that takes a page at `path` back to the site root. */
function rootOf(path: string): string {
  return '../'.repeat(path.split('/').length - 1);
}

export function renderPage(page: Page, nav: NavItem[], assets: Assets, footer: string): string {
  const root = rootOf(page.path);
  const csp = [
    "default-src 'none'",
    `style-src ${sha256(assets.css)}`,
    page.script ? `script-src ${sha256(assets.js)}` : "script-src 'none'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const links = nav
    .map(
      (n) =>
        `<a href="${esc(root + n.href)}"${n.href === page.current ? ' aria-current="page"' : ''}>${esc(n.label)}</a>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(page.title)}</title>
<link rel="icon" href="data:,">
<style>${assets.css}</style>
</head>
<body>
<header class="site"><a class="name" href="${esc(root)}index.html">error-contract</a>
<nav>
${links}
</nav></header>
<main${page.prose ? ' class="prose"' : ''}>
${page.body}
</main>
<footer>${footer}</footer>
${page.script ? `<script>${assets.js}</script>\n` : ''}</body>
</html>
`;
}
