// A diff as text (for a terminal), JSON ({bump, changes}) or Markdown (for the changelog and pull requests).
import type { Change, DiffResult } from './change.js';
import { BUMPS, bumpVersion, type Bump } from './semver.js';

export type Format = 'text' | 'json' | 'markdown';
export const FORMATS: readonly Format[] = ['text', 'json', 'markdown'];

const NOUN: Record<string, string> = {
  meta: 'contract',
  kinds: 'kind',
  fields: 'field',
  profiles: 'profile',
  sources: 'source',
  entries: 'entry',
  schema: 'schema at',
};

const HEADING: Record<Exclude<Bump, 'none'>, string> = {
  major: 'Breaking changes (major)',
  minor: 'Additions and deprecations (minor)',
  patch: 'Wording and evidence (patch)',
};

/** Values longer than this are described, not shown, in Markdown: a changelog line stays one line. */
const SHOWN_IN_MARKDOWN = 80;

function show(value: unknown): string {
  return JSON.stringify(value) ?? 'nothing';
}

/** An inline code span that holds any text: the fence is longer than any run of backticks inside. */
function codeSpan(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

interface Style {
  name(text: string): string;
  value(value: unknown): string | undefined;
}

const TEXT_STYLE: Style = { name: (t) => t, value: show };
const MARKDOWN_STYLE: Style = {
  name: codeSpan,
  value: (v) => (show(v).length > SHOWN_IN_MARKDOWN ? undefined : codeSpan(show(v))),
};

function describe(c: Change, style: Style): string {
  const subject = `${NOUN[c.section] ?? c.section} ${c.id === '' ? '' : style.name(c.id)}`.trim();
  const property = c.property ? style.name(c.property) : '';
  const [old, next] = [
    c.old === undefined ? undefined : style.value(c.old),
    c.new === undefined ? undefined : style.value(c.new),
  ];
  let what: string;
  switch (c.change) {
    case 'added':
    case 'removed':
      what = c.change;
      break;
    case 'deprecated':
      what = `deprecated${isReplaced(c.new) ? ` (replaced by ${style.name(isReplaced(c.new)!)})` : ''}`;
      break;
    case 'undeprecated':
      what = 'no longer deprecated';
      break;
    case 'changed':
      if (c.old === undefined) what = `${property || 'value'} added${next ? `: ${next}` : ''}`;
      else if (c.new === undefined) what = `${property || 'value'} removed${old ? ` (was ${old})` : ''}`;
      else if (old && next) what = `${property || 'value'} changed from ${old} to ${next}`;
      else what = `${property || 'value'} edited`;
      break;
  }
  return `${subject}: ${what} (${c.why})`;
}

function isReplaced(value: unknown): string | undefined {
  const by = (value as { replaced_by?: unknown } | undefined)?.replaced_by;
  return typeof by === 'string' ? by : undefined;
}

/** What the versions say about the bump, when they are known: "1.0.0 -> 1.1.0 needs at least 2.0.0". */
function versionLine(result: DiffResult, from?: string, to?: string): string | undefined {
  if (!from || result.bump === 'none') return undefined;
  const least = bumpVersion(from, result.bump);
  return to
    ? `${from} -> ${to}; a ${result.bump} change needs at least ${least}`
    : `a ${result.bump} change after ${from} needs at least ${least}`;
}

function formatText(result: DiffResult, from?: string, to?: string): string {
  const lines = [`bump: ${result.bump}${versionLine(result, from, to) ? ` (${versionLine(result, from, to)})` : ''}`];
  if (result.changes.length === 0) lines.push('no changes');
  for (const c of result.changes) lines.push(`${c.bump.padEnd(5)}  ${describe(c, TEXT_STYLE)}`);
  return lines.join('\n') + '\n';
}

function formatJson(result: DiffResult): string {
  return JSON.stringify({ bump: result.bump, changes: result.changes }, null, 2) + '\n';
}

/** Markdown: the bump, then one list per level, most severe first. `level` is the heading level of the groups. */
export function formatMarkdown(
  result: DiffResult,
  options: { from?: string; to?: string; level?: number } = {},
): string {
  const hashes = '#'.repeat(options.level ?? 3);
  const version = versionLine(result, options.from, options.to);
  const out = [`**Required bump: ${result.bump}**${version ? ` (${version.replace('->', '→')})` : ''}`];
  if (result.changes.length === 0) out.push('', 'No changes.');
  for (const bump of [...BUMPS].reverse()) {
    if (bump === 'none') continue;
    const group = result.changes.filter((c) => c.bump === bump);
    if (group.length === 0) continue;
    out.push('', `${hashes} ${HEADING[bump]}`, '', ...group.map((c) => `- ${capitalise(describe(c, MARKDOWN_STYLE))}`));
  }
  return out.join('\n') + '\n';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function formatDiff(result: DiffResult, format: Format, from?: string, to?: string): string {
  if (format === 'json') return formatJson(result);
  if (format === 'markdown') return formatMarkdown(result, { from, to });
  return formatText(result, from, to);
}
