import { parseArgs } from 'node:util';
import type { Contract, Entry } from '../../../generated/types.js';
import { publishedContract } from '../../contract.js';
import { isReplaced } from '../../classify/tables.js';
import { classesText, sdkObject } from '../../sdks.js';
import { UsageError, type Command } from '../command.js';
import { writeOut } from '../io.js';
import { suggest } from '../suggest.js';
import { retryAdvice, styleFor, type Style } from '../text.js';

export interface Match {
  entry: Entry;
  /** For a vocabulary entry: the fields that read it (they share the vocabulary and list no entry of their own). */
  shared_by: string[];
  /** Fields that share the vocabulary but decide this value with their own entry. */
  overridden_by: string[];
  /** A deprecated alias of an entry of the same value: it takes no part in classification. */
  alias_of?: string;
  /** How each profile differs for this entry: excluded fields, overridden kind/retryable/throttling. */
  profiles: Record<string, { excluded_fields?: string[]; overrides?: Record<string, unknown> }>;
}

/** Every entry that ARG names: an entry id, or every entry whose value is ARG, across fields. */
export function explain(contract: Contract, arg: string): Match[] {
  const byId = contract.entries.find((e) => e.id === arg);
  // The entries that decide first, then the deprecated aliases that take no part.
  const entries = byId
    ? [byId]
    : [
        ...contract.entries.filter((e) => e.value === arg && !isReplaced(e)),
        ...contract.entries.filter((e) => e.value === arg && isReplaced(e)),
      ];
  return entries.map((entry) => {
    const field = contract.fields[entry.field]!;
    const sharing =
      field.role === 'vocabulary'
        ? Object.entries(contract.fields)
            .filter(([, f]) => f.shares_values_with === entry.field)
            .map(([id]) => id)
        : [];
    const own = (id: string) =>
      contract.entries.some((e) => e.field === id && e.value === entry.value && !isReplaced(e));
    const profiles: Match['profiles'] = {};
    for (const [name, p] of Object.entries(contract.profiles)) {
      const excluded = [entry.field, ...sharing].filter((f) => (p.exclude_fields as string[]).includes(f));
      const overrides = p.overrides[entry.id] as Record<string, unknown> | undefined;
      if (excluded.length || overrides)
        profiles[name] = {
          ...(excluded.length ? { excluded_fields: excluded } : {}),
          ...(overrides ? { overrides } : {}),
        };
    }
    return {
      entry,
      shared_by: sharing.filter((id) => !own(id)),
      overridden_by: sharing.filter(own),
      ...(isReplaced(entry) ? { alias_of: entry.deprecated!.replaced_by! } : {}),
      profiles,
    };
  });
}

function decision(entry: Entry): string {
  if (entry.refined_by) return `decided by ${entry.refined_by.join(', then ')}`;
  if (entry.delegate) return `classifies ${entry.delegate}`;
  if (!entry.kind) return entry.outcome ? `${entry.outcome}, no exception` : 'no exception';
  return `${entry.kind}${entry.http_status !== undefined && entry.http_status !== null ? ` (HTTP ${entry.http_status})` : ''}`;
}

function formatMatch(m: Match, contract: Contract, s: Style): string {
  const e = m.entry;
  const kind = e.kind ? contract.kinds[e.kind] : undefined;
  const stability = e.deprecated
    ? `deprecated (${e.deprecated.reason})${e.deprecated.replaced_by ? `, replaced by ${e.deprecated.replaced_by}` : ''}`
    : e.stability;
  const lines = [`${s.bold(e.id)}  ${s.dim(`[${contract.fields[e.field]!.role}, ${stability}, since ${e.since}]`)}`];
  if (m.alias_of) lines.push(`  alias:     takes no part in classification; ${m.alias_of} decides`);
  lines.push(`  decision:  ${decision(e)}${e.outcome ? `, outcome ${e.outcome}` : ''}`);
  if (kind) lines.push(`  raises:    ${classesText(contract, sdkObject(contract, kind))}`);
  if (e.retryable !== undefined) lines.push(`  retry:     ${retryAdvice(e.retryable, e.throttling ?? false)}`);
  lines.push(`  means:     ${e.summary}`);
  lines.push(`  remedy:    ${e.remedy}`);
  if (e.rationale) lines.push(`  rationale: ${e.rationale}`);
  if (m.shared_by.length) lines.push(`  read by:   ${m.shared_by.join(', ')}`);
  if (m.overridden_by.length) lines.push(`  own entry: ${m.overridden_by.join(', ')} (decide this value themselves)`);
  for (const [name, p] of Object.entries(m.profiles)) {
    const parts = [
      ...(p.excluded_fields ? [`not read in ${p.excluded_fields.join(', ')}`] : []),
      ...(p.overrides
        ? [
            `overrides ${Object.entries(p.overrides)
              .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
              .join(', ')}`,
          ]
        : []),
    ];
    lines.push(`  profile:   ${name}: ${parts.join('; ')}`);
  }
  if (e.sources.length)
    lines.push(s.dim(`  sources:   ${e.sources.map((id) => contract.sources[id]?.url ?? id).join(' ')}`));
  return lines.join('\n');
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'Explain a code or entry id: every entry it matches, across fields and profiles, with remedy and sources.',
  usage: `Usage: error-contract explain CODE|ENTRY_ID [--format text|json]

Looks CODE up in every field of the contract (e.g. insufficient_quota, server_error, content_filter, 429) or
shows one entry by its id (e.g. error.code/insufficient_quota): the decision (kind, SDK classes, retry), summary,
remedy, rationale and sources; for a shared vocabulary entry (error.code, error.type) the fields that read it and
those that decide the value themselves; for a deprecated alias, the entry that decides instead; and how each
profile differs.

  --format FORMAT  text (default) or json ({"query", "matches": [{"entry", "shared_by", "overridden_by",
                   "alias_of"?, "profiles"}]}).

Exit: 0 at least one entry matched; 1 none (the nearest values are suggested); 2 usage error.`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { format: { type: 'string', default: 'text' } },
    });
    if (positionals.length !== 1) throw new UsageError('explain takes one CODE or ENTRY_ID');
    if (values.format !== 'json' && values.format !== 'text')
      throw new UsageError(`unknown format "${values.format}" (text or json)`);
    const query = positionals[0]!;
    const contract = publishedContract();
    const matches = explain(contract, query);
    if (values.format === 'json') await writeOut(JSON.stringify({ query, matches }, null, 2) + '\n');
    if (matches.length === 0) {
      const near = suggest(query, [...contract.entries.map((e) => e.value), ...contract.entries.map((e) => e.id)], 5);
      process.stderr.write(
        `error-contract explain: no entry has the value or id "${query}"${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''}\n`,
      );
      return 1;
    }
    if (values.format === 'text') {
      const style = styleFor(process.stdout);
      const head = matches.length === 1 ? '' : `${matches.length} entries match "${query}":\n\n`;
      await writeOut(head + matches.map((m) => formatMatch(m, contract, style)).join('\n\n') + '\n');
    }
    return 0;
  },
};
