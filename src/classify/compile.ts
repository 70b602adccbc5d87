// Compiles the decision tables of one (contract, profile) into a JavaScript function, once, at first use: a switch
// on `object`, a switch on each status value, one small function per refinement. Every reader and result is a
// constant of the generated code and every call has a call site of its own, so the engine inlines them as it would
// a hand-written switch; an interpreter of the tables funnels all of them through one megamorphic call site.
// Only string literals produced by JSON.stringify and compiled reader functions enter the generated code.
import type { Result } from '../../generated/types.js';
import type { Decision, StatusTable, Tables } from './tables.js';

/** Decision kinds, as small integers. */
export const RESULT = 0, REFINE = 1, PARTIAL = 2, DELEGATE = 3;

/** Classifies a body that is known to be a non-array object (steps 2 to 5 of spec/PROCEDURE.md). */
export type BodyClassifier = (body: Record<string, unknown>) => Result;

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

  link(entry: string): BodyClassifier {
    const prelude = this.constants.map((_, i) => `const k${i} = K[${i}];`).join('\n');
    const source = `'use strict';\n${prelude}\n${this.functions.join('\n')}\nreturn ${entry};`;
    return new Function('K', source)(this.constants) as BodyClassifier;
  }
}

function isPlainObject(expr: string): string {
  return `(typeof ${expr} === 'object' && ${expr} !== null && !Array.isArray(${expr}))`;
}

export function compileBodyClassifier(tables: Tables): BodyClassifier {
  const p = new Program();
  const invalid = p.constant(tables.invalid);
  const statusFunctions = new Map<StatusTable, string>();
  const delegateFunctions = new Map<string, string>();

  // `return …;` for one decision, with the object in `b`.
  const decisionCode = (d: Decision): string => {
    switch (d.type) {
      case RESULT:
        return `return ${p.constant(d.result)};`;
      case PARTIAL:
        return `{ const n = ${p.constant(d.readCount)}(b); return typeof n === 'number' && n > 0 ? ${p.constant(d.partial)} : ${p.constant(d.result)}; }`;
      case DELEGATE:
        return `return ${delegateFunction(d.key)}(b);`;
      case REFINE: {
        // Step 4: the first exact match decides; else the fallback of the first field holding a value, else of the first.
        const name = p.fresh('refine');
        const steps = d.refinements.map(
          (r) => `  v = ${p.constant(r.read)}(b);
  if (typeof v === 'string') { const m = ${p.constant(r.results)}.get(v); if (m !== undefined) return m; if (f === undefined) f = ${p.constant(r.fallback)}; }`,
        );
        p.define(`function ${name}(b) {\n  let v, f;\n${steps.join('\n')}\n  return f !== undefined ? f : ${p.constant(d.refinements[0]!.fallback)};\n}`);
        return `return ${name}(b);`;
      }
    }
  };

  const switchOn = (table: StatusTable): string =>
    [...table.byValue].map(([v, d]) => `    case ${JSON.stringify(v)}: ${decisionCode(d)}`).join('\n');

  const statusFunction = (table: StatusTable): string => {
    let name = statusFunctions.get(table);
    if (name !== undefined) return name;
    name = p.fresh('status');
    statusFunctions.set(table, name);
    if (table.readAll) {
      // Several values (chat choices): the first whose decision settles the outcome decides, else the first.
      const decisions = [...table.byValue.values(), table.fallback];
      const index = new Map([...table.byValue.keys()].map((v, i) => [v, i]));
      const fns = decisions.map((d) => {
        const fn = p.fresh('decision');
        p.define(`function ${fn}(b) { ${decisionCode(d)} }`);
        return fn;
      });
      const fallbackIndex = decisions.length - 1;
      p.define(`function ${name}(b) {
  const values = ${p.constant(table.readAll)}(b);
  const index = ${p.constant(index)};
  const settled = ${p.constant(decisions.map((d) => d.settled))};
  const decide = [${fns.join(', ')}];
  let first = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const found = typeof v === 'string' ? index.get(v) : undefined;
    const d = found === undefined ? ${fallbackIndex} : found;
    if (settled[d]) return decide[d](b);
    if (first < 0) first = d;
  }
  return decide[first < 0 ? ${fallbackIndex} : first](b);
}`);
    } else {
      p.define(`function ${name}(b) {
  const v = ${p.constant(table.read)}(b);
  if (typeof v === 'string') switch (v) {
${switchOn(table)}
  }
  ${decisionCode(table.fallback)}
}`);
    }
    return name;
  };

  // Step 5: one level deep, into an object the contract dispatches; without `object`, the key names its kind.
  const delegateFunction = (key: string): string => {
    let name = delegateFunctions.get(key);
    if (name !== undefined) return name;
    name = p.fresh('delegate');
    delegateFunctions.set(key, name);
    const k = JSON.stringify(key);
    p.define(`function ${name}(b) {
  const inner = Object.hasOwn(b, ${k}) ? b[${k}] : undefined;
  if (!${isPlainObject('inner')}) return ${invalid};
  const n = inner.object;
  if (n === undefined) return byObject(${k}, inner);
  return typeof n === 'string' ? byObject(n, inner) : ${invalid};
}`);
    return name;
  };

  const objectCases = [...tables.statusByObject].map(([object, table]) => `    case ${JSON.stringify(object)}: return ${statusFunction(table)}(b);`);
  p.define(`function byObject(name, b) {
  switch (name) {
${objectCases.join('\n')}
  }
  return ${invalid};
}`);

  const event = tables.event;
  const eventCode = event
    ? `const t = b.type;
    if (typeof t === 'string') {
      switch (t) {
${switchOn(event)}
      }
      ${decisionCode(event.fallback)}
    }`
    : '';
  // `object` and `type` are not Object.prototype members: plain reads see own keys only.
  p.define(`function body(b) {
  const o = b.object;
  if (typeof o === 'string') return byObject(o, b);
  if (o === undefined) {
    ${eventCode}
  }
  return ${invalid};
}`);
  return p.link('body');
}
