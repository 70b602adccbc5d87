// Two contract.json documents -> every change between them, entry by entry, each with the bump it requires.
import type { Change, ChangeType } from './change.js';
import { isPlainObject, jsonEqual, propertyPath } from './json.js';
import {
  DEMOTED,
  DEPRECATED,
  ITEM_ADDED,
  ITEM_REMOVED,
  PROMOTED,
  ruleFor,
  sdkRules,
  SINGLE_ITEM_SECTIONS,
  UNDEPRECATED,
  UNKNOWN_ADDED,
  UNKNOWN_CHANGED,
  type Rule,
} from './rules.js';
import { byCodeUnit } from '../json-text.js';
import type { ContractDocument } from './document.js';

/** The sections of contract.json in the order changes are listed; sections a later format adds follow, sorted. */
const SECTION_ORDER = [
  'meta',
  'sdks',
  'kinds',
  'fields',
  'profiles',
  'sources',
  'actions',
  'retry_policy',
  'hints',
  'message_rules',
  'entries',
];

/** Bookkeeping, not data: the version is what a diff computes, never an input to it. */
const IGNORED: Record<string, readonly string[]> = { meta: ['version'] };

function change(
  section: string,
  id: string,
  type: ChangeType,
  rule: Rule,
  property: readonly string[] | undefined,
  old: unknown,
  next: unknown,
): Change {
  // Built key by key so that the JSON output always lists the keys in this order.
  const c = { section, id, change: type } as Change;
  if (property && property.length > 0) c.property = propertyPath(property);
  if (old !== undefined) c.old = old;
  if (next !== undefined) c.new = next;
  c.bump = rule.bump;
  c.why = rule.why;
  return c;
}

/** Compares one item (an entry, a kind, …) property by property, descending into objects present on both sides. */
function diffItem(
  section: string,
  id: string,
  old: Record<string, unknown>,
  next: Record<string, unknown>,
  out: Change[],
  path: string[] = [],
  extra: readonly Rule[] = [],
): void {
  const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])].sort(byCodeUnit);
  for (const key of keys) {
    const here = [...path, key];
    if (path.length === 0 && IGNORED[section]?.includes(key)) continue;
    const [a, b] = [old[key], next[key]];
    if (section === 'entries' && path.length === 0 && key === 'deprecated' && (a === undefined) !== (b === undefined)) {
      out.push(
        change(
          section,
          id,
          a === undefined ? 'deprecated' : 'undeprecated',
          a === undefined ? DEPRECATED : UNDEPRECATED,
          undefined,
          a,
          b,
        ),
      );
      continue;
    }
    if (section === 'entries' && path.length === 0 && key === 'stability') {
      if ((a ?? 'experimental') !== (b ?? 'experimental'))
        out.push(change(section, id, 'changed', b === 'stable' ? PROMOTED : DEMOTED, here, a, b));
      continue;
    }
    if (isPlainObject(a) && isPlainObject(b)) {
      diffItem(section, id, a, b, out, here, extra);
      continue;
    }
    const rule = ruleFor(section, here, extra);
    if (jsonEqual(a, b, rule?.unordered)) continue;
    const applied =
      rule && a === undefined && rule.added
        ? { ...rule, ...rule.added }
        : rule?.appended && isAppended(a, b)
          ? { ...rule, ...rule.appended }
          : rule;
    out.push(
      change(section, id, 'changed', applied ?? (a === undefined ? UNKNOWN_ADDED : UNKNOWN_CHANGED), here, a, b),
    );
  }
}

/** Whether `next` is the array `old` with elements added at its end (and nothing else changed). */
function isAppended(old: unknown, next: unknown): boolean {
  return (
    Array.isArray(old) &&
    Array.isArray(next) &&
    next.length > old.length &&
    old.every((value: unknown, i) => jsonEqual(value, next[i]))
  );
}

function diffItems(
  section: string,
  old: Map<string, unknown>,
  next: Map<string, unknown>,
  out: Change[],
  extra: readonly Rule[],
): void {
  const ids = [...new Set([...old.keys(), ...next.keys()])].sort(byCodeUnit);
  for (const id of ids) {
    const [a, b] = [old.get(id), next.get(id)];
    if (a === undefined)
      out.push(change(section, id, 'added', ITEM_ADDED[section] ?? ITEM_ADDED.default!, undefined, undefined, b));
    else if (b === undefined)
      out.push(change(section, id, 'removed', ITEM_REMOVED[section] ?? ITEM_REMOVED.default!, undefined, a, undefined));
    else if (isPlainObject(a) && isPlainObject(b)) diffItem(section, id, a, b, out, [], extra);
    else if (!jsonEqual(a, b)) out.push(change(section, id, 'changed', UNKNOWN_CHANGED, undefined, a, b));
  }
}

/** An ordered view of a section as id -> item. */
function itemsOf(doc: ContractDocument, section: string): Map<string, unknown> | undefined {
  const value = doc[section];
  if (section === 'entries') return new Map(doc.entries.map((e) => [e.id, e]));
  if (SINGLE_ITEM_SECTIONS.includes(section)) return undefined;
  return isPlainObject(value) ? new Map(Object.entries(value)) : undefined;
}

export function diffContracts(old: ContractDocument, next: ContractDocument): Change[] {
  const out: Change[] = [];
  // The kinds' per-SDK rules come from the registries of both sides: an SDK dropped is still judged.
  const registry = (doc: ContractDocument) =>
    isPlainObject(doc.sdks) ? (doc.sdks as Record<string, { label?: unknown }>) : {};
  const kindRules = sdkRules({ ...registry(old), ...registry(next) });
  const extra = [...new Set([...Object.keys(old), ...Object.keys(next)])]
    .filter((s) => !SECTION_ORDER.includes(s))
    .sort(byCodeUnit);
  for (const section of [...SECTION_ORDER, ...extra]) {
    const [a, b] = [old[section], next[section]];
    if (SINGLE_ITEM_SECTIONS.includes(section) && isPlainObject(a) && isPlainObject(b)) {
      diffItem(section, '', a, b, out);
      continue;
    }
    const [itemsA, itemsB] = [itemsOf(old, section), itemsOf(next, section)];
    if (itemsA && itemsB) {
      diffItems(section, itemsA, itemsB, out, section === 'kinds' ? kindRules : []);
    } else if (a === undefined && b !== undefined) {
      out.push(change(section, '', 'added', ITEM_ADDED.default!, undefined, undefined, b));
    } else if (b === undefined && a !== undefined) {
      out.push(change(section, '', 'removed', ITEM_REMOVED.default!, undefined, a, undefined));
    } else if (!jsonEqual(a, b)) {
      out.push(change(section, '', 'changed', UNKNOWN_CHANGED, undefined, a, b));
    }
  }
  return out;
}
