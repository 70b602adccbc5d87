// Two versions of the published JSON Schema -> whether each difference makes it stricter (data valid before may be
// rejected now: major), looser (minor) or only changes annotations (patch). Where the effect of a keyword cannot be
// told without solving the schema, the change counts as stricter: a consumer is never told a break is safe.
import { byCodeUnit } from '../json-text.js';
import type { Change } from './change.js';
import type { ContractDocument } from './document.js';
import { isPlainObject, jsonEqual } from './json.js';

type Direction = 'stricter' | 'looser' | 'annotation';
type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set([
  'title',
  'description',
  '$comment',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$schema',
  '$id',
  '$anchor',
]);
/** Raising these (or adding them) narrows what is valid. */
const LOWER_BOUNDS = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties', 'minContains']);
/** Lowering these (or adding them) narrows what is valid. */
const UPPER_BOUNDS = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties', 'maxContains']);
/** Keywords holding one subschema; absent means the always-true schema. */
const SUBSCHEMA = new Set([
  'additionalProperties',
  'items',
  'propertyNames',
  'contains',
  'if',
  'then',
  'else',
  'unevaluatedProperties',
  'unevaluatedItems',
  'additionalItems',
]);
/** Keywords holding named subschemas. */
const SUBSCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

interface Found {
  pointer: string;
  keyword: string;
  direction: Direction;
  old: unknown;
  new: unknown;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Boolean schemas as objects: true accepts everything ({}), false nothing ({not: {}}). */
function normalise(schema: unknown): Schema | undefined {
  if (schema === true || schema === undefined) return {};
  if (schema === false) return { not: {} };
  return isPlainObject(schema) ? schema : undefined;
}

function rejectsUnlisted(schema: Schema): boolean {
  const ap = normalise(schema.additionalProperties);
  return ap !== undefined && isPlainObject(ap.not) && Object.keys(ap.not).length === 0 && Object.keys(ap).length === 1;
}

/**
 * Whether `alternative` (a new oneOf branch of `old`) requires a property that `old` did not list while it rejected
 * unlisted properties: then no value `old` accepted can match the branch, so the branch cannot reject one as a
 * second match.
 */
function matchesNothingValidIn(old: Schema, alternative: unknown): boolean {
  const branch = normalise(alternative);
  if (branch === undefined || !Array.isArray(branch.required) || !rejectsUnlisted(old)) return false;
  const listed = isPlainObject(old.properties) ? old.properties : {};
  const patterned = isPlainObject(old.patternProperties) && Object.keys(old.patternProperties).length > 0;
  return !patterned && branch.required.some((name) => typeof name === 'string' && !Object.hasOwn(listed, name));
}

function asSet(value: unknown): Set<string> | undefined {
  if (value === undefined) return undefined;
  return new Set((Array.isArray(value) ? value : [value]).map((v) => JSON.stringify(v)));
}

class SchemaComparer {
  readonly found: Found[] = [];

  private add(
    pointer: string,
    keyword: string,
    direction: Direction,
    old: unknown,
    next: unknown,
    flipped: boolean,
  ): void {
    const d = !flipped || direction === 'annotation' ? direction : direction === 'stricter' ? 'looser' : 'stricter';
    this.found.push({ pointer: pointer || '/', keyword, direction: d, old, new: next });
  }

  compare(oldSchema: unknown, newSchema: unknown, pointer: string, flipped: boolean): void {
    const [a, b] = [normalise(oldSchema), normalise(newSchema)];
    if (!a || !b) {
      if (!jsonEqual(oldSchema, newSchema)) this.add(pointer, '', 'stricter', oldSchema, newSchema, flipped);
      return;
    }
    const keywords = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(byCodeUnit);
    for (const k of keywords) {
      const [x, y] = [a[k], b[k]];
      if (jsonEqual(x, y)) continue;
      const at = `${pointer}/${escapePointer(k)}`;
      const report = (direction: Direction, values?: { old?: unknown; new?: unknown }) =>
        this.add(pointer, k, direction, values ? values.old : x, values ? values.new : y, flipped);
      if (ANNOTATIONS.has(k)) report('annotation');
      else if (k === 'type' || k === 'enum' || k === 'required') this.compareSets(k, x, y, report);
      else if (LOWER_BOUNDS.has(k) || UPPER_BOUNDS.has(k)) {
        if (x === undefined) report('stricter');
        else if (y === undefined) report('looser');
        else if (typeof x === 'number' && typeof y === 'number')
          report(y > x === LOWER_BOUNDS.has(k) ? 'stricter' : 'looser');
        else report('stricter');
      } else if (k === 'uniqueItems') report(y === true ? 'stricter' : 'looser');
      else if (k === 'not') {
        if (x === undefined) report('stricter');
        else if (y === undefined) report('looser');
        else this.compare(x, y, at, !flipped);
      } else if (SUBSCHEMA.has(k)) this.compare(x, y, at, flipped);
      else if (SUBSCHEMA_MAPS.has(k)) this.compareMap(k, a, b, at, flipped);
      else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf' || k === 'prefixItems')
        this.compareList(k, x, y, at, flipped, report, a);
      else if (y === undefined) report('looser');
      // $ref, pattern, format, const, multipleOf, dependentRequired and keywords unknown here: any other change may reject.
      else report('stricter');
    }
  }

  /** `type`/`enum` narrow when members go (absent: any value); `required` narrows when names come (absent: none). */
  private compareSets(
    k: string,
    x: unknown,
    y: unknown,
    report: (d: Direction, values?: { old?: unknown; new?: unknown }) => void,
  ): void {
    const required = k === 'required';
    const [before, after] = [asSet(x ?? (required ? [] : undefined)), asSet(y ?? (required ? [] : undefined))];
    if (!before) return report('stricter');
    if (!after) return report('looser');
    const lost = [...before].filter((v) => !after.has(v)).map((v) => JSON.parse(v) as unknown);
    const gained = [...after].filter((v) => !before.has(v)).map((v) => JSON.parse(v) as unknown);
    if (lost.length > 0) report(required ? 'looser' : 'stricter', { old: lost });
    if (gained.length > 0) report(required ? 'stricter' : 'looser', { new: gained });
  }

  private compareMap(k: string, a: Schema, b: Schema, at: string, flipped: boolean): void {
    const [x, y] = [isPlainObject(a[k]) ? a[k] : {}, isPlainObject(b[k]) ? b[k] : {}];
    const names = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort(byCodeUnit);
    for (const name of names) {
      const here = `${at}/${escapePointer(name)}`;
      if (name in x && name in y) this.compare(x[name], y[name], here, flipped);
      // A definition matters only where it is referenced, and a change of reference is reported there.
      else if (k === '$defs' || k === 'definitions') continue;
      else if (k === 'properties') {
        const added = !(name in x);
        // With additionalProperties: false, a listed property is the only way a key is allowed at all.
        const closed = added ? rejectsUnlisted(a) : rejectsUnlisted(b);
        const direction: Direction = added ? (closed ? 'looser' : 'stricter') : closed ? 'stricter' : 'looser';
        this.add(here, '', direction, x[name], y[name], flipped);
      } else this.add(here, '', name in y ? 'stricter' : 'looser', x[name], y[name], flipped);
    }
  }

  private compareList(
    k: string,
    x: unknown,
    y: unknown,
    at: string,
    flipped: boolean,
    report: (d: Direction) => void,
    parent: Schema,
  ): void {
    // Adding a combinator constrains; dropping one frees; replacing it by a non-list cannot be judged.
    if (!Array.isArray(x) || !Array.isArray(y)) return report(y === undefined ? 'looser' : 'stricter');
    const shared = Math.min(x.length, y.length);
    for (let i = 0; i < shared; i++) this.compare(x[i], y[i], `${at}/${i}`, flipped);
    if (y.length > x.length) {
      // One more alternative widens anyOf; for oneOf it can make a value match twice, which rejects it, unless it
      // requires a property the old object rejected as unlisted: no value valid before matches it.
      for (let i = shared; i < y.length; i++) {
        const direction: Direction =
          k === 'anyOf' || (k === 'oneOf' && matchesNothingValidIn(parent, y[i])) ? 'looser' : 'stricter';
        this.add(`${at}/${i}`, '', direction, undefined, y[i], flipped);
      }
    }
    if (x.length > y.length) {
      const direction: Direction = k === 'allOf' || k === 'prefixItems' ? 'looser' : 'stricter';
      for (let i = shared; i < x.length; i++) this.add(`${at}/${i}`, '', direction, x[i], undefined, flipped);
    }
  }
}

/**
 * The build writes the ids of the contract into the schema as enums (kind, field and entry ids). Those enums change
 * with the data and are reported as data changes, so they are set aside here: found as enums equal to a contract's
 * own id sets, not by name.
 */
function withoutIdEnums(schema: unknown, contract: ContractDocument | undefined): unknown {
  if (!contract || !isPlainObject(schema) || !isPlainObject(schema.$defs)) return schema;
  const idSets = [contract.kinds, contract.fields, contract.actions]
    .map((s) => (isPlainObject(s) ? Object.keys(s) : []))
    .concat([contract.entries.map((e) => e.id)])
    .map((ids) => JSON.stringify([...ids].sort(byCodeUnit)));
  const defs: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(schema.$defs)) {
    if (
      isPlainObject(def) &&
      Array.isArray(def.enum) &&
      def.enum.every((v) => typeof v === 'string') &&
      idSets.includes(JSON.stringify([...(def.enum as string[])].sort(byCodeUnit)))
    ) {
      const { enum: _ids, ...rest } = def;
      defs[name] = rest;
    } else defs[name] = def;
  }
  return { ...schema, $defs: defs };
}

/** The bump a schema difference needs, by its direction. */
export const SCHEMA_BUMP = { stricter: 'major', looser: 'minor', annotation: 'patch' } as const;
const WHY = {
  stricter: 'the published schema is stricter',
  looser: 'the published schema is looser',
  annotation: 'schema wording only',
} as const;

export function diffSchemas(
  oldSchema: unknown,
  newSchema: unknown,
  oldContract?: ContractDocument,
  newContract?: ContractDocument,
): Change[] {
  const comparer = new SchemaComparer();
  comparer.compare(withoutIdEnums(oldSchema, oldContract), withoutIdEnums(newSchema, newContract), '', false);
  return comparer.found.map((f) => {
    const c = { section: 'schema', id: f.pointer, change: 'changed' } as Change;
    if (f.keyword) c.property = f.keyword;
    if (f.old !== undefined) c.old = f.old;
    if (f.new !== undefined) c.new = f.new;
    c.bump = SCHEMA_BUMP[f.direction];
    c.why = WHY[f.direction];
    return c;
  });
}
