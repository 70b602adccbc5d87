// A small Markdown-to-HTML renderer for the project's own documents (PROCEDURE.md, CHANGELOG.md, PROTOCOL.md, the
// pages under content/). It covers what those use: ATX headings, paragraphs, lists (nested by indentation), fenced
// code, block quotes, pipe tables, rules, code spans, emphasis, links. Raw HTML is never passed through: it is shown
// as text, and HTML comments are dropped. Every loop consumes at least one line or character, so it always ends.
import { esc, findRun, safeUrl, trimCode } from './html.js';

interface Heading {
  level: number;
  text: string;
  id: string;
}

interface MarkdownOptions {
  /** Maps a relative link target (e.g. `PROCEDURE.md`) to a page of the site; undefined shows the link as text. */
  link?: (href: string) => string | undefined;
}

interface Rendered {
  html: string;
  headings: Heading[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}((\*[ \t]*){3,}|(-[ \t]*){3,}|(_[ \t]*){3,})$/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^( *)([-*+]|\d{1,9}[.)])( +|$)(.*)$/;
const TABLE_DELIMITER = /^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$/;

/** Text of a heading -> an id: lower case, word characters, dots and dashes (`step-1-envelopes`). */
function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/<[^>]*>/g, '')
      .replace(/[^a-z0-9 _.-]/g, '')
      .trim()
      .replace(/\s+/g, '-') || 'section'
  );
}

class Renderer {
  readonly headings: Heading[] = [];
  private readonly ids = new Set<string>();

  constructor(private readonly options: MarkdownOptions) {}

  private uniqueId(text: string): string {
    const base = slug(text);
    let id = base;
    for (let n = 2; this.ids.has(id); n++) id = `${base}-${n}`;
    this.ids.add(id);
    return id;
  }

  blocks(lines: string[]): string {
    const out: string[] = [];
    let i = 0;
    while (i < lines.length) {
      const line = lines[i]!;
      if (line.trim() === '') {
        i++;
        continue;
      }
      const fence = FENCE.exec(line);
      if (fence) {
        const marker = fence[1]!;
        const code: string[] = [];
        i++;
        while (
          i < lines.length &&
          !new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`).test(lines[i]!)
        )
          code.push(lines[i++]!);
        i++; // the closing fence (or the end of the document)
        const lang = fence[2] ? ` class="language-${esc(fence[2])}"` : '';
        out.push(`<pre><code${lang}>${esc(code.join('\n'))}${code.length > 0 ? '\n' : ''}</code></pre>`);
        continue;
      }
      const heading = HEADING.exec(line);
      if (heading) {
        const level = heading[1]!.length;
        const text = heading[2] ?? '';
        const id = this.uniqueId(text);
        this.headings.push({ level, text, id });
        out.push(`<h${level} id="${esc(id)}">${this.inline(text)}</h${level}>`);
        i++;
        continue;
      }
      if (RULE.test(line)) {
        out.push('<hr>');
        i++;
        continue;
      }
      if (QUOTE.test(line)) {
        const quoted: string[] = [];
        while (i < lines.length && QUOTE.test(lines[i]!)) quoted.push(lines[i++]!.replace(QUOTE, ''));
        out.push(`<blockquote>\n${this.blocks(quoted)}\n</blockquote>`);
        continue;
      }
      if (line.trimStart().startsWith('<!--')) {
        // An HTML comment (a note to the document's editors) is dropped, through the line that closes it.
        while (i < lines.length && !lines[i]!.includes('-->')) i++;
        i++;
        continue;
      }
      if (isTableStart(lines, i)) {
        const rows: string[] = [line];
        const aligns = cells(lines[i + 1]!).map((c) =>
          c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : c.startsWith(':') ? 'left' : '',
        );
        i += 2;
        while (i < lines.length && lines[i]!.trim() !== '' && lines[i]!.includes('|')) rows.push(lines[i++]!);
        out.push(this.table(rows, aligns));
        continue;
      }
      if (ITEM.test(line)) {
        i = this.list(lines, i, out);
        continue;
      }
      const para: string[] = [];
      while (i < lines.length && lines[i]!.trim() !== '' && (para.length === 0 || !startsBlock(lines[i]!)))
        para.push(lines[i++]!.trim());
      out.push(`<p>${this.inline(para.join('\n'))}</p>`);
    }
    return out.join('\n');
  }

  private table(rows: string[], aligns: string[]): string {
    const row = (line: string, tag: 'th' | 'td') =>
      `<tr>${aligns.map((a, k) => `<${tag}${a ? ` class="align-${a}"` : ''}>${this.inline(cells(line)[k] ?? '')}</${tag}>`).join('')}</tr>`;
    const [head, ...body] = rows;
    return `<div class="table-wrap"><table>\n<thead>${row(head!, 'th')}</thead>\n<tbody>\n${body.map((r) => row(r, 'td')).join('\n')}\n</tbody>\n</table></div>`;
  }

  /** A list starting at line `start`; returns the index after it. */
  private list(lines: string[], start: number, out: string[]): number {
    const first = ITEM.exec(lines[start]!)!;
    const indent = first[1]!.length;
    const ordered = /\d/.test(first[2]!);
    const items: string[][] = [];
    let loose = false;
    let i = start;
    while (i < lines.length) {
      const m = ITEM.exec(lines[i]!);
      if (!m || m[1]!.length !== indent || /\d/.test(m[2]!) !== ordered) break;
      const contentIndent = indent + m[2]!.length + Math.max(1, Math.min(m[3]!.length, 4));
      const item = [m[4]!];
      i++;
      // Continuation: indented lines, lazy paragraph lines, and blank lines followed by indented content.
      while (i < lines.length) {
        const next = lines[i]!;
        if (next.trim() === '') {
          const after = lines.slice(i + 1).find((l) => l.trim() !== '');
          if (after !== undefined && leadingSpaces(after) >= contentIndent) {
            item.push('');
            i++;
            continue;
          }
          break;
        }
        if (leadingSpaces(next) >= contentIndent) item.push(next.slice(contentIndent));
        else if (!startsBlock(next) && item.at(-1)?.trim() !== '' && !ITEM.test(next)) item.push(next.trim());
        else break;
        i++;
      }
      if (item.includes('')) loose = true;
      items.push(item);
      // A blank line between items makes the list loose; it continues only with another item at this indent.
      if (i < lines.length && lines[i]!.trim() === '') {
        const j = lines.findIndex((l, k) => k > i && l.trim() !== '');
        const m2 = j > 0 ? ITEM.exec(lines[j]!) : null;
        if (m2 && m2[1]!.length === indent && /\d/.test(m2[2]!) === ordered) {
          loose = true;
          i = j;
        }
      }
    }
    const startAttr =
      ordered && Number.parseInt(first[2]!, 10) !== 1 ? ` start="${Number.parseInt(first[2]!, 10)}"` : '';
    const tag = ordered ? 'ol' : 'ul';
    const rendered = items.map((item) => {
      const html = this.blocks(item);
      // A tight list shows its paragraphs without <p>.
      return `<li>${loose ? html : html.replace(/^<p>([\s\S]*?)<\/p>/, '$1').replace(/\n<p>([\s\S]*?)<\/p>/g, '\n$1')}</li>`;
    });
    out.push(`<${tag}${startAttr}>\n${rendered.join('\n')}\n</${tag}>`);
    return i;
  }

  /** Inline Markdown: code spans, escapes, links, autolinks, then emphasis on the escaped remainder. */
  inline(text: string): string {
    const held: string[] = [];
    const hold = (html: string) => `\u0000${held.push(html) - 1}\u0000`;
    let src = text.replace(/\u0000/g, '\uFFFD');
    let out = '';
    // Bounded: each round consumes at least one character of `src`.
    while (src.length > 0) {
      const c = src[0]!;
      if (c === '`') {
        const run = /^`+/.exec(src)![0];
        const close = findRun(src, run.length, run.length);
        if (close >= 0) {
          out += hold(`<code>${esc(trimCode(src.slice(run.length, close)))}</code>`);
          src = src.slice(close + run.length);
        } else {
          out += run;
          src = src.slice(run.length);
        }
        continue;
      }
      if (c === '\\' && src.length > 1 && /[!-/:-@[-`{-~]/.test(src[1]!)) {
        out += hold(esc(src[1]!));
        src = src.slice(2);
        continue;
      }
      if (c === '<') {
        const auto = /^<(https?:\/\/[^\s<>]+)>/.exec(src);
        if (auto) {
          out += hold(`<a href="${esc(auto[1]!)}" rel="noopener noreferrer external">${esc(auto[1]!)}</a>`);
          src = src.slice(auto[0].length);
          continue;
        }
      }
      if (c === '[') {
        const link = this.link(src);
        if (link) {
          out += hold(link.html);
          src = src.slice(link.length);
          continue;
        }
      }
      out += c;
      src = src.slice(1);
    }
    let html = esc(out)
      .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[^*\w])\*(?=[^\s*])([^*]*?[^\s*])?\*(?![*\w])/g, (_, pre: string, body: string | undefined) =>
        body === undefined ? _ : `${pre}<em>${body}</em>`,
      )
      .replace(/(^|[^\w])_(?=[^\s_])([^_]*?[^\s_])?_(?!\w)/g, (_, pre: string, body: string | undefined) =>
        body === undefined ? _ : `${pre}<em>${body}</em>`,
      )
      .replace(/\n/g, ' ');
    // Held pieces may hold other held pieces (a code span in link text): restore until none is left.
    for (let round = 0; round < 4 && html.includes('\u0000'); round++)
      html = html.replace(/\u0000(\d+)\u0000/g, (_, n: string) => held[Number(n)]!);
    return html;
  }

  /** `[text](target)` at the start of `src`: the HTML and the number of characters it used. */
  private link(src: string): { html: string; length: number } | undefined {
    let depth = 0;
    let end = -1;
    for (let k = 0; k < src.length; k++) {
      const ch = src[k];
      if (ch === '\\') k++;
      else if (ch === '`') {
        const run = /^`+/.exec(src.slice(k))![0];
        const close = findRun(src, run.length, k + run.length);
        k = close >= 0 ? close + run.length - 1 : k + run.length - 1;
      } else if (ch === '[') depth++;
      else if (ch === ']' && --depth === 0) {
        end = k;
        break;
      }
    }
    if (end < 0 || src[end + 1] !== '(') return undefined;
    const target = /^\(\s*<?([^\s()<>]*)>?(?:\s+"[^"]*")?\s*\)/.exec(src.slice(end + 1));
    if (!target) return undefined;
    const label = this.inline(src.slice(1, end));
    const href = this.href(target[1]!);
    const external = safeUrl(target[1]!) !== undefined && !target[1]!.startsWith('mailto:');
    const html =
      href === undefined
        ? `<span class="unlinked">${label}</span>`
        : `<a href="${esc(href)}"${external ? ' rel="noopener noreferrer external"' : ''}>${label}</a>`;
    return { html, length: end + 1 + target[0].length };
  }

  private href(target: string): string | undefined {
    if (safeUrl(target)) return target;
    if (target.startsWith('#')) return target;
    // A relative target: only pages the site has are linked; a scheme (javascript:, data:, …) never is.
    if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(target)) return undefined;
    return this.options.link?.(target);
  }
}

function leadingSpaces(line: string): number {
  return /^ */.exec(line)![0].length;
}

function startsBlock(line: string): boolean {
  return (
    FENCE.test(line) ||
    HEADING.test(line) ||
    RULE.test(line) ||
    QUOTE.test(line) ||
    ITEM.test(line) ||
    line.trimStart().startsWith('<!--')
  );
}

/** The cells of a table row; `\|` is a pipe inside a cell (also inside code spans, as in GFM). */
function cells(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const out: string[] = [];
  let cell = '';
  for (let k = 0; k < row.length; k++) {
    if (row[k] === '\\' && row[k + 1] === '|') {
      // GFM: the escape belongs to the table, so a pipe inside a code span in a cell needs it too.
      cell += '|';
      k++;
    } else if (row[k] === '|') {
      out.push(cell.trim());
      cell = '';
    } else cell += row[k];
  }
  out.push(cell.trim());
  return out;
}

/** A header row followed by a delimiter row with as many cells. */
function isTableStart(lines: string[], i: number): boolean {
  const [head, delimiter] = [lines[i]!, lines[i + 1]];
  return (
    head.includes('|') &&
    delimiter !== undefined &&
    TABLE_DELIMITER.test(delimiter) &&
    cells(delimiter).length === cells(head).length
  );
}

export function renderMarkdown(source: string, options: MarkdownOptions = {}): Rendered {
  const renderer = new Renderer(options);
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  return { html: renderer.blocks(lines), headings: renderer.headings };
}

/** One line of inline Markdown (no blocks). */
export function renderInline(source: string, options: MarkdownOptions = {}): string {
  return new Renderer(options).inline(source);
}
