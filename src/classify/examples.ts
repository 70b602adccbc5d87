// For every entry, an observation that the procedure must classify by that entry, and the entry that must decide,
// both derived from the data alone: the oracle the tests check classify() against (the conformance vectors take
// their expected results from classify() itself, so they cannot serve as one), and the emulator's payloads.
import type { Contract, Entry } from '../../generated/types.js';
import { isReplaced } from './tables.js';

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
  const live = contract.entries.filter((e) => !isReplaced(e));
  const byId = new Map<string, Entry>(live.map((e) => [e.id, e]));
  const fields = contract.fields;
  // A fallback gets a value no entry lists; a suffix entry (`*.failed`) one that ends with its suffix.
  const valueOf = (e: Entry) => (e.value === '*' ? UNLISTED_VALUE : e.value.startsWith('*') ? `${UNLISTED_VALUE}${e.value.slice(1)}` : e.value);
  const fallbackOf = (field: string) => byId.get(`${field}/*`);
  const settles = (outcome: string | undefined) => outcome !== 'completed' && outcome !== 'pending';

  /** A body that selects a status or event entry: its dispatch (object or key) and its value at the field's path. */
  const selecting = (statusEntry: Entry): Json => {
    const field = fields[statusEntry.field]!;
    const base: Json = field.dispatch?.object !== undefined ? { object: field.dispatch.object } : field.dispatch?.key !== undefined ? { [field.dispatch.key]: {} } : {};
    return setPath(base, field.path!, valueOf(statusEntry));
  };

  /** A completed object for a delegating entry: the dispatched object the key names, or that begins the value. */
  const innerFor = (entry: Entry): Entry | undefined => {
    const objects = Object.values(fields).flatMap((f) => (f.dispatch?.object !== undefined ? [f.dispatch.object] : []));
    const named = objects.includes(entry.delegate!) ? entry.delegate! : objects.filter((o) => entry.value.startsWith(`${o}.`)).sort((a, b) => b.length - a.length)[0];
    return live.find((e) => fields[e.field]?.dispatch?.object === named && e.outcome === 'completed');
  };

  /** The deferring entries that consult a field, directly or through a field that shares it, with the field read. */
  const hostsOf = (fieldId: string): { host: Entry; via: string }[] => {
    const out: { host: Entry; via: string }[] = [];
    for (const host of live) {
      for (const via of host.refined_by ?? []) {
        if (via !== fieldId && fields[via]?.shares_values_with !== fieldId) continue;
        out.push({ host, via });
      }
    }
    return out;
  };

  const examples: EntryExample[] = [];
  const reasonExample = (entry: Entry, host: Entry, via: string): EntryExample => {
    const observation = setPath(selecting(host), fields[via]!.path!, valueOf(entry));
    const decidedBy = entry.value === '*' ? fallbackOf(via)!.id : entry.id;
    return { entry, observation, decidedBy, outcome: entry.outcome ?? host.outcome! };
  };
  for (const entry of live) {
    const field = fields[entry.field]!;
    const value = valueOf(entry);
    switch (field.role) {
      case 'observation':
        examples.push({ entry, observation: 42, decidedBy: entry.id, outcome: entry.outcome! });
        break;
      case 'status':
      case 'event': {
        if (entry.refined_by) {
          const decider = fallbackOf(entry.refined_by[0]!)!;
          examples.push({ entry, observation: selecting(entry), decidedBy: decider.id, outcome: entry.outcome! });
        } else if (entry.delegate && entry.kind === undefined) {
          const inner = innerFor(entry);
          if (!inner) break;
          examples.push({ entry, observation: { ...selecting(entry), [entry.delegate]: selecting(inner) }, decidedBy: inner.id, outcome: 'completed' });
        } else {
          // A deciding entry (with a delegate, its own result answers when the key holds no object).
          examples.push({ entry, observation: selecting(entry), decidedBy: entry.id, outcome: entry.outcome ?? 'pending' });
        }
        break;
      }
      case 'count':
      case 'items': {
        const status = live.find((e) => e.partial_failure === entry.field);
        if (!status) break;
        const observation = setPath(selecting(status), field.path!, field.role === 'count' ? 3 : value);
        if (field.role === 'items' && !settles(entry.outcome)) examples.push({ entry, observation, decidedBy: status.id, outcome: status.outcome! });
        else examples.push({ entry, observation, decidedBy: entry.id, outcome: entry.outcome! });
        break;
      }
      case 'reason':
      case 'vocabulary': {
        // The first host through which this entry decides: a field that lists the value itself shadows a vocabulary.
        const host = hostsOf(entry.field).find(({ via }) => via === entry.field || !live.some((e) => e.field === via && e.value === entry.value));
        if (host) {
          examples.push(reasonExample(entry, host.host, host.via));
          break;
        }
        if (field.role === 'vocabulary' && typeof entry.http_status === 'number') {
          const error: Json = { message: 'example', type: 'example', param: null, code: null };
          const refinement = Object.entries(fields).find(([, f]) => f.role === 'http_refinement' && f.shares_values_with === entry.field);
          if (refinement) setAtPath(error, refinement[1].path!, entry.value);
          examples.push({ entry, observation: { http_status: entry.http_status, body: { error } }, decidedBy: entry.id, outcome: 'failed' });
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
