// For every entry, an observation that the procedure must classify by that entry, and the entry that must decide,
// both derived from the data alone: the oracle the tests check classify() against (the conformance vectors take
// their expected results from classify() itself, so they cannot serve as one), and the emulator's payloads.
import type { Contract, Entry } from '../../generated/types.js';

export interface EntryExample {
  entry: Entry;
  observation: unknown;
  /** The entry whose result the observation must produce (a deferring entry is decided by a fallback). */
  decidedBy: string;
  /** The outcome the result must have. */
  outcome: string;
}

/** A status string no contract will ever list. */
export const UNLISTED_VALUE = 'x-unlisted-value';

type Json = Record<string, unknown>;

/** Sets a value as an own data property (a key named `__proto__` stays a key). */
export function put(object: Json | unknown[], key: string | number, value: unknown): void {
  // Only `__proto__` needs defineProperty (an assignment would set the prototype); it is much slower than `=`.
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else (object as Record<string | number, unknown>)[key] = value;
}

/**
 * Writes `value` at a field path of the procedure (`a.b`, `a[].b`: `[]` reads every element of an array, so it
 * writes the first), creating the objects and arrays on the way.
 */
export function setAtPath(root: Json, path: string, value: unknown): void {
  const segments = path.split('.');
  let current: Json = root;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const each = segment.endsWith('[]');
    const key = each ? segment.slice(0, -2) : segment;
    if (each) {
      let array = Object.hasOwn(current, key) ? current[key] : undefined;
      if (!Array.isArray(array)) put(current, key, (array = []));
      const items = array as unknown[];
      if (last) {
        put(items, 0, value);
        return;
      }
      if (typeof items[0] !== 'object' || items[0] === null || Array.isArray(items[0])) put(items, 0, {});
      current = items[0] as Json;
      return;
    }
    if (last) {
      put(current, key, value);
      return;
    }
    let child = Object.hasOwn(current, key) ? current[key] : undefined;
    if (typeof child !== 'object' || child === null || Array.isArray(child)) put(current, key, (child = {}));
    current = child as Json;
  });
}

/** `setAtPath` on a fresh copy of `base` (`$` is the whole value). */
export function setPath(base: Json, path: string, value: unknown): Json {
  if (path === '$') return base;
  const root: Json = structuredClone(base);
  setAtPath(root, path, value);
  return root;
}

export function entryExamples(contract: Contract): EntryExample[] {
  const byId = new Map<string, Entry>(contract.entries.map((e) => [e.id, e]));
  const fields = contract.fields;
  const valueOf = (e: Entry) => (e.value === '*' ? UNLISTED_VALUE : e.value);
  const fallbackOf = (field: string) => byId.get(`${field}/*`);

  // The deferring entries (status or event) that consult each reason field, directly or through shares_values_with.
  const consulting = (field: string): Entry | undefined =>
    contract.entries.find((e) => (e.refined_by as string[] | undefined)?.includes(field)) ??
    contract.entries.find((e) => e.refined_by?.some((r) => fields[r]?.shares_values_with === field));

  const statusBody = (statusEntry: Entry): Json => {
    const field = fields[statusEntry.field]!;
    if (field.role === 'event') return { type: statusEntry.value };
    return setPath({ object: field.dispatch!.object }, field.path!, valueOf(statusEntry));
  };

  const examples: EntryExample[] = [];
  for (const entry of contract.entries) {
    const field = fields[entry.field]!;
    const value = valueOf(entry);
    switch (field.role) {
      case 'observation':
        examples.push({ entry, observation: 42, decidedBy: entry.id, outcome: entry.outcome! });
        break;
      case 'status': {
        const body = setPath({ object: field.dispatch!.object }, field.path!, value);
        if (entry.refined_by) {
          const decider = fallbackOf(entry.refined_by[0]!)!;
          examples.push({ entry, observation: body, decidedBy: decider.id, outcome: entry.outcome! });
        } else {
          examples.push({ entry, observation: body, decidedBy: entry.id, outcome: entry.outcome! });
        }
        break;
      }
      case 'count': {
        const status = contract.entries.find((e) => e.partial_failure === entry.field);
        if (!status) break;
        examples.push({ entry, observation: setPath(statusBody(status), field.path!, 3), decidedBy: entry.id, outcome: entry.outcome! });
        break;
      }
      case 'reason': {
        const status = consulting(entry.field);
        if (!status) break;
        // Through shares_values_with, the value is written where the consulting field reads it.
        const readingField = status.refined_by!.find((r) => r === entry.field || fields[r]?.shares_values_with === entry.field)!;
        const observation = setPath(statusBody(status), fields[readingField]!.path!, value);
        const decidedBy = entry.value === '*' && readingField !== entry.field ? fallbackOf(readingField)!.id : entry.id;
        examples.push({ entry, observation, decidedBy, outcome: status.outcome! });
        break;
      }
      case 'event': {
        if (entry.delegate) {
          const inner = contract.entries.find((e) => fields[e.field]?.dispatch?.object === entry.delegate && e.outcome === 'completed');
          if (!inner) break;
          examples.push({ entry, observation: { type: value, [entry.delegate]: statusBody(inner) }, decidedBy: inner.id, outcome: 'completed' });
        } else if (entry.refined_by) {
          const decider = fallbackOf(entry.refined_by[0]!)!;
          examples.push({ entry, observation: { type: value }, decidedBy: decider.id, outcome: entry.outcome! });
        } else {
          examples.push({ entry, observation: { type: value }, decidedBy: entry.id, outcome: entry.outcome ?? 'pending' });
        }
        break;
      }
      case 'http': {
        const status = entry.value === '>=500' ? 503 : entry.value === '*' ? 418 : Number(entry.value);
        examples.push({ entry, observation: { http_status: status, body: { error: { message: 'example', type: 'example', param: null, code: null } } }, decidedBy: entry.id, outcome: 'failed' });
        break;
      }
      case 'http_refinement': {
        if (entry.http_status === null || entry.http_status === undefined) break;
        examples.push({ entry, observation: { http_status: entry.http_status, body: { error: { message: 'example', type: 'example', param: null, code: entry.value } } }, decidedBy: entry.id, outcome: 'failed' });
        break;
      }
    }
  }
  return examples;
}
