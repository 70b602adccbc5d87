// The observations that reach each entry of a contract, built from its fields alone: a status or event body of the
// entry's value, a reason written inside every status entry that consults it, an HTTP envelope of a status or code.
// Each is classified by the reference classify() and kept only when the result shows the entry took part. They are
// the conformance vectors (conformance/vectors.ts adds the expected results) and the arbitraries' mutation bases.
import type { Contract, Entry, Result } from '../../generated/types.js';
import { classifyWith, tablesFor } from '../classify/classify.js';
import { contractIndex, dispatchingBody, isReplaced, type ContractIndex } from '../contract-index.js';
import { put, setAtPath } from '../field-path.js';
import type { PlainObject as Json } from '../plain-object.js';

interface Derived {
  id: string;
  description: string;
  observation: unknown;
  /** Whether the result shows that the entry took part in the decision. */
  decides: (result: Result) => boolean;
}

class Deriver {
  private readonly index: ContractIndex;

  constructor(private readonly contract: Contract) {
    this.index = contractIndex(contract);
  }

  /** The entry's value; for a fallback, a string no entry of the field lists. */
  private value(entry: Entry): string {
    if (entry.value !== '*') return entry.value;
    let value = 'unlisted_value';
    while (this.index.lists(entry.field, value)) value += '_';
    return value;
  }

  /**
   * The inner object of a delegating entry: for a key that names no object (`data`), the dispatched object that
   * begins the entry's value (`thread.run.step` for `thread.run.step.failed`); its status is the one whose name
   * ends the value, else a pending one.
   */
  private inner(entry: Entry): Json {
    const eventValue = entry.value;
    const named = this.index.delegatedObjectOf(entry);
    const status = named === undefined ? undefined : this.index.statusFieldByObject.get(named);
    const inner: Json = { object: named ?? entry.delegate };
    if (!status) return inner;
    const entries = this.index.entriesOf(status).filter((e) => e.value !== '*');
    const suffix = eventValue.slice(eventValue.lastIndexOf('.') + 1);
    const chosen =
      entries.find((e) => e.value === suffix) ?? entries.find((e) => e.outcome === 'pending') ?? entries[0];
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
        const body: Json = dispatchingBody(field);
        const listedBy = field.dispatch?.listed_by;
        if (listedBy !== undefined) {
          // A flat envelope (listed_by) is selected only by a value its reason field lists: the first one it matches.
          const listed = this.index.firstListedOf(listedBy);
          if (listed === undefined) return undefined;
          setAtPath(body, this.contract.fields[listedBy]!.path!, listed.value);
        } else setAtPath(body, field.path!, this.value(entry));
        if (entry.delegate !== undefined) put(body, entry.delegate, this.inner(entry));
        return body;
      }
      case 'http': {
        const status = this.httpStatus(entry);
        return status === undefined
          ? undefined
          : { http_status: status, headers: {}, body: { error: { message: entry.summary, code: null } } };
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
      for (let s = from; s <= to; s++) if (!this.index.lists(entry.field, String(s))) return s;
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
    return this.index
      .sharersOf(entry.field)
      .filter((via) => this.contract.fields[via]!.role === 'http_refinement')
      .map((via) => {
        const error: Json = { message: entry.summary };
        setAtPath(error, this.contract.fields[via]!.path!, entry.value);
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
    if (field.role === 'vocabulary' && role === undefined)
      return [...this.derive({ ...entry, field: entry.field }, invalidEntry, 'reason'), ...this.httpRefinements(entry)];
    if (field.role === 'reason' || field.role === 'count' || field.role === 'items' || role === 'reason') {
      const hosts =
        field.role === 'reason' || role === 'reason'
          ? this.index.hostsOf(entry.field)
          : this.index.partialHostsOf(entry.field).map((host) => ({ host, via: entry.field }));
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

/** An observation that reaches its entry, with the reference result for it. */
interface ReachingObservation {
  /** The entry's id, with the host (`@host`) and the field read (`#field`) where it stands inside another. */
  id: string;
  description: string;
  observation: unknown;
  result: Result;
}

/** The observations that reach the entries (in entry order), and the ids of the entries none reaches. */
export function deriveObservations(contract: Contract): { reaching: ReachingObservation[]; unreached: string[] } {
  const tables = tablesFor({ contract });
  const deriver = new Deriver(contract);
  const invalidEntry = classifyWith(tables, null).entry;
  const reaching: ReachingObservation[] = [];
  const unreached: string[] = [];
  for (const entry of contract.entries) {
    // A replaced entry takes no part in classification: its replacement's observations stand for it.
    if (isReplaced(entry)) continue;
    let reached = false;
    for (const derived of deriver.derive(entry, invalidEntry)) {
      const result = classifyWith(tables, derived.observation);
      if (!derived.decides(result)) continue;
      reached = true;
      reaching.push({ id: derived.id, description: derived.description, observation: derived.observation, result });
    }
    if (!reached) unreached.push(entry.id);
  }
  return { reaching, unreached };
}
