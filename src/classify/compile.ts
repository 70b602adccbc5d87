// The decision tables of one (contract, profile) as JavaScript functions: the whole procedure from the observation
// down (observe: an envelope or a bare body), the body classifier (a switch on `object`, a switch on each status
// value, one small function per refinement), step 1 for a status outside 2xx, and step 6's fast exit for an
// envelope (the error object step 1 read, tested inline for a body hint's key and a text hint's phrase; hints.ts
// runs only when a header or the error object may give a delay). Every reader and result is a constant of the code
// and every call has a call site of its own, so the engine inlines them as it would a hand-written switch; an
// interpreter of the tables funnels all of them through one megamorphic call site (reader closures that every path
// shares: one keyed-load site that sees every key, where a missing key costs a walk of the prototypes).
//
// Nothing here generates code at run time (no eval, no new Function: Workers, edge runtimes and pages with a strict
// CSP forbid both). `npm run generate` writes the code for the published contract's profiles into
// generated/classifier.ts; at run time the same code is rendered again (string work only) and, when its hash is one
// generated/ holds, those functions are linked to this run's constants. Any other contract or profile (one passed at
// run time, or a stale generated/) gets the table interpreter (interpret.ts), which gives the same results.
// Only string literals produced by JSON.stringify and names of constants enter the generated code.
import type { Result } from '../../generated/types.js';
import { compiled } from '../../generated/classifier.js';
import { classifyHttp, refinedResult, shouldRetryHeader } from './http.js';
import { ruleMayApply, type MessageScreen } from './hints.js';
import { interpret } from './interpret.js';
import { classifyEnvelope } from './observation.js';
import {
  isErrorObject,
  CODE_STATUS_MAX,
  codeString,
  severityRanks,
  DELEGATE,
  HTTP_STATUS_MAX,
  PARTIAL,
  REFINE,
  RESULT,
  type Classifiers,
  type Decision,
  type EnvelopeReaders,
  type FirstListed,
  type Refinement,
  type HttpRefinement,
  type RefiningEntry,
  type StatusTable,
  type Tables,
  type Yield,
} from './decisions.js';

/** The `object` compared first when a body is dispatched (see the object cases below). */
const COMMONEST_OBJECT = 'response';

class Program {
  private readonly constants: unknown[] = [];
  private readonly names = new Map<unknown, string>();
  private readonly functions: string[] = [];
  private counter = 0;

  /** A name in the generated code bound to `value` (the same value always gets the same name). */
  constant(value: unknown): string {
    let name = this.names.get(value);
    if (name === undefined) {
      name = `k${this.constants.length}`;
      this.constants.push(value);
      this.names.set(value, name);
    }
    return name;
  }

  fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  define(source: string): void {
    this.functions.push(source);
  }

  /** The body of `function (K) { … }`, which returns the function named `entry` given the constants as K. */
  finish(entry: string): Rendered {
    const prelude = this.constants.map((_, i) => `const k${i} = K[${i}];`).join('\n');
    const source = `'use strict';\n${prelude}\n${this.functions.join('\n')}\nreturn ${entry};`;
    return { source, constants: this.constants, hash: hashSource(source) };
  }
}

export interface Rendered {
  source: string;
  constants: unknown[];
  hash: string;
}

/** cyrb53 of the source, as 14 hex digits: names a rendering in generated/classifier.ts. */
function hashSource(text: string): string {
  let h1 = 0xdeadbeef ^ text.length,
    h2 = 0x41c6ce57 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/**
 * The classifiers for these tables: the generated functions when generated/ holds this very rendering, else the
 * table interpreter. Never generates code at run time.
 */
export function compileClassifiers(tables: Tables): Classifiers {
  const rendered = renderClassifiers(tables);
  const link = linkFor(rendered.hash);
  return link ? link(rendered.constants) : interpret(tables);
}

/** The generated functions of a rendering, if generated/classifier.ts holds it. */
export function linkFor(hash: string): ((K: unknown[]) => Classifiers) | undefined {
  return Object.hasOwn(compiled, hash) ? (compiled[hash] as (K: unknown[]) => Classifiers) : undefined;
}

const keyedTables = new WeakMap<Map<string, unknown>, Record<string, unknown>>();

/**
 * A reason field's results (a failed object's error code, an incomplete one's reason) as the own properties of an
 * object without a prototype, read with a keyed load (`table[v]`): such a value is nearly always one the field
 * lists, and a keyed load that finds its key (V8's inline caches, the key internalized) costs less than Map#get,
 * which hashes and compares strings in a call. A key it does not find costs more, so the tables where a miss is
 * common are not keyed loads: step 1's (an HTTP body's code and type, which mostly refine nothing) are string
 * switches (stringSwitch), and a Response's output items (mostly not failures) stay a Map. Without a prototype
 * every string is an own key or nothing (`__proto__`, `constructor` and `toString` included), as in the Map. One
 * table per Map.
 */
function byKey(map: Map<string, unknown>): Record<string, unknown> {
  let table = keyedTables.get(map);
  if (table === undefined) {
    table = Object.create(null) as Record<string, unknown>;
    for (const [key, value] of map) table[key] = value;
    keyedTables.set(map, table);
  }
  return table;
}

/**
 * Statements that, for the string in the variable `v`, run the code of the key equal to it (code that returns or
 * breaks out), and fall through when no key equals it: a switch on the length, then on the character that best
 * splits what is left, down to at most two keys compared whole. A string no key has costs a load of its length and
 * a jump or two, where Map#get hashes it and probes in a call and a plain `switch (v)` compares it with every case.
 */
function stringSwitch(v: string, keys: [string, string][]): string {
  type Case = [string, string];
  const leaf = (group: Case[]): string =>
    group.map(([key, code]) => `if (${v} === ${JSON.stringify(key)}) { ${code} }`).join(' ');
  const split = (group: Case[], length: number): string => {
    if (group.length <= 2) return leaf(group);
    // The position whose characters leave the smallest largest group.
    let best = -1;
    let bestLargest = Infinity;
    for (let i = 0; i < length; i++) {
      const largest = Math.max(...[...groupBy(group, ([key]) => key.charCodeAt(i)).values()].map((g) => g.length));
      if (largest < bestLargest) [best, bestLargest] = [i, largest];
    }
    if (bestLargest === group.length) return leaf(group);
    const cases = [...groupBy(group, ([key]) => key.charCodeAt(best))]
      .sort(([a], [b]) => a - b)
      .map(([code, sub]) => `case ${code}: ${split(sub, length)} break;`);
    return `switch (${v}.charCodeAt(${best})) { ${cases.join(' ')} }`;
  };
  const cases = [...groupBy(keys, ([key]) => key.length)]
    .sort(([a], [b]) => a - b)
    .map(([length, group]) => `    case ${length}: ${split(group, length)} break;`);
  return cases.length === 0 ? '{}' : `switch (${v}.length) {\n${cases.join('\n')}\n  }`;
}

/** The items by their key, each group in the items' order, the groups in the order their keys first occur. */
function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

function isPlainObject(expr: string): string {
  return `(typeof ${expr} === 'object' && ${expr} !== null && !Array.isArray(${expr}))`;
}

/** The code of the classifiers for these tables, and the constants it is linked to. */
export function renderClassifiers(tables: Tables): Rendered {
  const p = new Program();
  const invalid = p.constant(tables.invalid);
  const statusFunctions = new Map<StatusTable, string>();
  const delegateFunctions = new Map<string, string>();
  // Step 1 for the HTTP response an envelope entry stands for, one level deep.
  // A plain dotted path's reader is rendered as code of its own (named property loads, which V8's inline caches
  // serve fastest); any other reader is called as a constant. Same reads, same results. Every reader is called with
  // a value already known to be a non-array object (a body, an error object, an item), so only the values below it
  // are checked.
  const readerNames = new Map<unknown, string>();
  const read = (reader: unknown): string => {
    const keys = (reader as { keys?: string[] }).keys;
    if (keys === undefined) return p.constant(reader);
    let name = readerNames.get(reader);
    if (name === undefined) {
      name = p.fresh('read');
      readerNames.set(reader, name);
      const [first, ...rest] = keys as [string, ...string[]];
      let body = `let v = o.${first};`;
      for (const key of rest)
        body += ` if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined; v = v.${key};`;
      p.define(`function ${name}(o) { ${body} return v; }`);
    }
    return name;
  };
  // A code read as a number: its decimal string (decisions.ts), off the hot path of a string code.
  const codeText = p.constant(codeString);
  const nestedHttp = p.constant((status: number, headers: unknown, body: unknown) =>
    classifyHttp(tables, status, headers, body, true),
  );

  // An envelope entry: when its status path holds an HTTP status, the response it records decides.
  const envelopeCode = (e: EnvelopeReaders | undefined): string =>
    e === undefined
      ? ''
      : `if (!n) { const s = ${read(e.status)}(b); if (typeof s === 'number' && Number.isInteger(s) && s >= 100 && s <= ${HTTP_STATUS_MAX}) return ${nestedHttp}(s, ${e.headers ? `${read(e.headers)}(b)` : 'undefined'}, ${read(e.body)}(b)); } `;

  // An items path (`output[].status`): the result of the first object element whose value is listed, if any.
  const listedFunctions = new Map<FirstListed, string>();
  const firstListedFunction = (f: FirstListed): string => {
    let name = listedFunctions.get(f);
    if (name !== undefined) return name;
    name = p.fresh('listed');
    listedFunctions.set(f, name);
    p.define(`function ${name}(b) {
  const list = ${read(f.items)}(b);
  if (!Array.isArray(list)) return undefined;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!${isPlainObject('item')}) continue;
    const v = ${read(f.value)}(item);
    if (typeof v === 'string') { const m = ${p.constant(f.results)}.get(v); if (m !== undefined) return m; }
  }
  return undefined;
}`);
    return name;
  };

  // yields_to: each yielded reason field in turn, a listed value's result deciding (plain named reads).
  const yieldsCode = (yields: Yield[] | undefined): string =>
    yields === undefined
      ? ''
      : yields
          .map(
            (y) =>
              `{ const y = ${read(y.read)}(b); if (typeof y === 'string') { const m = ${p.constant(byKey(y.results))}[y]; if (m !== undefined) return m; } } `,
          )
          .join('');

  // The message rules, for a bare body's refinements (step 4) and an envelope's result (step 6).
  const rules = tables.step6?.messageRules === undefined ? undefined : p.constant(tables.step6.messageRules);
  const ruledKinds: ReadonlySet<string> = tables.step6?.ruledKinds ?? new Set();
  // Whether a rule's kinds and scope admit a result: only such results are handed to the rules.
  const mayRule = ruleMayApply(tables.contract);
  // Whether message `m` passes screen `q` (hints.ts): else no rule reads it.
  const screened = (q: string, m: string): string =>
    `typeof ${m} === 'string' && ${m}.length >= ${q}.shortest && ${q}.pattern.test(${m})`;
  const screens = tables.step6?.messageScreens ?? new Map<string, MessageScreen>();

  // `return …;` for one decision, with the object in `b` and the nesting flag in `n`.
  const decisionCode = (d: Decision): string => {
    switch (d.type) {
      case RESULT:
        return `${yieldsCode(d.yields)}${envelopeCode(d.envelope)}return ${p.constant(d.result)};`;
      case PARTIAL: {
        const partial = d.partial;
        if ('count' in partial)
          return `{ ${yieldsCode(d.yields)}const c = ${read(partial.count)}(b); return typeof c === 'number' && c > 0 ? ${p.constant(partial.result)} : ${p.constant(d.result)}; }`;
        return `{ ${yieldsCode(d.yields)}const m = ${firstListedFunction(partial)}(b); return m !== undefined ? m : ${p.constant(d.result)}; }`;
      }
      case DELEGATE:
        return `return ${delegateFunction(d.key, d.own, d.object)}(b, n);`;
      case REFINE: {
        // Step 4: the first exact match decides; else the fallback of the first field holding a value, else of the
        // first. A result of a kind some message rule is for goes to the rules with the message beside the value:
        // such values are flagged in a table read with the same key, and a fallback that is one is known here, so
        // an ordinary code costs what it did.
        const name = p.fresh('refine');
        // An integer is an HTTP status sent as the code (integer_status) first, else its decimal string.
        const ruling = (r: Refinement, m: Result): boolean =>
          rules !== undefined && r.message !== undefined && mayRule(m);
        const ruledCall = (r: Refinement, m: string): string => `${rules}(${m}, ${read(r.message!)}(b), true)`;
        const anyRuledFallback = d.refinements.some((r) => ruling(r, r.fallback));
        let headRuled = '';
        let headTable = '';
        const steps = d.refinements.map((r, i) => {
          // The values that need more than their result: one a rule may change (flag 1), one whose entry names
          // relayed_status (flag 2, tables.ts). They are left out of the plain table and kept in their own, read
          // only when the plain one misses, so an ordinary code costs one load.
          const special = new Map<string, number>();
          for (const [v, m] of r.results) if (ruling(r, m)) special.set(v, 1);
          for (const v of r.relayed?.keys() ?? []) special.set(v, (special.get(v) ?? 0) | 2);
          const plain = new Map([...r.results].filter(([v]) => !special.has(v)));
          const specialResults = new Map([...special.keys()].map((v) => [v, r.results.get(v)!]));
          const relayedFirst = r.relayed
            ? `if ((s & 2) !== 0) { const x = ${p.constant(r.relayed)}.get(v)(b); if (x !== undefined) return x; } `
            : '';
          // A ruled value's message is screened inline by its kind's screen (hints.ts), in a table read with the
          // same key: a message no rule reads costs no call.
          const ruledScreens = new Map(
            [...special].flatMap(([v, x]) => ((x & 1) !== 0 ? [[v, screens.get(r.results.get(v)!.kind!)!]] : [])),
          );
          const ruledReturn =
            ruledScreens.size > 0
              ? `if ((s & 1) !== 0) { const q = ${p.constant(byKey(ruledScreens))}[v], t = ${read(r.message!)}(b); if (${screened('q', 't')}) return ${rules}(m, t, true); } return m;`
              : 'return m;';
          const specialCode =
            special.size === 0
              ? ''
              : ` { const s = ${p.constant(byKey(special))}[v]; if (s !== undefined) { const m = ${p.constant(byKey(specialResults))}[v]; ${relayedFirst}${ruledReturn} } }`;
          const statusReturn =
            r.message !== undefined && rules !== undefined
              ? `return m.kind !== null && ${p.constant(ruledKinds)}.has(m.kind) ? ${ruledCall(r, 'm')} : m;`
              : 'return m;';
          const byStatus = r.byStatus
            ? ` if (typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= ${CODE_STATUS_MAX}) { const m = ${p.constant(r.byStatus)}[v]; if (m !== undefined) ${statusReturn} }`
            : '';
          const fallback = p.constant(r.fallback);
          const remember = ruling(r, r.fallback) ? `{ f = ${fallback}; g = ${read(r.message!)}; }` : `f = ${fallback};`;
          // A string first (the commonest); an integer is an HTTP status sent as the code (integer_status), else
          // its decimal string.
          const plainTable = p.constant(byKey(plain));
          // The head's table: the plain results, and the first field's values that only a rule may change (a
          // listed code of a kind an any-scope rule is for), each as a record of its result and its kind's screen.
          // One lookup settles both: a record has a pattern, a result does not (two shapes at one load).
          if (i === 0) {
            const ruledOnly = [...special].filter(([, x]) => x === 1);
            const head = new Map<string, unknown>(plain);
            for (const [v] of ruledOnly) {
              const q = ruledScreens.get(v)!;
              head.set(v, Object.freeze({ result: r.results.get(v)!, shortest: q.shortest, pattern: q.pattern }));
            }
            headTable = p.constant(byKey(head));
            if (ruledOnly.length > 0)
              headRuled = ` if (m.pattern !== undefined) { const t = ${read(r.message!)}(b); return ${screened('m', 't')} ? ${rules}(m.result, t, true) : m.result; }`;
          }
          return `  v = ${i === 0 ? 'first' : `${read(r.read)}(b)`};
  if (typeof v !== 'string') {${byStatus} v = ${codeText}(v); }
  if (v !== undefined) { const m = ${i === 0 ? 'v === first ? undefined : ' : ''}${plainTable}[v]; if (m !== undefined) return m;${specialCode} if (f === undefined) ${remember} }`;
        });
        const first = d.refinements[0]!;
        const firstFallback = ruling(first, first.fallback)
          ? ruledCall(first, p.constant(first.fallback))
          : p.constant(first.fallback);
        const found = anyRuledFallback ? `(g !== undefined ? ${rules}(f, g(b), true) : f)` : 'f';
        // The commonest case, a string listed in the first field's plain table, in a function small enough for the
        // engine to inline into its caller; the rest of the step is a call with the value already read (a string
        // there is one the plain table missed: only a code's decimal string is looked up in it again).
        p.define(`function ${name}(b) {
  const v = ${read(first.read)}(b);
  if (typeof v === 'string') {
    const m = ${headTable}[v];
    if (m !== undefined) {${headRuled} return m; }
  }
  return ${name}rest(b, v);
}`);
        p.define(
          `function ${name}rest(b, first) {\n  let v, f${anyRuledFallback ? ', g' : ''};\n${steps.join('\n')}\n  return f !== undefined ? ${found} : ${firstFallback};\n}`,
        );
        return `${envelopeCode(d.envelope)}return ${name}(b);`;
      }
    }
  };

  // The decision of the string in `v` by its exact value (stringSwitch); an unlisted value matches no case.
  const switchOn = (table: StatusTable): string =>
    stringSwitch(
      'v',
      [...table.byValue].map(([v, d]) => [v, decisionCode(d)]),
    );

  // After the exact values: an unlisted value ending with a `*<suffix>` entry's suffix takes that entry, in entry
  // order. The suffixes are grouped by their last character, so that a value ending otherwise (a content delta, the
  // commonest event) costs one comparison.
  const suffixCode = (table: StatusTable): string => {
    if (table.bySuffix.length === 0) return '';
    const byLast = groupBy(table.bySuffix, ([suffix]) => suffix.charCodeAt(suffix.length - 1));
    const cases = [...byLast].map(
      ([last, list]) =>
        `    case ${last}:\n${list.map(([suffix, d]) => `      if (v.endsWith(${JSON.stringify(suffix)})) { ${decisionCode(d)} }`).join('\n')}\n      break;`,
    );
    return `  if (typeof v === 'string' && v.length > 0) switch (v.charCodeAt(v.length - 1)) {\n${cases.join('\n')}\n  }`;
  };

  const statusFunction = (table: StatusTable): string => {
    let name = statusFunctions.get(table);
    if (name !== undefined) return name;
    name = p.fresh('status');
    statusFunctions.set(table, name);
    // reported_error: a body whose key holds an error object is decided before the path is read.
    const reported = table.reportedError;
    const reportedCode =
      reported === undefined
        ? ''
        : `  if (${p.constant(isErrorObject)}(b.${reported.key})) { ${decisionCode(reported.decision)} }\n`;
    if (table.readAll) {
      // Several values (chat choices): of those whose decision settles the outcome, the most severe decides (the
      // first of equal rank), else the first value.
      const decisions = [...table.byValue.values(), table.fallback];
      const index = new Map([...table.byValue.keys()].map((v, i) => [v, i]));
      const fns = decisions.map((d) => {
        const fn = p.fresh('decision');
        p.define(`function ${fn}(b, n) { ${decisionCode(d)} }`);
        return fn;
      });
      const fallbackIndex = decisions.length - 1;
      // filter_results: a choice the content filter flags reads as its value too, ranked by severity with the others.
      const flagged = table.flagged;
      const valuesCode =
        flagged === undefined
          ? `const values = ${p.constant(table.readAll)}(b);`
          : `const read = ${p.constant(table.readAll)}(b);
  const values = ${p.constant(flagged.test)}(b) ? [...read, ${JSON.stringify(flagged.value)}] : read;`;
      p.define(`function ${name}(b, n) {
${reportedCode}  ${valuesCode}
  const index = ${p.constant(index)};
  const settled = ${p.constant(decisions.map((d) => d.settled))};
  const rank = ${p.constant(severityRanks([...table.byValue.keys()], table.severity))};
  const decide = [${fns.join(', ')}];
  let first = -1;
  let worst = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const found = typeof v === 'string' ? index.get(v) : undefined;
    const d = found === undefined ? ${fallbackIndex} : found;
    if (settled[d]) {
      if (rank[d] === 0) return decide[d](b, n);
      if (worst < 0 || rank[d] < rank[worst]) worst = d;
    } else if (first < 0) first = d;
  }
  if (worst >= 0) return decide[worst](b, n);
  return decide[first < 0 ? ${fallbackIndex} : first](b, n);
}`);
    } else {
      p.define(`function ${name}(b, n) {
${reportedCode}  const v = ${read(table.read)}(b);
  if (typeof v === 'string') ${switchOn(table)}
${suffixCode(table)}
  ${decisionCode(table.fallback)}
}`);
    }
    return name;
  };

  // Step 5: one level deep, into an object the contract dispatches; without `object`, `object` (the entry's
  // delegate_object, else the key) names its kind.
  // When the key holds no object, the entry's own result (if it has one) decides, else the invalid result. (The
  // value is read first: Object.hasOwn, a call, is asked only about an object found.)
  const delegateFunction = (key: string, own: Result | undefined, object: string): string => {
    const memoKey = `${key}\u0000${object}\u0000${own === undefined ? '' : p.constant(own)}`;
    let name = delegateFunctions.get(memoKey);
    if (name !== undefined) return name;
    name = p.fresh('delegate');
    delegateFunctions.set(memoKey, name);
    const k = JSON.stringify(key);
    const absent = own === undefined ? invalid : p.constant(own);
    p.define(`function ${name}(b, n) {
  const inner = b[${k}];
  if (!${isPlainObject('inner')} || !Object.hasOwn(b, ${k})) return ${absent};
  const o = inner.object;
  if (o === undefined) return byObject(${JSON.stringify(object)}, inner, n);
  return typeof o === 'string' ? byObject(o, inner, n) : ${invalid};
}`);
    return name;
  };

  // The cases are compared in order, one string comparison each: a Response (what background mode polls, and the
  // object this package is first for) is compared first, the others follow in field order. Order changes no answer:
  // the names are distinct.
  const objectCases = [...tables.statusByObject]
    .sort(([a], [b]) => Number(b === COMMONEST_OBJECT) - Number(a === COMMONEST_OBJECT))
    .map(([object, table]) => `    case ${JSON.stringify(object)}: return ${statusFunction(table)}(b, n);`);
  p.define(`function byObject(name, b, n) {
  switch (name) {
${objectCases.join('\n')}
  }
  return ${invalid};
}`);

  const event = tables.event;
  // An error object on its own (error_object): reached only by a type that is no event value and matches no suffix.
  // Its message is tested first: a stream delta, the commonest event, has none, and one load costs less than a lookup.
  // An error type beside an error object (a client's copy of the SDK's error, no message of its own) is no event
  // either: it leaves the event's block for the key-dispatched fields, as a body without a string type.
  const errorObjectCode =
    event?.errorObject === undefined
      ? ''
      : `if (typeof b.message === 'string' && ${p.constant(event.errorObject.types)}.has(v)) return byObject(${JSON.stringify(event.errorObject.object)}, b, n);
      if (typeof b.error === 'object' && ${p.constant(isErrorObject)}(b.error) && ${p.constant(event.errorObject.types)}.has(v)) break typed;`;
  const eventCode = event
    ? `typed: { const v = b.type;
    if (typeof v === 'string') {
      ${switchOn(event)}
${suffixCode(event)}
      ${errorObjectCode}
      ${decisionCode(event.fallback)}
    } }`
    : '';
  // Bodies with neither `object` nor a string `type`: the first key-dispatched field whose key the body owns.
  // (\`in\` first: an inline-cached test that an absent key fails at once, where Object.hasOwn is a call.)
  const keyCode = tables.statusByKey
    .map(
      ([key, table]) =>
        `    if (${JSON.stringify(key)} in b && Object.hasOwn(b, ${JSON.stringify(key)})) return ${statusFunction(table)}(b, n);`,
    )
    .join('\n');
  // A provider's own typed answer (dispatch.type with a shape that reads a value), before the stream-event rule.
  const typeCode = tables.statusByType
    .map(
      ([type, readers, table]) =>
        `    if (b.type === ${JSON.stringify(type)} && (${readers.map((r) => `${read(r)}(b) !== undefined`).join(' || ')})) return ${statusFunction(table)}(b, n);`,
    )
    .join('\n');
  // `object` and `type` are not Object.prototype members: plain reads see own keys only.
  p.define(`function body(b, n) {
  const o = b.object;
  if (typeof o === 'string') return byObject(o, b, n);
  if (o === undefined) {
${typeCode}
    ${eventCode}
${keyCode}
  }
  return ${invalid};
}`);

  // Step 1 outside 2xx: the status's entry, refined by the error object's code or type (named reads), with the
  // x-should-retry header's word. Results by status and retry decision are built ahead of time; a refining entry's
  // are built once, on first use. httpFailure is the step for the response an envelope entry records; an
  // envelope's own step 1 is the same code inside envelope(), which keeps the error object for step 6.
  const http = tables.http;
  // The code of step 1 for status `s`, headers `h` and body `b`, which runs `decided(result)` (code) once known and
  // leaves the error object in `e` (declared by the caller).
  let stepOne: (decided: (result: string) => string) => string = () => `  return ${invalid};`;
  if (http !== undefined) {
    const refined = p.constant((r: RefiningEntry, status: number, header: boolean | undefined) =>
      refinedResult(tables, r, status, header),
    );
    const byStatus = p.constant(http.byStatus);
    // Each status's result by its own entry's retry decision (no x-should-retry header, the commonest case): one
    // element load, where reading the entry's retryable is a load from objects of many shapes.
    const ownResult = p.constant(
      Array.from({ length: HTTP_STATUS_MAX + 1 }, (_, s) => {
        const entry = http.entryOf[s];
        return entry === undefined ? undefined : http.byStatus[s * 2 + ((entry.retryable ?? false) ? 1 : 0)];
      }),
    );
    const shouldRetry = p.constant(shouldRetryHeader);
    // A refinement applies only with the status's kind: each field's entries of each kind in a string switch of
    // their own (stringSwitch), chosen by the status's kind, so that a status whose kind no entry has reads nothing
    // and a hit needs no comparison of kinds.
    const lookupOf = (r: HttpRefinement): { kindIndex: string; lookup: string } => {
      const byKind = groupBy(
        [...r.entries].filter(([, m]) => m.kind !== null),
        ([, m]) => m.kind!,
      );
      const kinds = [...byKind.keys()];
      const lookup = p.fresh('lookup');
      const cases = kinds.map(
        (kind, k) =>
          `    case ${k}: ${stringSwitch(
            'v',
            byKind.get(kind)!.map(([v, m]) => [v, `m = ${p.constant(m)}; break found;`]),
          )} break;`,
      );
      p.define(`function ${lookup}(k, v) {
  let m;
  found: {
    switch (k) {
${cases.join('\n')}
    }
    return undefined;
  }
  return m;
}`);
      const kindIndex = p.constant(
        Array.from({ length: HTTP_STATUS_MAX + 1 }, (_, s) => {
          const kind = http.kindOf[s];
          return kind == null ? -1 : kinds.indexOf(kind);
        }),
      );
      return { kindIndex, lookup };
    };
    const lookups = http.refinements.map((r) => ({ read: r.read, ...lookupOf(r) }));
    stepOne = (decided) => {
      const refinementCode = lookups.map(
        ({ read: reader, kindIndex, lookup }) => `    { const t = ${kindIndex}[s]; if (t !== -1) {
    v = ${read(reader)}(e);
    if (typeof v !== 'string') v = ${codeText}(v);
    if (v !== undefined) { const m = ${lookup}(t, v); if (m !== undefined) { ${decided(`${refined}(m, s, header)`)} } } } }`,
      );
      return `  const own = ${ownResult}[s];
  if (own === undefined) return ${invalid};
  const header = h === undefined ? undefined : ${shouldRetry}(h);
  if (${isPlainObject('b')}) {
    const x = b.error;
    e = ${isPlainObject('x')} ? x : b;${refinementCode.length === 0 ? '' : `\n    let v;\n${refinementCode.join('\n')}`}
  }
  ${decided(`header === undefined ? own : ${byStatus}[s * 2 + (header ? 1 : 0)]`)}`;
    };
  }
  p.define(`function httpFailure(s, h, b) {\n  let e;\n${stepOne((result) => `return ${result};`)}\n}`);

  // Whether an error object holds the first key of a body hint's path: the delay hints' fast exit (hints.ts).
  const holdsHintKey = (e: string): string =>
    tables.bodyHintKeys.length === 0
      ? 'false'
      : tables.bodyHintKeys.map((r) => `${read(r)}(${e}) !== undefined`).join(' || ');
  p.define(`function holdsBodyHintKey(e) {\n  return ${holdsHintKey('e')};\n}`);

  // An envelope's headers when one of their names (in any case) is one a step reads, else undefined: one scan of
  // the names, a name of another length costing one comparison (tables.headersRead, rendered).
  const lengths = [...new Set(tables.headerNames.map((name) => name.length))].sort((a, b) => a - b);
  p.define(`function headersRead(h) {
  if (!${isPlainObject('h')}) return undefined;
${
  lengths.length === 0
    ? ''
    : `  const names = ${p.constant(new Set(tables.headerNames))};
  for (const name in h) {
    switch (name.length) {
      ${lengths.map((n) => `case ${n}:`).join(' ')}
        if (names.has(name.toLowerCase()) && Object.hasOwn(h, name)) return h;
    }
  }`
}
  return undefined;
}`);

  // An envelope outside 2xx: step 1, then step 6. Step 6 is the whole of hints.ts where a header or a body hint may
  // give a delay; without them only a message rule can apply, and only to a status whose kind one is for. A 2xx
  // envelope (a bare body in a 200 response) is classified by the interpreted path, which calls the generated body.
  const step6 = tables.step6;
  const envelopeInterpreted = p.constant((s: number, o: Record<string, unknown>) => classifyEnvelope(tables, s, o));
  let stepSix = 'return r;';
  if (step6 !== undefined && http !== undefined) {
    const apply = p.constant(step6.apply);
    const kindOf = http.kindOf;
    // Each status's rule screen (its kind's; every result of step 1 has the status's kind): a message the screen
    // rejects leaves the result as it is, with no call.
    const screenOf = p.constant(
      Array.from({ length: HTTP_STATUS_MAX + 1 }, (_, s) =>
        kindOf[s] == null ? undefined : step6.messageScreens.get(kindOf[s]!),
      ),
    );
    const phrases = step6.phrases;
    const phraseCode =
      phrases === undefined
        ? ''
        : `\n  { const m = e.message; if (typeof m === 'string' && m.length >= ${phrases.shortest} && ${p.constant(phrases.pattern)}.test(m)) return ${apply}(r, h, b, holdsBodyHintKey); }`;
    stepSix = `if (h !== undefined) return ${apply}(r, h, b, holdsBodyHintKey);
  if (e === undefined) return Array.isArray(b) ? ${apply}(r, h, b, holdsBodyHintKey) : r;
  if (${holdsHintKey('e')}) return ${apply}(r, h, b, holdsBodyHintKey);${phraseCode}
  ${rules === undefined ? 'return r;' : `{ const q = ${screenOf}[s]; if (q !== undefined) { const m = e.message; if (${screened('q', 'm')}) return ${rules}(r, m, false); } }\n  return r;`}`;
  }
  p.define(`function envelope(s, o) {
  if (s >= 200 && s < 300) return ${envelopeInterpreted}(s, o);
  const h = headersRead(o.headers);
  const b = o.body;
  let e, r;
  decided: {
${stepOne((result) => `r = ${result}; break decided;`)}
  }
  ${stepSix}
}`);

  // The whole procedure. A body that names its object goes to its status field at once, a typed body without a
  // string id (a stream event) to the event field; every other body, and a typed one the event field finds invalid,
  // takes step 2's last resorts around the generated body (withUnnamedBodies in tables.ts).
  const unnamed = p.constant((b: Record<string, unknown>, n: boolean) => tables.body(b, n));
  // The commonest object has a call site of its own, which the engine inlines (byObject is a long switch).
  const commonest = tables.statusByObject.get(COMMONEST_OBJECT);
  const commonestCode =
    commonest === undefined
      ? ''
      : `\n      if (name === ${JSON.stringify(COMMONEST_OBJECT)}) return ${statusFunction(commonest)}(o, false);`;
  // A bare body that is an array (Gemini's stream of responses) is read by wrappers.ts, off the hot path.
  const arrayBody = p.constant((b: unknown[]) => tables.arrayBody(b));
  p.define(`function observe(o) {
  if (!${isPlainObject('o')}) return Array.isArray(o) ? ${arrayBody}(o) : ${invalid};
  const s = o.http_status;
  if (s === undefined) {
    const name = o.object;
    if (typeof name === 'string') {${commonestCode}
      if (name !== '') return byObject(name, o, false);
    } else if (name === undefined && typeof o.type === 'string' && typeof o.id !== 'string') {
      const r = body(o, false);
      if (r.outcome !== 'invalid') return r;
    }
    return ${unnamed}(o, false);
  }
  if (typeof s !== 'number' || !Number.isInteger(s) || s < 100 || s > ${HTTP_STATUS_MAX}) return ${invalid};
  return envelope(s, o);
}`);

  return p.finish('{ observe, body, byObject, httpFailure, holdsBodyHintKey }');
}
