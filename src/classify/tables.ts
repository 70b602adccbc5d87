// Lookup tables built once per (contract, profile) so that classify() does no work that could be done earlier.
import type { Contract, Entry, Outcome, Result } from '../../generated/types.js';

type Segment = { key: string; each: boolean };

export interface FieldTable {
  id: string;
  /** Compiled `path`: keys read in order; `each` reads every element of an array. */
  path: Segment[];
  /** value -> entry; a Map, so `__proto__` or `constructor` are values like any other. */
  byValue: Map<string, Entry>;
  shared?: FieldTable;
  fallback?: Entry;
  excluded: boolean;
}

export interface Tables {
  contract: Contract;
  version: string;
  fields: Map<string, FieldTable>;
  /** object name -> its status field */
  statusByObject: Map<string, FieldTable>;
  event?: FieldTable;
  http?: FieldTable;
  httpRefinement?: FieldTable;
  invalid: Result;
  /** Memoised frozen results: one per (entry, outcome) and per (entry, status, retryable). */
  results: Map<Entry, Map<string, Result>>;
  sdk: Map<string, Result['sdk']>;
}

function compilePath(path: string): Segment[] {
  if (path === '$') return [];
  return path.split('.').map((part) => (part.endsWith('[]') ? { key: part.slice(0, -2), each: true } : { key: part, each: false }));
}

export class UnknownProfileError extends RangeError {}

export function buildTables(contract: Contract, profileName = 'default'): Tables {
  const profile = profileName === 'default' ? undefined : contract.profiles[profileName];
  if (profileName !== 'default' && !profile) {
    throw new UnknownProfileError(`unknown profile "${profileName}" (known: ${['default', ...Object.keys(contract.profiles)].join(', ')})`);
  }
  const excluded = new Set<string>(profile?.exclude_fields ?? []);
  const fields = new Map<string, FieldTable>();
  for (const [id, field] of Object.entries(contract.fields)) {
    fields.set(id, { id, path: compilePath(field.path), byValue: new Map(), excluded: excluded.has(id) });
  }
  for (const original of contract.entries) {
    const override = profile?.overrides[original.id];
    const entry: Entry = override
      ? Object.freeze({ ...original, ...(override.kind !== undefined ? { kind: override.kind } : {}), ...(override.retryable !== undefined ? { retryable: override.retryable } : {}), ...(override.throttling !== undefined ? { throttling: override.throttling } : {}) })
      : original;
    const table = fields.get(entry.field)!;
    if (entry.value === '*') table.fallback = entry;
    else table.byValue.set(entry.value, entry);
  }
  const statusByObject = new Map<string, FieldTable>();
  let event: FieldTable | undefined, http: FieldTable | undefined, httpRefinement: FieldTable | undefined;
  for (const [id, field] of Object.entries(contract.fields)) {
    const table = fields.get(id)!;
    if (field.shares_values_with) table.shared = fields.get(field.shares_values_with);
    if (field.role === 'status' && field.dispatch) statusByObject.set(field.dispatch.object, table);
    else if (field.role === 'event') event = table;
    else if (field.role === 'http') http = table;
    else if (field.role === 'http_refinement') httpRefinement = table;
  }
  const sdk = new Map<string, Result['sdk']>();
  for (const [id, kind] of Object.entries(contract.kinds)) {
    sdk.set(id, Object.freeze({ python: `openai.${kind.python.class}`, node: kind.node.class }));
  }
  const tables: Tables = {
    contract,
    version: contract.meta.version,
    fields,
    statusByObject,
    event,
    http,
    httpRefinement,
    invalid: undefined as unknown as Result,
    results: new Map(),
    sdk,
  };
  const invalidEntry = fields.get('observation')?.fallback;
  if (!invalidEntry) throw new Error('contract has no observation/* entry');
  tables.invalid = resultFor(tables, invalidEntry, invalidEntry.outcome ?? 'invalid');
  return tables;
}

/** The frozen result of a deciding entry under an outcome (and, for HTTP, the observed status). */
export function resultFor(tables: Tables, entry: Entry, outcome: Outcome, httpStatus?: number, retryable?: boolean): Result {
  let perEntry = tables.results.get(entry);
  if (!perEntry) tables.results.set(entry, (perEntry = new Map()));
  const status = httpStatus ?? entry.http_status ?? null;
  const retry = retryable ?? entry.retryable ?? false;
  const key = `${outcome}:${status}:${retry}`;
  let result = perEntry.get(key);
  if (!result) {
    const kind = entry.kind ?? null;
    result = Object.freeze({
      outcome,
      kind,
      retryable: retry,
      throttling: entry.throttling ?? false,
      http_status: status,
      entry: entry.id,
      sdk: kind === null ? null : (tables.sdk.get(kind) ?? null),
      contract_version: tables.version,
    });
    perEntry.set(key, result);
  }
  return result;
}
