// Decision tables compiled once per (contract, profile) from contract.json, so that classify() only reads the
// observation and follows pointers: every result it can return is built and frozen here, ahead of time.
import type { Contract, Entry, Outcome, Result } from '../../generated/types.js';
import { isReplaced, profileOf, UnknownProfileError } from '../contract-index.js';
import { compileReader, put } from '../field-path.js';
import { isPlainObject } from '../plain-object.js';
import { compileClassifiers } from './compile.js';
import {
  CODE_STATUS_MAX,
  codeString,
  DELEGATE,
  HTTP_STATUS_MAX,
  PARTIAL,
  REFINE,
  RESULT,
  relayedStatus,
  type BodyClassifier,
  type Classifiers,
  type Decision,
  type EnvelopeReaders,
  type FirstListed,
  type HttpRefinement,
  type HttpTable,
  type Partial,
  type Reader,
  type Refinement,
  type StatusTable,
  type Tables,
  type Yield,
} from './decisions.js';
import { interpretStatus } from './interpret.js';
import { sdkObject } from '../sdks.js';
import { bodyHintKeys, compileHints, hintHeaderNames } from './hints.js';
import { SHOULD_RETRY_HEADER } from './http.js';
import { arrayBody, withWrappers } from './wrappers.js';

// The table types live in decisions.ts (the classifiers depend on them, not on this builder); re-exported for users.
export type * from './decisions.js';
export { compileReader, isReplaced, UnknownProfileError };

/** For a `[]` path: the value at the rest of the path in every non-array object element, in order. */
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
    for (const item of list) if (isPlainObject(item)) out.push(rest === '' ? item : tail(item));
    return out;
  };
}

/**
 * filter_results: whether an element of the path (a choice's `content_filter_results`) has a category, an own key
 * whose value is an object, with `filtered` exactly true; such a choice also reads as `value`.
 */
function flaggedBy(filter: { path: string; value: string }): {
  test: (o: Record<string, unknown>) => boolean;
  value: string;
} {
  const results = compileReadAll(filter.path)!;
  const test = (o: Record<string, unknown>): boolean => {
    for (const categories of results(o)) {
      if (!isPlainObject(categories)) continue;
      for (const key of Object.keys(categories)) {
        const category = categories[key];
        if (isPlainObject(category) && category.filtered === true) return true;
      }
    }
    return false;
  };
  return { test, value: filter.value };
}

/**
 * For an items path (`output[].status`): the result of the first object element whose value `results` lists, read
 * without building the list (a completed Response is the commonest object, and most have no failed item).
 */
function compileFirstListed(path: string, results: Map<string, Result>): FirstListed | undefined {
  const index = path.indexOf('[]');
  if (index < 0) return undefined;
  const items = compileReader(path.slice(0, index));
  const rest = path.slice(index + 2).replace(/^\./, '');
  if (rest === '') return undefined;
  const value = compileReader(rest);
  const firstListed = (o: Record<string, unknown>): Result | undefined => {
    const list = items(o);
    if (!Array.isArray(list)) return undefined;
    for (let i = 0; i < list.length; i++) {
      const item: unknown = list[i];
      if (!isPlainObject(item)) continue;
      const v = value(item);
      if (typeof v === 'string') {
        const found = results.get(v);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return { items, value, results, firstListed };
}

/**
 * Where a reason field's message is: `message` beside the value it reads (`error.code` -> `error.message`, `code` ->
 * `message`), the error object a message rule reads (spec/PROCEDURE.md, "Message rules"); none for an items path.
 */
function messagePath(path: string): string | undefined {
  if (path.includes('[]')) return undefined;
  const dot = path.lastIndexOf('.');
  return dot < 0 ? 'message' : `${path.slice(0, dot)}.message`;
}

/** The object a delegating entry reads an embedded value without `object` as: its delegate_object, else its key. */
function unnamedDelegated(e: Entry): string {
  return e.delegate_object ?? e.delegate!;
}

export function buildTables(contract: Contract, profileName = 'default'): Tables {
  const profile = profileOf(contract, profileName);
  const excluded = new Set<string>(profile?.exclude_fields ?? []);
  const version = contract.meta.version;

  // Entries as this profile sees them; a replaced entry is an alias of its replacement and takes no part.
  const entries = contract.entries
    .filter((e) => !isReplaced(e))
    .map((original): Entry => {
      const o = profile?.overrides[original.id];
      if (!o) return original;
      return {
        ...original,
        ...(o.kind !== undefined ? { kind: o.kind } : {}),
        ...(o.retryable !== undefined ? { retryable: o.retryable } : {}),
        ...(o.throttling !== undefined ? { throttling: o.throttling } : {}),
        ...(o.action !== undefined ? { action: o.action } : {}),
      };
    });
  const byField = new Map<string, { values: Map<string, Entry>; suffixes: [string, Entry][]; fallback?: Entry }>();
  for (const id of Object.keys(contract.fields)) byField.set(id, { values: new Map(), suffixes: [] });
  for (const e of entries) {
    const f = byField.get(e.field)!;
    if (e.value === '*') f.fallback = e;
    else if (
      e.value.length > 1 &&
      e.value.startsWith('*') &&
      (contract.fields[e.field]!.role === 'event' || contract.fields[e.field]!.role === 'status')
    )
      f.suffixes.push([e.value.slice(1), e]);
    else f.values.set(e.value, e);
  }

  const sdk = new Map<string, Result['sdk']>();
  for (const [id, kind] of Object.entries(contract.kinds))
    sdk.set(id, Object.freeze(sdkObject(contract, kind) as NonNullable<Result['sdk']>));
  const memo = new Map<Entry, Map<string, Result>>();
  // The entry's action, unless x-should-retry reversed its retry decision against it: then the server's word decides
  // (retry_policy.should_retry_true / _false). A contract before 3.0.0 has no actions: null.
  const actions = contract.actions ?? {};
  const policy = contract.retry_policy;
  const actionFor = (entry: Entry, retry: boolean): string | null => {
    const own = entry.action ?? null;
    if (own === null || policy === undefined || retry === (entry.retryable ?? false)) return own;
    const kind = actions[own]?.retry;
    if (retry && kind === 'no') return policy.should_retry_true;
    if (!retry && (kind === 'in_run' || kind === 'later')) return policy.should_retry_false;
    return own;
  };
  const resultFor = (entry: Entry, outcome: Outcome, httpStatus?: number, retryable?: boolean): Result => {
    let perEntry = memo.get(entry);
    if (!perEntry) memo.set(entry, (perEntry = new Map()));
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
        sdk: kind === null ? null : (sdk.get(kind) ?? null),
        retry_after_ms: null,
        action: actionFor(entry, retry),
        contract_version: version,
      }) as Result;
      perEntry.set(key, result);
    }
    return result;
  };

  const observation = byField.get('observation')?.fallback;
  if (!observation) throw new Error('contract has no observation/* entry');
  const invalid = resultFor(observation, observation.outcome ?? 'invalid');

  // The http field's entry for each status 100-999 (step 1), shared by envelopes and integer codes (100-599).
  const httpFieldId = Object.keys(contract.fields).find((id) => contract.fields[id]!.role === 'http');
  const httpEntryOf: Entry[] = [];
  if (httpFieldId) {
    const own = byField.get(httpFieldId)!;
    for (let status = 100; status <= HTTP_STATUS_MAX; status++) {
      const entry =
        own.values.get(String(status)) ?? (status >= 500 ? own.values.get('>=500') : undefined) ?? own.fallback;
      if (entry) httpEntryOf[status] = entry;
    }
  }

  /** A field's own values over its vocabulary's: a shared meaning applies unless the field says otherwise. */
  const valuesOf = (fieldId: string): Map<string, Entry> => {
    const shared = contract.fields[fieldId]!.shares_values_with;
    const values = new Map<string, Entry>(shared ? byField.get(shared)!.values : []);
    for (const [v, e] of byField.get(fieldId)!.values) values.set(v, e);
    return values;
  };

  const refinementsFor = (deferring: Entry): Refinement[] => {
    const outcome = deferring.outcome ?? 'failed';
    const fields = (deferring.refined_by ?? []).filter((f) => !excluded.has(f));
    return fields.map((fieldId) => {
      const field = contract.fields[fieldId]!;
      const own = byField.get(fieldId)!;
      const results = new Map<string, Result>();
      // A reason entry with an outcome of its own replaces the consulting entry's (a steered Response is completed).
      for (const [v, e] of valuesOf(fieldId)) results.set(v, resultFor(e, e.outcome ?? outcome));
      const vocabulary = field.shares_values_with ? contract.fields[field.shares_values_with] : undefined;
      let byStatus: Result[] | undefined;
      if (vocabulary?.integer_status) {
        byStatus = [];
        for (let status = 100; status <= CODE_STATUS_MAX; status++)
          if (httpEntryOf[status]) byStatus[status] = resultFor(httpEntryOf[status]!, outcome, status);
      }
      // A value whose entry names relayed_status: the status a relay wrote beside it decides, as the http field's.
      const relayed = new Map<string, (object: Record<string, unknown>) => Result | undefined>();
      const beside = field.path!.includes('.') ? field.path!.slice(0, field.path!.lastIndexOf('.') + 1) : '';
      for (const [v, e] of valuesOf(fieldId)) {
        if (e.relayed_status === undefined) continue;
        const readStatus = compileReader(beside + e.relayed_status);
        const statusResults: Result[] = [];
        relayed.set(v, (object) => {
          const status = relayedStatus(readStatus(object));
          if (status === undefined || !httpEntryOf[status]) return undefined;
          return (statusResults[status] ??= resultFor(httpEntryOf[status]!, outcome, status));
        });
      }
      const message = messagePath(field.path!);
      return {
        read: compileReader(field.path!),
        results,
        ...(byStatus ? { byStatus } : {}),
        ...(relayed.size > 0 ? { relayed } : {}),
        fallback: own.fallback ? resultFor(own.fallback, outcome) : invalid,
        ...(message === undefined ? {} : { message: compileReader(message) }),
      };
    });
  };

  const envelopeOf = (e: Entry): EnvelopeReaders | undefined =>
    e.envelope && {
      status: compileReader(e.envelope.http_status),
      ...(e.envelope.headers ? { headers: compileReader(e.envelope.headers) } : {}),
      body: compileReader(e.envelope.body),
    };

  const partialFor = (fieldId: string): Partial | undefined => {
    const field = contract.fields[fieldId]!;
    const own = byField.get(fieldId)!;
    if (field.role === 'count') {
      const above = own.values.get('>0');
      return above && { count: compileReader(field.path!), result: resultFor(above, above.outcome ?? 'failed') };
    }
    // Only an item status that settles an outcome (failed) is a partial failure; completed and pending ones are not.
    const results = new Map<string, Result>();
    for (const [v, e] of own.values)
      if (e.outcome !== 'completed' && e.outcome !== 'pending') results.set(v, resultFor(e, e.outcome ?? 'failed'));
    return compileFirstListed(field.path!, results);
  };

  // yields_to: the yielded entry's reason fields, keeping the listed values whose result settles an outcome.
  const yieldsFor = (e: Entry): Yield[] | undefined => {
    const target = e.yields_to === undefined ? undefined : entries.find((t) => t.id === e.yields_to);
    if (target === undefined) return undefined;
    const yields = refinementsFor(target).map((r): Yield => {
      const results = new Map<string, Result>();
      for (const [v, result] of r.results)
        if (result.outcome !== 'completed' && result.outcome !== 'pending') results.set(v, result);
      return { read: r.read, results };
    });
    return yields.some((y) => y.results.size > 0) ? yields.filter((y) => y.results.size > 0) : undefined;
  };

  const decisionFor = (e: Entry): Decision => {
    const envelope = envelopeOf(e);
    if (e.delegate) {
      // With a kind of its own, the entry decides when its key holds no object.
      const own = e.kind !== undefined ? resultFor(e, e.outcome ?? 'pending') : undefined;
      return { type: DELEGATE, key: e.delegate, object: unnamedDelegated(e), settled: false, ...(own ? { own } : {}) };
    }
    if (e.refined_by) {
      const refinements = refinementsFor(e);
      if (refinements.length === 0) {
        // Every reason field is excluded by the profile: the first field's fallback still answers.
        const first = byField.get(e.refined_by[0]!)!.fallback;
        return {
          type: RESULT,
          result: first ? resultFor(first, e.outcome ?? 'failed') : invalid,
          settled: true,
          ...(envelope ? { envelope } : {}),
        };
      }
      // A failed or incomplete status settles the outcome of a multi-valued status (step 3) like any other failure.
      return {
        type: REFINE,
        refinements,
        settled: e.outcome !== 'completed' && e.outcome !== 'pending',
        ...(envelope ? { envelope } : {}),
      };
    }
    const outcome = e.outcome ?? 'invalid';
    const settled = outcome !== 'completed' && outcome !== 'pending';
    const result = resultFor(e, outcome);
    const yields = yieldsFor(e);
    const yielding = yields ? { yields } : {};
    if (e.partial_failure) {
      const partial = partialFor(e.partial_failure);
      if (partial) return { type: PARTIAL, result, partial, settled, ...yielding };
    }
    return { type: RESULT, result, settled, ...(envelope ? { envelope } : {}), ...yielding };
  };

  const statusTable = (fieldId: string): StatusTable => {
    const field = contract.fields[fieldId]!;
    const own = byField.get(fieldId)!;
    const byValue = new Map<string, Decision>();
    for (const [v, e] of own.values) byValue.set(v, decisionFor(e));
    const bySuffix = own.suffixes.map(([suffix, e]): [string, Decision] => [suffix, decisionFor(e)]);
    const fallback: Decision = own.fallback
      ? decisionFor(own.fallback)
      : { type: RESULT, result: invalid, settled: true };
    const readAll = compileReadAll(field.path!);
    const reported = field.reported_error;
    const reportedDecision = reported === undefined ? undefined : byValue.get(reported.value);
    const errorObject = field.error_object;
    const errorTypes = errorObject === undefined ? undefined : byField.get(errorObject.types);
    return {
      read: compileReader(field.path!),
      ...(readAll ? { readAll } : {}),
      ...(readAll && field.severity ? { severity: field.severity } : {}),
      ...(readAll && field.filter_results ? { flagged: flaggedBy(field.filter_results) } : {}),
      byValue,
      bySuffix,
      fallback,
      ...(reported !== undefined && reportedDecision !== undefined
        ? { reportedError: { key: reported.key, decision: reportedDecision } }
        : {}),
      ...(errorObject !== undefined && errorTypes !== undefined
        ? { errorObject: { types: new Set(errorTypes.values.keys()), object: errorObject.object } }
        : {}),
    };
  };

  const statusByObject = new Map<string, StatusTable>();
  const statusByKey: [string, StatusTable][] = [];
  const statusByType: [string, Reader[], StatusTable][] = [];
  const statusByListed: Tables['statusByListed'] = [];
  let otherwise: StatusTable | undefined;
  let event: StatusTable | undefined;
  let http: HttpTable | undefined;
  // Field ids in code-unit order: the order key-dispatched fields and http refinements are tried in.
  const fieldIds = Object.keys(contract.fields).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const id of fieldIds) {
    const field = contract.fields[id]!;
    if (field.role === 'status' && field.dispatch?.object !== undefined) {
      const table = statusTable(id);
      for (const name of [field.dispatch.object, ...(field.dispatch.object_aliases ?? [])])
        statusByObject.set(name, table);
    } else if (field.role === 'status' && field.dispatch?.key !== undefined)
      statusByKey.push([field.dispatch.key, statusTable(id)]);
    else if (field.role === 'status' && field.dispatch?.type !== undefined)
      statusByType.push([field.dispatch.type, (field.dispatch.shape ?? []).map(compileReader), statusTable(id)]);
    else if (field.role === 'status' && field.dispatch?.otherwise === true) otherwise = statusTable(id);
    else if (field.role === 'status' && field.dispatch?.listed_by !== undefined) {
      // A reason field the profile excludes selects nothing, as if absent.
      const reason = field.dispatch.listed_by;
      if (!excluded.has(reason))
        statusByListed.push({
          read: compileReader(contract.fields[reason]!.path!),
          listed: new Set(valuesOf(reason).keys()),
          table: statusTable(id),
        });
    } else if (field.role === 'event') event = statusTable(id);
    else if (field.role === 'http') {
      const byStatus: Result[] = [];
      const kindOf: (string | null)[] = [];
      for (let status = 100; status <= HTTP_STATUS_MAX; status++) {
        const entry = httpEntryOf[status];
        if (!entry) continue;
        kindOf[status] = entry.kind ?? null;
        byStatus[status * 2] = resultFor(entry, 'failed', status, false);
        byStatus[status * 2 + 1] = resultFor(entry, 'failed', status, true);
      }
      http = { byStatus, kindOf, entryOf: httpEntryOf, refinements: [] };
    }
  }
  for (const id of fieldIds) {
    const field = contract.fields[id]!;
    if (field.role !== 'http_refinement' || !http || excluded.has(id)) continue;
    const refinement: HttpRefinement = { read: compileReader(field.path!), entries: new Map() };
    for (const [value, entry] of valuesOf(id))
      refinement.entries.set(value, { kind: entry.kind ?? null, entry, results: new Map() });
    http.refinements.push(refinement);
  }
  const step6 = compileHints(contract);
  const headerNames = [SHOULD_RETRY_HEADER, ...hintHeaderNames(contract)];
  const tables = {
    contract,
    version,
    statusByObject,
    statusByKey,
    statusByType,
    statusByListed,
    ...(otherwise ? { otherwise } : {}),
    ...(event ? { event } : {}),
    ...(http ? { http } : {}),
    invalid,
    resultFor,
    bodyHintKeys: bodyHintKeys(contract),
    headerNames,
    headersRead: headersNamed(headerNames),
    ...(step6 ? { step6 } : {}),
  } as Tables;
  return linkClassifiers(tables, compileClassifiers(tables));
}

/**
 * `tables` with `classifiers` (the generated ones, or the interpreter's) in place: bodies known only by their id
 * prefix or shape, and the rest of step 2's last resorts, then its wrappers, are classified around either, the same
 * way.
 */
export function linkClassifiers(tables: Tables, classifiers: Classifiers): Tables {
  tables.body = withWrappers(tables, withUnnamedBodies(tables, classifiers, interpretStatus(tables)));
  tables.arrayBody = (body) => arrayBody(tables, body);
  tables.byObject = classifiers.byObject;
  tables.httpFailure = classifiers.httpFailure;
  tables.holdsBodyHintKey = classifiers.holdsBodyHintKey;
  tables.observe = classifiers.observe;
  return tables;
}

/**
 * `headers` when it is an object with an own key that names one of `names` (lower case; names fold case), else
 * undefined: the steps that read headers (x-should-retry, the delay hints) find nothing in any other value, and
 * most error responses carry none of their headers, so one scan of the names spares both steps theirs.
 */
function headersNamed(names: readonly string[]): (headers: unknown) => unknown {
  const byLength: (Set<string> | undefined)[] = [];
  for (const name of names) (byLength[name.length] ??= new Set()).add(name);
  return (headers) => {
    if (!isPlainObject(headers)) return undefined;
    for (const name in headers) {
      const named = byLength[name.length];
      if (named !== undefined && named.has(name.toLowerCase()) && Object.hasOwn(headers, name)) return headers;
    }
    return undefined;
  };
}

/**
 * Step 2's id prefixes for typed bodies (webhooks without `object`), and its last resorts, for a body the compiled
 * classifier finds invalid; only the invalid path pays for those, a body the compiled classifier names is never
 * looked at again:
 * - an empty `object` (Azure's annotation chunks, some compatible servers) is as no `object`;
 * - a null `object` is an object not named: its id prefix, its shape or the shared status reads it (no event, no key);
 * - a body without `object`, string `type` or dispatch key is named by its id prefix, else by a field's shape, else
 *   the `otherwise` status field reads it (a failure the contract cannot name is still a failure);
 * - a delegating event whose embedded object has no status reads it with the entry's `delegate_status`.
 */
export function withUnnamedBodies(
  tables: Tables,
  { body, byObject }: Pick<Classifiers, 'body' | 'byObject'>,
  statusOf: (table: StatusTable, b: Record<string, unknown>, nested: boolean) => Result,
): BodyClassifier {
  const { contract, invalid } = tables;
  const keys = tables.statusByKey.map(([key]) => key);
  const fieldIds = Object.keys(contract.fields).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const fields = fieldIds.map((id) => contract.fields[id]!).filter((f) => f.role === 'status');
  const prefixes = fields.flatMap((f) =>
    f.dispatch?.object !== undefined && f.dispatch.id_prefix !== undefined
      ? [[f.dispatch.id_prefix, f.dispatch.object] as const]
      : [],
  );
  const shapes = fields.flatMap((f) =>
    f.dispatch?.object !== undefined && f.dispatch.shape !== undefined
      ? [[f.dispatch.shape.map(compileReader), f.dispatch.object] as const]
      : [],
  );
  const otherwise = tables.otherwise;
  // The status key of each dispatched object whose status path is one plain key: where a delegate_status is written.
  const statusKey = new Map(
    fields.flatMap((f) =>
      f.dispatch?.object !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(f.path!)
        ? [f.dispatch.object, ...(f.dispatch.object_aliases ?? [])].map((name) => [name, f.path!] as const)
        : [],
    ),
  );
  const delegating = new Map<string, { key: string; object: string; status: string }>();
  for (const e of contract.entries) {
    if (
      e.delegate !== undefined &&
      e.delegate_status !== undefined &&
      contract.fields[e.field]?.role === 'event' &&
      !isReplaced(e)
    )
      delegating.set(e.value, { key: e.delegate, object: unnamedDelegated(e), status: e.delegate_status });
  }

  /** The object an own string `id` names by its prefix (`resp_`, `evt_`, …), if any. */
  const objectOfId = (b: Record<string, unknown>): string | undefined => {
    const id = Object.hasOwn(b, 'id') ? b.id : undefined;
    return typeof id === 'string' ? prefixes.find(([prefix]) => id.startsWith(prefix))?.[1] : undefined;
  };

  // A body with no `object` (or an empty one), no string `type` and no dispatch key: an object not named, else a
  // provider's flat envelope (step 2.7). A null `object` says the body is an OpenAI object: it never reaches step 2.7.
  const unnamed = (b: Record<string, unknown>, nested: boolean | undefined): Result => {
    for (const key of keys) if (Object.hasOwn(b, key)) return invalid;
    return objectNotNamed(b, nested, true);
  };

  /** A body that is an object the procedure must name: by its id prefix, else its shape, else the shared status;
   *  with `flat`, a body nothing names is last read as a flat envelope (step 2.7). */
  const objectNotNamed = (b: Record<string, unknown>, nested: boolean | undefined, flat = false): Result => {
    const byId = objectOfId(b);
    if (byId !== undefined) return body({ ...b, object: byId }, nested);
    for (const [readers, object] of shapes)
      if (readers.some((read) => read(b) !== undefined)) return body({ ...b, object }, nested);
    // Only a body that has a status: an empty or status-less body stays the observation's invalid result.
    if (otherwise !== undefined && otherwise.read(b) !== undefined) return statusOf(otherwise, b, nested ?? false);
    // Nothing names the body: a flat envelope whose code a listed_by field lists (step 2.7), else invalid.
    return (flat ? listedCode(b, nested) : undefined) ?? invalid;
  };

  /**
   * Step 2.7: a provider's own flat envelope, named only by a code its listed_by field lists (a key as common as
   * `code` holds other APIs' values too, which select nothing); undefined when no such field lists the body's value.
   */
  const listedCode = (b: Record<string, unknown>, nested: boolean | undefined): Result | undefined => {
    for (const { read, listed, table } of tables.statusByListed) {
      const s = codeString(read(b));
      if (s !== undefined && listed.has(s)) return statusOf(table, b, nested ?? false);
    }
    return undefined;
  };

  return (b, nested) => {
    const named = b.object;
    // A body that names its object (the commonest) is that object's, whatever it gives: no last resort applies.
    if (typeof named === 'string' && named !== '') return byObject(named, b, nested);
    // A typed body whose own id has a known prefix is that object, not a stream event (a webhook without `object`).
    if (named === undefined && typeof b.type === 'string') {
      const byId = objectOfId(b);
      if (byId !== undefined) return body({ ...b, object: byId }, nested);
    }
    const result = body(b, nested);
    if (result.outcome !== 'invalid') return result;
    const o = named;
    if (o === '') {
      const rest: Record<string, unknown> = {};
      for (const k of Object.keys(b)) if (k !== 'object') put(rest, k, b[k]);
      const again = body(rest, nested);
      return again === invalid && typeof rest.type !== 'string' ? unnamed(rest, nested) : again;
    }
    // A null `object` (a gateway's chunk built with `object: null`) names no object, yet says the body is one: it is
    // named by its id prefix or shape, or read by the shared status, never as a stream event or a keyed body.
    if (o === null) {
      const rest: Record<string, unknown> = {};
      for (const k of Object.keys(b)) if (k !== 'object') put(rest, k, b[k]);
      return objectNotNamed(rest, nested);
    }
    if (o === undefined) {
      const type = b.type;
      if (typeof type !== 'string') return result === invalid ? unnamed(b, nested) : result;
      const d = delegating.get(type);
      const inner = d !== undefined && Object.hasOwn(b, d.key) ? b[d.key] : undefined;
      if (d === undefined || !isPlainObject(inner)) return result;
      const name = typeof inner.object === 'string' ? inner.object : d.object;
      const key = statusKey.get(name);
      if (key === undefined || (inner[key] !== undefined && inner[key] !== null)) return result;
      const filled: Record<string, unknown> = { ...inner };
      put(filled, key, d.status);
      const withStatus: Record<string, unknown> = { ...b };
      put(withStatus, d.key, filled);
      return body(withStatus, nested);
    }
    return result;
  };
}
