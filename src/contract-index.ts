// The lookups over one contract that several modules need (entries by id and by field, a field's fallback, the
// fields sharing a vocabulary, the entries that consult a reason field, the dispatched objects), built once per
// contract object and memoised: the one place that answers "which status entry reads this reason field". Profile-
// specific tables (classify/tables.ts) build their own views on top of the entries. No Node built-ins.
import type { Contract, Entry, Field, Profile } from '../generated/types.js';

/** A deferring entry and the reason field it reads: the field itself, or one that shares its vocabulary. */
interface Host {
  host: Entry;
  /** The field of the host's refined_by that is read (its path is where the reason stands). */
  via: string;
}

export interface ContractIndex {
  readonly contract: Contract;
  /** The entries that take part in classification (replaced ones left out), in contract order. */
  readonly live: readonly Entry[];
  /** An entry by id, replaced ones included. */
  entry(id: string): Entry | undefined;
  /** Every entry of a field, replaced ones included, in contract order. */
  entriesOf(field: string): readonly Entry[];
  /**
   * The entries a field matches, as classify() sees them: its own (replaced entries left out), then those of the
   * vocabulary it shares whose value it does not list itself.
   */
  matchedEntriesOf(field: string): readonly Entry[];
  /**
   * The first entry the field matches for a value it names (not its `*` fallback): the value a `listed_by` dispatch
   * needs to select a body by this reason field (step 2.7).
   */
  firstListedOf(field: string): Entry | undefined;
  /** Whether the field, or the vocabulary it shares, lists the value (replaced entries included). */
  lists(field: string, value: string): boolean;
  /** The field's `*` entry, when it has one that decides. */
  fallbackOf(field: string): Entry | undefined;
  /** The fields that look their values up in this one (their shares_values_with), in field order. */
  sharersOf(field: string): readonly string[];
  /** The live entries whose refined_by reads this reason field, directly or through a field that shares it. */
  hostsOf(field: string): readonly Host[];
  /** The live entries whose partial_failure is this field. */
  partialHostsOf(field: string): readonly Entry[];
  /** The ids of the fields of a role, in field order. */
  fieldsOfRole(role: Field['role']): readonly string[];
  /** The object names the contract dispatches on, each with its status field (dispatch.object). */
  readonly statusFieldByObject: ReadonlyMap<string, string>;
  /** The keys the contract dispatches bodies without `object` on (dispatch.key), in field order. */
  readonly dispatchedKeys: readonly string[];
  /** Event value -> the key of the object a delegating entry classifies (`response.failed` -> `response`). */
  readonly delegates: ReadonlyMap<string, string>;
  /**
   * The dispatched object a delegating entry's key holds: its `delegate_object`, else the object its `delegate`
   * names, else the longest object name that begins the entry's value (`thread.run.step` for
   * `thread.run.step.failed` under `data`).
   */
  delegatedObjectOf(entry: Entry): string | undefined;
}

/**
 * An entry that no longer decides: one deprecated in favour of an entry of the same value in another field (a code
 * moved into a shared vocabulary), which decides in its place through shares_values_with. An entry replaced by
 * another value (function_call by tool_calls) still classifies the value it names.
 */
export function isReplaced(entry: Entry): boolean {
  const by = entry.deprecated?.replaced_by;
  return by !== undefined && by.slice(by.indexOf('/') + 1) === entry.value;
}

export class UnknownProfileError extends RangeError {}

/** A profile by name: undefined for `default` (the contract as it is); throws UnknownProfileError for another name. */
export function profileOf(contract: Contract, name: string): Profile | undefined {
  if (name === 'default') return undefined;
  const profile = Object.hasOwn(contract.profiles, name) ? contract.profiles[name] : undefined;
  if (!profile)
    throw new UnknownProfileError(
      `unknown profile "${name}" (known: ${['default', ...Object.keys(contract.profiles)].join(', ')})`,
    );
  return profile;
}

/** A status string no contract will ever list. */
const UNLISTED_VALUE = 'x-unlisted-value';

/** A value the entry decides: its own, for a fallback one no entry lists, for a suffix (`*.failed`) one ending so. */
export function valueSelecting(entry: Entry): string {
  if (entry.value === '*') return UNLISTED_VALUE;
  return entry.value.startsWith('*') ? `${UNLISTED_VALUE}${entry.value.slice(1)}` : entry.value;
}

const indexes = new WeakMap<Contract, ContractIndex>();

/** The index of a contract, built on first use and kept as long as the contract object lives. */
/**
 * The least body its dispatch selects a status field for, before the value at its path is written: its `object`, an
 * own key (`{custom_id: {}}`), or its `type` (a typed answer's shape path is its field's path, which the value fills).
 */
export function dispatchingBody(field: Field): Record<string, unknown> {
  const d = field.dispatch;
  if (d?.object !== undefined) return { object: d.object };
  if (d?.key !== undefined) return { [d.key]: {} };
  if (d?.type !== undefined) return { type: d.type };
  return {};
}

export function contractIndex(contract: Contract): ContractIndex {
  let index = indexes.get(contract);
  if (!index) indexes.set(contract, (index = buildIndex(contract)));
  return index;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function buildIndex(contract: Contract): ContractIndex {
  const fields = contract.fields;
  const byId = new Map<string, Entry>();
  const byField = new Map<string, Entry[]>();
  const liveByField = new Map<string, Entry[]>();
  const live: Entry[] = [];
  const delegates = new Map<string, string>();
  for (const entry of contract.entries) {
    byId.set(entry.id, entry);
    push(byField, entry.field, entry);
    if (entry.delegate !== undefined) delegates.set(entry.value, entry.delegate);
    if (isReplaced(entry)) continue;
    live.push(entry);
    push(liveByField, entry.field, entry);
  }
  const sharers = new Map<string, string[]>();
  const byRole = new Map<string, string[]>();
  const statusFieldByObject = new Map<string, string>();
  const dispatchedKeys: string[] = [];
  for (const [id, field] of Object.entries(fields)) {
    push(byRole, field.role, id);
    if (field.shares_values_with !== undefined) push(sharers, field.shares_values_with, id);
    if (field.dispatch?.object !== undefined) statusFieldByObject.set(field.dispatch.object, id);
    for (const alias of field.dispatch?.object_aliases ?? []) statusFieldByObject.set(alias, id);
    if (field.dispatch?.key !== undefined) dispatchedKeys.push(field.dispatch.key);
  }
  const hosts = new Map<string, Host[]>();
  const partialHosts = new Map<string, Entry[]>();
  for (const host of live) {
    for (const via of host.refined_by ?? []) {
      push(hosts, via, { host, via });
      const shared = fields[via]?.shares_values_with;
      if (shared !== undefined && shared !== via) push(hosts, shared, { host, via });
    }
    if (host.partial_failure !== undefined) push(partialHosts, host.partial_failure, host);
  }
  const matched = new Map<string, Entry[]>();
  const objects = [...statusFieldByObject.keys()];
  const none: readonly never[] = [];
  const entriesOf = (field: string): readonly Entry[] => byField.get(field) ?? none;
  const has = (field: string, value: string): boolean => entriesOf(field).some((e) => e.value === value);

  const matchedEntriesOf = (field: string): readonly Entry[] => {
    let list = matched.get(field);
    if (!list) {
      const own = liveByField.get(field) ?? [];
      const shared = fields[field]?.shares_values_with;
      const listed = new Set(own.map((e) => e.value));
      list = shared ? [...own, ...(liveByField.get(shared) ?? []).filter((e) => !listed.has(e.value))] : own;
      matched.set(field, list);
    }
    return list;
  };

  return {
    contract,
    live,
    entry: (id) => byId.get(id),
    entriesOf,
    matchedEntriesOf,
    firstListedOf: (field) => matchedEntriesOf(field).find((e) => e.value !== '*'),
    lists(field, value) {
      const shared = fields[field]?.shares_values_with;
      return has(field, value) || (shared !== undefined && has(shared, value));
    },
    fallbackOf: (field) => (liveByField.get(field) ?? []).find((e) => e.value === '*'),
    sharersOf: (field) => sharers.get(field) ?? none,
    hostsOf: (field) => hosts.get(field) ?? none,
    partialHostsOf: (field) => partialHosts.get(field) ?? none,
    fieldsOfRole: (role) => byRole.get(role) ?? none,
    statusFieldByObject,
    dispatchedKeys,
    delegates,
    delegatedObjectOf(entry) {
      if (entry.delegate === undefined) return undefined;
      if (entry.delegate_object !== undefined) return entry.delegate_object;
      if (statusFieldByObject.has(entry.delegate)) return entry.delegate;
      return objects.filter((o) => entry.value.startsWith(`${o}.`)).sort((a, b) => b.length - a.length)[0];
    },
  };
}
