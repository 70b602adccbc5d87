// Escaping for the site: every piece of data enters HTML through one of these, never by concatenation alone.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or as a quoted attribute value. */
export function esc(value: string | number | boolean): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A URL that may be followed from a link: http(s) and mailto only; anything else is shown as text. */
export function safeUrl(url: string): string | undefined {
  return /^(https?:\/\/|mailto:)/i.test(url.trim()) ? url.trim() : undefined;
}

/** A fragment link to an element id: percent-encodes only what a URL fragment cannot hold as is. */
export function fragment(id: string): string {
  return '#' + id.replace(/[^A-Za-z0-9._~!$&'()*+,;=:@/?-]/g, (c) => encodeURIComponent(c));
}

/** An outside link: no referrer, no access to this page. */
export function outsideLink(url: string, text: string): string {
  const href = safeUrl(url);
  return href ? `<a href="${esc(href)}" rel="noopener noreferrer external">${esc(text)}</a>` : esc(text);
}

/**
 * Data text (summaries, remedies, descriptions): plain text in which `code` spans are shown as code, as they are
 * written in spec/. Nothing else in it has meaning: no HTML, no links, no emphasis.
 */
export function dataText(text: string): string {
  const out: string[] = [];
  let rest = text;
  // Bounded: every round consumes at least one character of `rest`.
  while (rest.length > 0) {
    const open = /`+/.exec(rest);
    if (!open) {
      out.push(esc(rest));
      break;
    }
    const fence = open[0];
    const start = open.index + fence.length;
    const close = findRun(rest, fence.length, start);
    if (close < 0) {
      out.push(esc(rest.slice(0, start)));
      rest = rest.slice(start);
      continue;
    }
    out.push(esc(rest.slice(0, open.index)), `<code>${esc(trimCode(rest.slice(start, close)))}</code>`);
    rest = rest.slice(close + fence.length);
  }
  return out.join('');
}

/** The index of the next run of exactly `length` backticks at or after `from`, or -1. */
export function findRun(text: string, length: number, from: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  for (let m = runs.exec(text); m; m = runs.exec(text)) if (m[0].length === length) return m.index;
  return -1;
}

/** CommonMark: one space on each side of a code span is padding when both are there and the span is not all spaces. */
export function trimCode(code: string): string {
  const flat = code.replace(/\n/g, ' ');
  return flat.length >= 2 && flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== ''
    ? flat.slice(1, -1)
    : flat;
}
