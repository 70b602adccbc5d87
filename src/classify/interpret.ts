// The decision tables interpreted: the same steps as the code compile.ts renders, for a contract or profile whose
// rendering generated/classifier.ts does not hold (a contract passed at run time). No code is generated, at build
// time or at run time; the property tests check that both give the same result for every observation.
import type { Result } from '../../generated/types.js';
import { classifyHttp, interpretHttpFailure } from './http.js';
import { observeInterpreted } from './observation.js';
import {
  isErrorObject,
  isHttpStatus,
  CODE_STATUS_MAX,
  codeString,
  severityRanks,
  DELEGATE,
  PARTIAL,
  REFINE,
  RESULT,
  type BodyClassifier,
  type Classifiers,
  type Decision,
  type Refinement,
  type StatusTable,
  type Tables,
} from './decisions.js';

type Json = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every classifier of these tables, interpreted. */
export function interpret(tables: Tables): Classifiers {
  const keys = tables.bodyHintKeys;
  const { body, byObject } = interpreter(tables);
  return {
    observe: (observation) => observeInterpreted(tables, observation),
    body,
    byObject,
    httpFailure: interpretHttpFailure(tables),
    holdsBodyHintKey: (error) => keys.some((read) => read(error) !== undefined),
  };
}

export function interpretBody(tables: Tables): BodyClassifier {
  return interpreter(tables).body;
}

/** One status table interpreted (the `otherwise` field, read only on the invalid path). */
export function interpretStatus(tables: Tables): (table: StatusTable, b: Json, nested: boolean) => Result {
  return interpreter(tables).status;
}

function interpreter(tables: Tables): {
  body: BodyClassifier;
  byObject: (name: string, b: Json, n?: boolean) => Result;
  status: (table: StatusTable, b: Json, n: boolean) => Result;
} {
  const invalid = tables.invalid;
  // Message rules on a bare body's result (step 4): only a result of a kind some rule is for pays more than a lookup.
  const rules = tables.step6?.messageRules;
  const ruledKinds = tables.step6?.ruledKinds;
  const ruled = (m: Result, r: Refinement, b: Json): Result =>
    rules === undefined || r.message === undefined || m.kind === null || !ruledKinds!.has(m.kind)
      ? m
      : rules(m, r.message(b), true);
  // For `[]` status fields: each table's decisions in order (the fallback last), their index and settledness.
  const multi = new Map<
    StatusTable,
    { decisions: Decision[]; index: Map<string, number>; settled: boolean[]; rank: number[] }
  >();

  const decide = (d: Decision, b: Json, n: boolean): Result => {
    // yields_to: a listed stop reason beside a completed status decides (the first field, in order, that lists it).
    if ((d.type === RESULT || d.type === PARTIAL) && d.yields !== undefined)
      for (const y of d.yields) {
        const v = y.read(b);
        if (typeof v === 'string') {
          const m = y.results.get(v);
          if (m !== undefined) return m;
        }
      }
    switch (d.type) {
      case RESULT:
      case REFINE: {
        const e = d.envelope;
        if (e !== undefined && !n) {
          const s = e.status(b);
          if (isHttpStatus(s)) return classifyHttp(tables, s, e.headers ? e.headers(b) : undefined, e.body(b), true);
        }
        if (d.type === RESULT) return d.result;
        // Step 4: the first exact match decides; else the fallback of the first field holding a value, else of the
        // first. A result of a kind some message rule is for is given to the rules with the message beside the value.
        let f: Result | undefined;
        let fr: Refinement | undefined;
        for (const r of d.refinements) {
          const v = r.read(b);
          // An integer is an HTTP status sent as the code (integer_status) first, else its decimal string.
          if (r.byStatus && typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= CODE_STATUS_MAX) {
            const m = r.byStatus[v];
            if (m !== undefined) return ruled(m, r, b);
          }
          const s = codeString(v);
          if (s !== undefined) {
            const m = r.results.get(s);
            if (m !== undefined) {
              // A value whose entry names relayed_status: the status a relay wrote beside it, if any, decides.
              const relayed = r.relayed?.get(s)?.(b);
              return relayed !== undefined ? relayed : ruled(m, r, b);
            }
            if (f === undefined) {
              f = r.fallback;
              fr = r;
            }
          }
        }
        return f !== undefined ? ruled(f, fr!, b) : ruled(d.refinements[0]!.fallback, d.refinements[0]!, b);
      }
      case PARTIAL: {
        const partial = d.partial;
        if ('count' in partial) {
          const c = partial.count(b);
          return typeof c === 'number' && c > 0 ? partial.result : d.result;
        }
        const m = partial.firstListed(b);
        return m !== undefined ? m : d.result;
      }
      case DELEGATE: {
        // Step 5: one level deep, into an object the contract dispatches; without `object`, the entry's
        // delegate_object, else the key, names its kind.
        const inner = Object.hasOwn(b, d.key) ? b[d.key] : undefined;
        if (!isPlainObject(inner)) return d.own ?? invalid;
        const o = inner.object;
        if (o === undefined) return byObject(d.object, inner, n);
        return typeof o === 'string' ? byObject(o, inner, n) : invalid;
      }
    }
  };

  /** One value against a table's exact values, then its suffixes, then its fallback. */
  const byValue = (table: StatusTable, v: unknown, b: Json, n: boolean): Result => {
    if (typeof v === 'string') {
      const d = table.byValue.get(v);
      if (d !== undefined) return decide(d, b, n);
      for (const [suffix, s] of table.bySuffix) if (v.endsWith(suffix)) return decide(s, b, n);
    }
    return decide(table.fallback, b, n);
  };

  const status = (table: StatusTable, b: Json, n: boolean): Result => {
    const reported = table.reportedError;
    if (reported !== undefined && isErrorObject(b[reported.key])) return decide(reported.decision, b, n);
    if (!table.readAll) return byValue(table, table.read(b), b, n);
    // Several values (chat choices): of those whose decision settles the outcome, the most severe decides (the first
    // of equal rank), else the first value.
    let m = multi.get(table);
    if (!m) {
      const decisions = [...table.byValue.values(), table.fallback];
      m = {
        decisions,
        index: new Map([...table.byValue.keys()].map((v, i) => [v, i])),
        settled: decisions.map((d) => d.settled),
        rank: severityRanks([...table.byValue.keys()], table.severity),
      };
      multi.set(table, m);
    }
    const fallback = m.decisions.length - 1;
    const flagged = table.flagged;
    const read = table.readAll(b);
    // filter_results: a choice the content filter flags reads as its value too, ranked by severity with the others.
    const values = flagged !== undefined && flagged.test(b) ? [...read, flagged.value] : read;
    let first = -1;
    let worst = -1;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const found = typeof v === 'string' ? m.index.get(v) : undefined;
      const d = found === undefined ? fallback : found;
      if (m.settled[d]) {
        if (m.rank[d] === 0) return decide(m.decisions[d]!, b, n);
        if (worst < 0 || m.rank[d]! < m.rank[worst]!) worst = d;
      } else if (first < 0) first = d;
    }
    if (worst >= 0) return decide(m.decisions[worst]!, b, n);
    return decide(m.decisions[first < 0 ? fallback : first]!, b, n);
  };

  const byObject = (name: string, b: Json, n = false): Result => {
    const table = tables.statusByObject.get(name);
    return table ? status(table, b, n) : invalid;
  };

  const body = (b: Json, nested = false): Result => {
    const o = b.object;
    if (typeof o === 'string') return byObject(o, b, nested);
    if (o === undefined) {
      const v = b.type;
      // A provider's own typed answer (dispatch.type with a shape that reads a value) is no stream event.
      if (typeof v === 'string')
        for (const [type, readers, table] of tables.statusByType)
          if (v === type && readers.some((read) => read(b) !== undefined)) return status(table, b, nested);
      const event = tables.event;
      keyed: if (event) {
        if (typeof v === 'string') {
          const eo = event.errorObject;
          if (
            eo !== undefined &&
            eo.types.has(v) &&
            !event.byValue.has(v) &&
            !event.bySuffix.some(([suffix]) => v.endsWith(suffix))
          ) {
            // An error object on its own (error_object): its type is no event's, but an error type.
            if (typeof b.message === 'string') return byObject(eo.object, b, nested);
            // Such a type beside an error object (a client's copy of the SDK's error): a keyed body, not an event.
            if (isErrorObject(b.error)) break keyed;
          }
          return byValue(event, v, b, nested);
        }
      }
      // Bodies with neither `object` nor a string `type`: the first key-dispatched field whose key the body owns.
      for (const [key, table] of tables.statusByKey) if (Object.hasOwn(b, key)) return status(table, b, nested);
    }
    return invalid;
  };
  return { body, byObject, status };
}
