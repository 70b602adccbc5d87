// The conformance vectors: at least one derived from every contract entry, plus the hand-written edge cases of
// conformance/edge-cases/. Every `expected` is the reference classify() of the contract being built.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Contract, Entry, Result } from '../../generated/types.js';
import { classifyWith, tablesFor } from '../classify/classify.js';
import { isReplaced } from '../classify/tables.js';
import { put, setAtPath } from '../classify/examples.js';
import { generatedDir, packageRoot } from '../paths.js';
import { SpecLoadError } from '../spec/load.js';
import { groupOf } from './groups.js';
import { describeErrors, GROUPS, validator, vectorSchemaId, type Group, type Level } from './schemas.js';

export interface Expected {
  outcome: Result['outcome'];
  kind: string | null;
  retryable: boolean;
  throttling: boolean;
  http_status: number | null;
  entry: string;
  retry_after_ms: number | null;
  action: string | null;
}

export interface Vector {
  id: string;
  description: string;
  group: Group;
  level: Level;
  observation: unknown;
  expected: Expected;
}

export interface VectorFile {
  $schema?: string;
  contract_version: string;
  group: Group;
  vectors: Vector[];
}

export const edgeCasesDir = join(packageRoot, 'conformance', 'edge-cases');
export const vectorsDir = join(generatedDir, 'vectors');

/** Raised for a hand-written edge case that is malformed or no longer says what the reference classifier does. */
export class EdgeCaseError extends SpecLoadError {}

type Json = Record<string, unknown>;

export function expectedOf(result: Result): Expected {
  return {
    outcome: result.outcome,
    kind: result.kind ?? null,
    retryable: result.retryable,
    throttling: result.throttling,
    http_status: result.http_status ?? null,
    entry: result.entry,
    retry_after_ms: result.retry_after_ms ?? null,
    action: result.action ?? null,
  };
}

interface Derived {
  id: string;
  description: string;
  observation: unknown;
  /** Whether the result shows that the entry took part in the decision. */
  decides: (result: Result) => boolean;
}

class Deriver {
  private readonly byField = new Map<string, Entry[]>();
  private readonly statusFieldOf = new Map<string, string>();

  constructor(private readonly contract: Contract) {
    for (const entry of contract.entries) {
      const list = this.byField.get(entry.field) ?? [];
      list.push(entry);
      this.byField.set(entry.field, list);
    }
    for (const [id, field] of Object.entries(contract.fields)) if (field.dispatch?.object !== undefined) this.statusFieldOf.set(field.dispatch.object, id);
  }

  private listed(fieldId: string, value: string): boolean {
    const shared = this.contract.fields[fieldId]?.shares_values_with;
    const has = (id: string) => (this.byField.get(id) ?? []).some((e) => e.value === value);
    return has(fieldId) || (shared !== undefined && has(shared));
  }

  /** The entry's value; for a fallback, a string no entry of the field lists. */
  private value(entry: Entry): string {
    if (entry.value !== '*') return entry.value;
    let value = 'unlisted_value';
    while (this.listed(entry.field, value)) value += '_';
    return value;
  }

  /** Entries whose refined_by reads this reason field, directly or through a field that shares its vocabulary. */
  private hostsOf(fieldId: string): { host: Entry; via: string }[] {
    const hosts: { host: Entry; via: string }[] = [];
    for (const host of this.contract.entries) {
      if (isReplaced(host)) continue;
      for (const via of host.refined_by ?? []) {
        if (via === fieldId || (this.contract.fields[via]?.shares_values_with === fieldId)) hosts.push({ host, via });
      }
    }
    return hosts;
  }

  /**
   * The inner object of a delegating entry: for a key that names no object (`data`), the dispatched object that
   * begins the entry's value (`thread.run.step` for `thread.run.step.failed`); its status is the one whose name
   * ends the value, else a pending one.
   */
  private inner(delegate: string, eventValue: string): Json {
    const named = this.statusFieldOf.has(delegate)
      ? delegate
      : [...this.statusFieldOf.keys()].filter((o) => eventValue.startsWith(`${o}.`)).sort((a, b) => b.length - a.length)[0];
    const status = named === undefined ? undefined : this.statusFieldOf.get(named);
    const inner: Json = { object: named ?? delegate };
    if (!status) return inner;
    const entries = (this.byField.get(status) ?? []).filter((e) => e.value !== '*');
    const suffix = eventValue.slice(eventValue.lastIndexOf('.') + 1);
    const chosen = entries.find((e) => e.value === suffix) ?? entries.find((e) => e.outcome === 'pending') ?? entries[0];
    if (chosen) setAtPath(inner, this.contract.fields[status]!.path!, chosen.value);
    return inner;
  }

  /** The observation that makes a status, event, http or observation entry decide; undefined for other roles. */
  base(entry: Entry): unknown {
    const field = this.contract.fields[entry.field]!;
    switch (field.role) {
      case 'observation':
        return null;
      case 'status':
      case 'event': {
        // A key-dispatched body owns its key; the value is then written at the path (which may be that key).
        const body: Json = field.dispatch?.object !== undefined ? { object: field.dispatch.object } : field.dispatch?.key !== undefined ? { [field.dispatch.key]: {} } : {};
        setAtPath(body, field.path!, this.value(entry));
        if (entry.delegate) put(body, entry.delegate, this.inner(entry.delegate, entry.value));
        return body;
      }
      case 'http': {
        const status = this.httpStatus(entry);
        return status === undefined ? undefined : { http_status: status, headers: {}, body: { error: { message: entry.summary, code: null } } };
      }
      case 'http_refinement': {
        const status = entry.http_status ?? (entry.kind ? this.contract.kinds[entry.kind]?.http_status : undefined);
        if (typeof status !== 'number' || entry.value === '*') return undefined;
        const envelope: Json = { http_status: status, headers: {}, body: {} };
        setAtPath(envelope.body as Json, field.path!, entry.value);
        setAtPath(envelope.body as Json, field.path!.replace(/[^.]+$/, 'message'), entry.summary);
        return envelope;
      }
      default:
        return undefined;
    }
  }

  private httpStatus(entry: Entry): number | undefined {
    if (/^[1-5][0-9][0-9]$/.test(entry.value)) return Number(entry.value);
    const firstUnlisted = (from: number, to: number) => {
      for (let s = from; s <= to; s++) if (!this.listed(entry.field, String(s))) return s;
      return undefined;
    };
    if (entry.value.startsWith('>=')) return firstUnlisted(Number(entry.value.slice(2)), 599);
    if (entry.value === '*') return firstUnlisted(400, 499);
    return undefined;
  }

  private countValue(value: string): number | undefined {
    const above = /^>([0-9]+)$/.exec(value);
    if (above) return Number(above[1]) + 1;
    return /^[0-9]+$/.test(value) ? Number(value) : undefined;
  }

  /** A vocabulary entry inside an HTTP error of its own kind, through every http_refinement field that shares it. */
  private httpRefinements(entry: Entry): Derived[] {
    const status = entry.http_status ?? (entry.kind ? this.contract.kinds[entry.kind]?.http_status : undefined);
    if (typeof status !== 'number') return [];
    return Object.entries(this.contract.fields)
      .filter(([, f]) => f.role === 'http_refinement' && f.shares_values_with === entry.field)
      .map(([via, f]) => {
        const error: Json = { message: entry.summary };
        setAtPath(error, f.path!, entry.value);
        return {
          id: `${entry.id}@http#${via}`,
          description: `${entry.id} in an HTTP ${status} error body as ${via}: ${entry.summary}`,
          observation: { http_status: status, headers: {}, body: { error } },
          decides: (result: Result) => result.entry === entry.id,
        };
      });
  }

  derive(entry: Entry, invalidEntry: string, role?: 'reason'): Derived[] {
    const field = this.contract.fields[entry.field]!;
    // An item status that settles nothing (completed, pending) leaves the decision to the completed status around it.
    const settlesNothing = field.role === 'items' && (entry.outcome === 'completed' || entry.outcome === 'pending');
    const decides = (result: Result): boolean => {
      if (settlesNothing) return result.outcome === 'completed' && result.entry !== invalidEntry;
      if (entry.refined_by) return result.outcome === (entry.outcome ?? 'failed') && result.entry !== invalidEntry;
      if (entry.delegate) return result.entry !== invalidEntry;
      return result.entry === entry.id;
    };
    if (field.role === 'vocabulary' && role === undefined) return [...this.derive({ ...entry, field: entry.field }, invalidEntry, 'reason'), ...this.httpRefinements(entry)];
    if (field.role === 'reason' || field.role === 'count' || field.role === 'items' || role === 'reason') {
      const hosts =
        field.role === 'reason' || role === 'reason'
          ? this.hostsOf(entry.field)
          : this.contract.entries.filter((e) => e.partial_failure === entry.field).map((host) => ({ host, via: entry.field }));
      const derived: Derived[] = [];
      for (const { host, via } of hosts) {
        const base = this.base(host);
        if (typeof base !== 'object' || base === null) continue;
        const value = field.role === 'count' ? this.countValue(entry.value) : this.value(entry);
        if (value === undefined) continue;
        setAtPath(base as Json, this.contract.fields[via]!.path!, value);
        // The id names the host, and the field read when it is not the entry's own (a field sharing its values).
        const through = via === entry.field ? '' : `#${via}`;
        derived.push({
          id: `${entry.id}@${host.id}${through}`,
          description: `${entry.id} inside ${host.id}${through ? ` as ${via}` : ''}: ${entry.summary}`,
          observation: base,
          decides,
        });
      }
      return derived;
    }
    const observation = this.base(entry);
    if (observation === undefined) return [];
    return [{ id: entry.id, description: `${entry.id}: ${entry.summary}`, observation, decides }];
  }
}

/** At least one vector per entry of the contract; throws when the data has an entry no observation reaches. */
export function deriveVectors(contract: Contract): Vector[] {
  const tables = tablesFor({ contract });
  const deriver = new Deriver(contract);
  const invalidEntry = classifyWith(tables, null).entry;
  const vectors: Vector[] = [];
  const unreached: string[] = [];
  for (const entry of contract.entries) {
    // A replaced entry takes no part in classification: its replacement's vectors stand for it.
    if (isReplaced(entry)) continue;
    let reached = false;
    for (const derived of deriver.derive(entry, invalidEntry)) {
      const result = classifyWith(tables, derived.observation);
      if (!derived.decides(result)) continue;
      reached = true;
      vectors.push({
        id: derived.id,
        description: derived.description,
        group: groupOf(contract, derived.observation),
        level: 'MUST',
        observation: derived.observation,
        expected: expectedOf(result),
      });
    }
    if (!reached) unreached.push(entry.id);
  }
  if (unreached.length > 0) {
    throw new EdgeCaseError(
      `no conformance vector can be derived for ${unreached.length} entr${unreached.length === 1 ? 'y' : 'ies'} (${unreached.join(', ')}): no observation built from the contract's fields reaches them; check their field's role, path and hosts (refined_by, partial_failure)`,
    );
  }
  return vectors;
}

interface EdgeCase {
  id: string;
  description: string;
  group: Group;
  level: Level;
  observation: unknown;
  expand?: { path: string; repeat?: string; times?: number; depth?: number; key?: string; leaf?: unknown };
  expect: Partial<Expected>;
}

function expandValue(expand: NonNullable<EdgeCase['expand']>): unknown {
  if (expand.repeat !== undefined) return expand.repeat.repeat(expand.times!);
  // Built from the inside out, iteratively: no recursion however deep.
  let value: unknown = expand.leaf ?? null;
  for (let i = 0; i < expand.depth!; i++) {
    if (expand.key === undefined) value = [value];
    else {
      const wrapper: Json = {};
      put(wrapper, expand.key, value);
      value = wrapper;
    }
  }
  return value;
}

/** The hand-written edge cases, checked and completed with the reference result; sorted by file name. */
export function edgeCaseVectors(contract: Contract, dir = edgeCasesDir): Vector[] {
  const tables = tablesFor({ contract });
  const validate = validator(`${vectorSchemaId}#/$defs/edgeCaseFile`);
  const problems: string[] = [];
  const vectors: Vector[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  for (const name of names) {
    const path = join(dir, name);
    let data: { cases: EdgeCase[] };
    try {
      data = JSON.parse(readFileSync(path, 'utf8')) as { cases: EdgeCase[] };
    } catch (error) {
      problems.push(`${path}: not JSON: ${(error as Error).message}`);
      continue;
    }
    if (!validate(data)) {
      problems.push(`${path}: ${describeErrors(validate.errors)}`);
      continue;
    }
    for (const c of data.cases) {
      const where = `${path}: ${c.id}`;
      if (!c.id.startsWith(`${c.group}:`)) problems.push(`${where}: the id must start with its group ("${c.group}:")`);
      let observation = c.observation;
      if (c.expand) {
        if (typeof observation !== 'object' || observation === null || Array.isArray(observation)) {
          problems.push(`${where}: expand needs an object observation`);
          continue;
        }
        observation = structuredClone(observation);
        setAtPath(observation as Json, c.expand.path, expandValue(c.expand));
      }
      const expected = expectedOf(classifyWith(tables, observation));
      const differs = Object.entries(c.expect).filter(([key, value]) => expected[key as keyof Expected] !== value);
      if (differs.length > 0) {
        const detail = differs.map(([key, value]) => `${key} ${JSON.stringify(value)} but the reference gives ${JSON.stringify(expected[key as keyof Expected])}`).join('; ');
        problems.push(`${where}: expects ${detail}`);
        continue;
      }
      vectors.push({ id: c.id, description: c.description, group: c.group, level: c.level, observation, expected });
    }
  }
  if (problems.length > 0) throw new EdgeCaseError(`conformance edge cases:\n  ${problems.join('\n  ')}`);
  return vectors;
}

/** generated/vectors/<group>.json for every group: the derived vectors first (in entry order), then the edge cases. */
export function renderVectorFiles(contract: Contract): Map<string, string> {
  const all = [...deriveVectors(contract), ...edgeCaseVectors(contract)];
  const ids = new Set<string>();
  const descriptions = new Set<string>();
  const duplicates: string[] = [];
  for (const v of all) {
    if (ids.has(v.id)) duplicates.push(`id ${v.id}`);
    if (descriptions.has(v.description)) duplicates.push(`description "${v.description}"`);
    ids.add(v.id);
    descriptions.add(v.description);
  }
  if (duplicates.length > 0) throw new EdgeCaseError(`conformance vectors are not unique: ${duplicates.join(', ')}`);
  const outputs = new Map<string, string>();
  for (const group of GROUPS) {
    // One vector a line: diffs stay per vector, and deeply nested observations stay compact.
    const lines = all.filter((v) => v.group === group).map((v) => JSON.stringify(v));
    const head = `{"$schema":"../../schemas/vector.schema.json","contract_version":${JSON.stringify(contract.meta.version)},"group":${JSON.stringify(group)},"vectors":[`;
    outputs.set(`vectors/${group}.json`, lines.length === 0 ? `${head}]}\n` : `${head}\n${lines.join(',\n')}\n]}\n`);
  }
  return outputs;
}

/** The published vectors of generated/vectors/, in group order. */
export function loadVectors(dir = vectorsDir): Vector[] {
  return GROUPS.flatMap((group) => {
    const file = JSON.parse(readFileSync(join(dir, `${group}.json`), 'utf8')) as VectorFile;
    return file.vectors;
  });
}
