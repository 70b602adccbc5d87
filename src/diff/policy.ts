// The bump policy in words, derived from the rules (rules.ts) and the schema directions (schema-diff.ts): what
// `diff --help` prints and what the README's table says, so that neither can drift from what diff computes.
import {
  DEMOTED,
  DEPRECATED,
  ITEM_ADDED,
  ITEM_REMOVED,
  PROMOTED,
  RULES,
  UNDEPRECATED,
  UNKNOWN_ADDED,
  UNKNOWN_CHANGED,
  type Rule,
} from './rules.js';
import { SCHEMA_BUMP } from './schema-diff.js';
import type { Bump } from './semver.js';

type Level = Exclude<Bump, 'none'>;
const LEVELS: readonly Level[] = ['major', 'minor', 'patch'];

/** The item a section of contract.json lists, in the singular (the sections whose items are added and removed). */
const ITEM: Record<string, string> = {
  entries: 'entry',
  kinds: 'kind',
  fields: 'field',
  profiles: 'profile',
  sources: 'source',
};

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);

/** `a, b or c` */
function either(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** Every case of the policy, as phrases, by bump level (most severe first). */
export function bumpPolicy(): Record<Level, string[]> {
  const out: Record<Level, string[]> = { major: [], minor: [], patch: [] };
  const add = (rule: Rule, phrase: string) => out[rule.bump].push(phrase);
  // Whole items: the sections without a rule of their own share the default.
  for (const [table, verb] of [
    [ITEM_REMOVED, 'removed'],
    [ITEM_ADDED, 'added'],
  ] as const) {
    const byDefault = Object.keys(ITEM).filter((s) => !Object.hasOwn(table, s));
    add(table.default!, `${either(byDefault.map((s, i) => (i === 0 ? article(ITEM[s]!) : ITEM[s]!)))} ${verb}`);
    for (const section of Object.keys(table))
      if (section !== 'default') add(table[section]!, `${article(ITEM[section] ?? section)} ${verb}`);
  }
  // Properties of items, by section: the paths of each level (a `*` segment is any one key).
  for (const [section, rules] of Object.entries(RULES)) {
    const owner = section === 'meta' ? 'meta' : `${article(ITEM[section] ?? section)}'s`;
    for (const level of LEVELS) {
      const paths = rules.filter((r) => r.bump === level).map((r) => r.path.join('.'));
      if (paths.length === 0) continue;
      if (paths.length === 1 && paths[0] === '') out[level].push(`${article(ITEM[section] ?? section)} changed`);
      else out[level].push(`${owner} ${either(paths.map((p) => `\`${p}\``))} changed`);
    }
  }
  add(DEPRECATED, 'an entry deprecated');
  add(UNDEPRECATED, "an entry's deprecation withdrawn");
  add(PROMOTED, 'an entry made stable');
  add(DEMOTED, 'a stable entry made experimental');
  add(UNKNOWN_ADDED, 'a property no rule names added');
  add(UNKNOWN_CHANGED, 'a property no rule names changed or removed');
  out[SCHEMA_BUMP.stricter].push('a stricter published schema (a property newly required, an enum value dropped, …)');
  out[SCHEMA_BUMP.looser].push('a looser published schema');
  out[SCHEMA_BUMP.annotation].push("the published schema's annotations changed");
  return out;
}

/** The policy as a Markdown table (the README's). */
export function bumpPolicyMarkdown(): string {
  const policy = bumpPolicy();
  return [
    '| bump | when |',
    '|---|---|',
    ...LEVELS.map((level) => `| **${level}** | ${policy[level].join('; ')} |`),
  ].join('\n');
}

/** The policy as plain text wrapped to `width` columns, each level's cases under it (the help's). */
export function bumpPolicyText(indent = '  ', width = 116): string {
  const policy = bumpPolicy();
  const lines: string[] = [];
  for (const level of LEVELS) {
    let line = `${indent}${level.padEnd(6)} `;
    const hang = ' '.repeat(line.length);
    const words = policy[level].join('; ').replace(/`/g, '').split(' ');
    for (const word of words) {
      if (line.length + word.length + 1 > width && line.trim() !== level) {
        lines.push(line.trimEnd());
        line = hang;
      }
      line += `${word} `;
    }
    lines.push(line.trimEnd());
  }
  return lines.join('\n');
}
