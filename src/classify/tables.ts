// Decision tables compiled once per (contract, profile) from contract.json, so that classify() only reads the
// observation and follows pointers: every result it can return is built and frozen here, ahead of time.
import type { Contract, Entry, Outcome, Result } from '../../generated/types.js';
import { compileBodyClassifier, DELEGATE, PARTIAL, REFINE, RESULT, type BodyClassifier } from './compile.js';

/** Reads one value at a compiled path; `each` segments read the first non-null element of an array. */
export type Reader = (object: Record<string, unknown>) => unknown;

/** A reason field as consulted by one deferring entry: its results already carry that entry's outcome. */
export interface Refinement {
  read: Reader;
  results: Map<string, Result>;
  fallback: Result;
}

export type Decision =
  | { type: typeof RESULT; result: Result; settled: boolean }
  | { type: typeof REFINE; refinements: Refinement[]; settled: boolean }
  | { type: typeof PARTIAL; result: Result; readCount: Reader; partial: Result; settled: boolean }
  | { type: typeof DELEGATE; key: string; settled: false };

export interface StatusTable {
  read: Reader;
  /** For `[]` paths (chat choices): every value, in order. */
  readAll?: (object: Record<string, unknown>) => unknown[];
  byValue: Map<string, Decision>;
  fallback: Decision;
}

export interface HttpTable {
  /** Results by `status * 2 + retryable`, for the status entries. */
  byStatus: Result[];
  /** The kind each status raises (for refinements). */
  kindOf: (string | null)[];
  /** code -> refinement entry, checked against kindOf. */
  refinements: Map<string, { kind: string | null; entry: Entry; results: Map<number, Result> }>;
  entryOf: Entry[];
}

export interface Tables {
  contract: Contract;
  version: string;
  statusByObject: Map<string, StatusTable>;
  event?: StatusTable;
  http?: HttpTable;
  invalid: Result;
  /** Steps 2 to 5 for a body known to be a non-array object, compiled from these tables. */
  body: BodyClassifier;
  /** Builds (and memoises) the result of an entry under an outcome, status and retry decision. */
  resultFor(entry: Entry, outcome: Outcome, httpStatus?: number, retryable?: boolean): Result;
}

export class UnknownProfileError extends RangeError {}

const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Compiles a dotted path into a reader. Keys that are Object.prototype members are read as own keys only. */
export function compileReader(path: string): Reader {
  if (path === '$') return (o) => o;
  const steps = path.split('.').map((part) => {
    const each = part.endsWith('[]');
    const key = each ? part.slice(0, -2) : part;
    return { key, each, guarded: PROTOTYPE_KEYS.has(key) };
  });
  // Plain dotted paths (the common case) compile to named property loads, which V8 serves from its inline caches
  // faster than keyed loads with a variable key. Keys are identifiers (the authoring schema's path pattern).
  if (!steps.some((s) => s.each || s.guarded) && steps.every((s) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s.key))) {
    let body = 'let v = o;';
    // Same rule as the general reader below: only a non-array object has keys.
    for (const { key } of steps) body += ` if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined; v = v.${key};`;
    return new Function('o', `${body} return v;`) as Reader;
  }
  return (o) => {
    let value: unknown = o;
    for (const { key, each, guarded } of steps) {
      if (!isRecord(value) || Array.isArray(value)) return undefined;
      value = guarded && !Object.hasOwn(value, key) ? undefined : value[key];
      if (each) value = Array.isArray(value) ? value.find((v) => v !== undefined && v !== null) : undefined;
    }
    return value;
  };
}

function compileReadAll(path: string): ((o: Record<string, unknown>) => unknown[]) | undefined {
  const index = path.indexOf('[]');
  if (index < 0) return undefined;
  const head = compileReader(path.slice(0, index));
  const rest = path.slice(index + 2).replace(/^\./, '');
  const tail = rest === '' ? (v: Record<string, unknown>) => v : compileReader(rest);
  return (o) => {
    const list = head(o);
    if (!Array.isArray(list)) return [];
    const out: unknown[] = [];
    for (const item of list) if (isRecord(item) && !Array.isArray(item)) out.push(rest === '' ? item : tail(item));
    return out;
  };
}

export function buildTables(contract: Contract, profileName = 'default'): Tables {
  const profile = profileName === 'default' ? undefined : contract.profiles[profileName];
  if (profileName !== 'default' && !profile) {
    throw new UnknownProfileError(`unknown profile "${profileName}" (known: ${['default', ...Object.keys(contract.profiles)].join(', ')})`);
  }
  const excluded = new Set<string>(profile?.exclude_fields ?? []);
  const version = contract.meta.version;

  // Entries as this profile sees them.
  const entries = contract.entries.map((original): Entry => {
    const o = profile?.overrides[original.id];
    if (!o) return original;
    return { ...original, ...(o.kind !== undefined ? { kind: o.kind } : {}), ...(o.retryable !== undefined ? { retryable: o.retryable } : {}), ...(o.throttling !== undefined ? { throttling: o.throttling } : {}) };
  });
  const byField = new Map<string, { values: Map<string, Entry>; fallback?: Entry }>();
  for (const id of Object.keys(contract.fields)) byField.set(id, { values: new Map() });
  for (const e of entries) {
    const f = byField.get(e.field)!;
    if (e.value === '*') f.fallback = e;
    else f.values.set(e.value, e);
  }

  const sdk = new Map<string, Result['sdk']>();
  for (const [id, kind] of Object.entries(contract.kinds)) sdk.set(id, Object.freeze({ python: `openai.${kind.python.class}`, node: kind.node.class }));
  const memo = new Map<Entry, Map<string, Result>>();
  const resultFor = (entry: Entry, outcome: Outcome, httpStatus?: number, retryable?: boolean): Result => {
    let perEntry = memo.get(entry);
    if (!perEntry) memo.set(entry, (perEntry = new Map()));
    const status = httpStatus ?? entry.http_status ?? null;
    const retry = retryable ?? entry.retryable ?? false;
    const key = `${outcome}:${status}:${retry}`;
    let result = perEntry.get(key);
    if (!result) {
      const kind = entry.kind ?? null;
      result = Object.freeze({ outcome, kind, retryable: retry, throttling: entry.throttling ?? false, http_status: status, entry: entry.id, sdk: kind === null ? null : (sdk.get(kind) ?? null), contract_version: version });
      perEntry.set(key, result);
    }
    return result;
  };

  const observation = byField.get('observation')?.fallback;
  if (!observation) throw new Error('contract has no observation/* entry');
  const invalid = resultFor(observation, observation.outcome ?? 'invalid');

  const refinementsFor = (deferring: Entry): Refinement[] => {
    const outcome = deferring.outcome ?? 'failed';
    const fields = (deferring.refined_by ?? []).filter((f) => !excluded.has(f));
    return fields.map((fieldId) => {
      const field = contract.fields[fieldId]!;
      const own = byField.get(fieldId)!;
      const results = new Map<string, Result>();
      // Own values first; a shared vocabulary fills in only values this field does not list itself.
      if (field.shares_values_with) for (const [v, e] of byField.get(field.shares_values_with)!.values) results.set(v, resultFor(e, outcome));
      for (const [v, e] of own.values) results.set(v, resultFor(e, outcome));
      return { read: compileReader(field.path), results, fallback: own.fallback ? resultFor(own.fallback, outcome) : invalid };
    });
  };

  const decisionFor = (e: Entry): Decision => {
    if (e.delegate) return { type: DELEGATE, key: e.delegate, settled: false };
    if (e.refined_by) {
      const refinements = refinementsFor(e);
      if (refinements.length === 0) {
        // Every reason field is excluded by the profile: the first field's fallback still answers.
        const first = byField.get(e.refined_by[0]!)!.fallback;
        return { type: RESULT, result: first ? resultFor(first, e.outcome ?? 'failed') : invalid, settled: true };
      }
      // A failed or incomplete status settles the outcome of a multi-valued status (step 3) like any other failure.
      return { type: REFINE, refinements, settled: e.outcome !== 'completed' && e.outcome !== 'pending' };
    }
    const outcome = e.outcome ?? 'invalid';
    const settled = outcome !== 'completed' && outcome !== 'pending';
    const result = resultFor(e, outcome);
    if (e.partial_failure) {
      const count = contract.fields[e.partial_failure]!;
      const partial = byField.get(e.partial_failure)!.values.get('>0');
      if (partial) return { type: PARTIAL, result, readCount: compileReader(count.path), partial: resultFor(partial, partial.outcome ?? 'failed'), settled };
    }
    return { type: RESULT, result, settled };
  };

  const statusTable = (fieldId: string): StatusTable => {
    const field = contract.fields[fieldId]!;
    const own = byField.get(fieldId)!;
    const byValue = new Map<string, Decision>();
    for (const [v, e] of own.values) byValue.set(v, decisionFor(e));
    const fallback: Decision = own.fallback ? decisionFor(own.fallback) : { type: RESULT, result: invalid, settled: true };
    const readAll = compileReadAll(field.path);
    return { read: compileReader(field.path), ...(readAll ? { readAll } : {}), byValue, fallback };
  };

  const statusByObject = new Map<string, StatusTable>();
  let event: StatusTable | undefined;
  let http: HttpTable | undefined;
  for (const [id, field] of Object.entries(contract.fields)) {
    if (field.role === 'status' && field.dispatch) statusByObject.set(field.dispatch.object, statusTable(id));
    else if (field.role === 'event') event = statusTable(id);
    else if (field.role === 'http') {
      const own = byField.get(id)!;
      const byStatus: Result[] = [];
      const kindOf: (string | null)[] = [];
      const entryOf: Entry[] = [];
      for (let status = 100; status <= 599; status++) {
        const entry = own.values.get(String(status)) ?? (status >= 500 ? own.values.get('>=500') : undefined) ?? own.fallback;
        if (!entry) continue;
        entryOf[status] = entry;
        kindOf[status] = entry.kind ?? null;
        byStatus[status * 2] = resultFor(entry, 'failed', status, false);
        byStatus[status * 2 + 1] = resultFor(entry, 'failed', status, true);
      }
      http = { byStatus, kindOf, entryOf, refinements: new Map() };
    }
  }
  for (const [id, field] of Object.entries(contract.fields)) {
    if (field.role !== 'http_refinement' || !http || excluded.has(id)) continue;
    for (const [code, entry] of byField.get(id)!.values) http.refinements.set(code, { kind: entry.kind ?? null, entry, results: new Map() });
  }
  const tables = { contract, version, statusByObject, ...(event ? { event } : {}), ...(http ? { http } : {}), invalid, resultFor } as Tables;
  tables.body = compileBodyClassifier(tables);
  return tables;
}
