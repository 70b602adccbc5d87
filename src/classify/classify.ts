// classify(): the decision procedure of spec/PROCEDURE.md, step by step. Pure, total, deterministic.
import type { Contract, Result } from '../../generated/types.js';
import { publishedContract } from '../contract.js';
import { buildTables, DELEGATE, PARTIAL, REFINE, RESULT, type Decision, type StatusTable, type Tables } from './tables.js';

export interface ClassifyOptions {
  /** A profile of contract.profiles, or "default" (the default). */
  profile?: string;
  /** Classify against another contract (e.g. an older release); default: the published one. */
  contract?: Contract;
}

type Json = Record<string, unknown>;

const tablesCache = new WeakMap<Contract, Map<string, Tables>>();
let defaultTables: Tables | undefined;

export function tablesFor(options?: ClassifyOptions): Tables {
  if (options === undefined || (options.contract === undefined && (options.profile === undefined || options.profile === 'default'))) {
    return (defaultTables ??= buildTables(publishedContract()));
  }
  const contract = options.contract ?? publishedContract();
  const profile = options.profile ?? 'default';
  let perProfile = tablesCache.get(contract);
  if (!perProfile) tablesCache.set(contract, (perProfile = new Map()));
  let tables = perProfile.get(profile);
  if (!tables) perProfile.set(profile, (tables = buildTables(contract, profile)));
  return tables;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Steps 3 and 4: the decision a status value leads to, applied to the object. */
function decide(tables: Tables, decision: Decision, object: Json): Result {
  switch (decision.type) {
    case RESULT:
      return decision.result;
    case REFINE: {
      // The first exact match decides; else the fallback of the first field holding a value, else of the first.
      let fallback: Result | undefined;
      const refinements = decision.refinements;
      for (let i = 0; i < refinements.length; i++) {
        const r = refinements[i]!;
        const value = r.read(object);
        if (typeof value === 'string') {
          const match = r.results.get(value);
          if (match !== undefined) return match;
          fallback ??= r.fallback;
        }
      }
      return fallback ?? decision.refinements[0]!.fallback;
    }
    case PARTIAL: {
      const count = decision.readCount(object);
      return typeof count === 'number' && count > 0 ? decision.partial : decision.result;
    }
    case DELEGATE: {
      // Step 5: one level deep, and only into an object the contract dispatches.
      const inner = object[decision.key];
      if (!isObject(inner)) return tables.invalid;
      const name = inner.object;
      const status = tables.statusByObject.get(name === undefined ? decision.key : typeof name === 'string' ? name : '');
      return status ? classifyStatus(tables, status, inner) : tables.invalid;
    }
  }
}

/** Step 3: a status field. */
function classifyStatus(tables: Tables, table: StatusTable, object: Json): Result {
  if (table.readAll) {
    // Several values (chat choices): the first that settles the outcome decides, else the first.
    let first: Decision | undefined;
    for (const value of table.readAll(object)) {
      const d = (typeof value === 'string' ? table.byValue.get(value) : undefined) ?? table.fallback;
      if (d.settled) return decide(tables, d, object);
      first ??= d;
    }
    return decide(tables, first ?? table.fallback, object);
  }
  const value = table.read(object);
  const decision = (typeof value === 'string' ? table.byValue.get(value) : undefined) ?? table.fallback;
  return decide(tables, decision, object);
}

/** Step 2: a bare body. */
// `object`, `type` and `http_status` are not Object.prototype members: plain reads see own keys only (a JSON
// `"__proto__"` key is an own key, never a prototype), so no hasOwn is needed on the hot path.
function classifyBody(tables: Tables, body: unknown): Result {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return tables.invalid;
  return classifyObject(tables, body as Json);
}

function classifyObject(tables: Tables, body: Json): Result {
  const object = body.object;
  if (typeof object === 'string') {
    const status = tables.statusByObject.get(object);
    return status !== undefined ? classifyStatus(tables, status, body) : tables.invalid;
  }
  if (object === undefined && tables.event !== undefined && typeof body.type === 'string') {
    const event = tables.event;
    return decide(tables, event.byValue.get(body.type) ?? event.fallback, body);
  }
  return tables.invalid;
}

function shouldRetryHeader(headers: unknown): boolean | undefined {
  if (!isObject(headers)) return undefined;
  for (const name in headers) {
    if (name.length === 14 && Object.hasOwn(headers, name) && name.toLowerCase() === 'x-should-retry') {
      const value = headers[name];
      if (value === 'true') return true;
      if (value === 'false') return false;
    }
  }
  return undefined;
}

/** Step 1: an HTTP error response. */
function classifyHttpError(tables: Tables, status: number, envelope: Json): Result {
  const http = tables.http;
  if (http === undefined || http.entryOf[status] === undefined) return tables.invalid;
  const header = envelope.headers === undefined ? undefined : shouldRetryHeader(envelope.headers);
  const body = envelope.body;
  if (http.refinements.size > 0 && isObject(body)) {
    const error = body.error;
    const code = isObject(error) ? error.code : body.code;
    const refinement = typeof code === 'string' ? http.refinements.get(code) : undefined;
    if (refinement !== undefined && refinement.kind === http.kindOf[status]) {
      const retry = header ?? refinement.entry.retryable ?? false;
      const key = status * 2 + (retry ? 1 : 0);
      let result = refinement.results.get(key);
      if (result === undefined) refinement.results.set(key, (result = tables.resultFor(refinement.entry, 'failed', status, retry)));
      return result;
    }
  }
  const retry = header ?? http.entryOf[status]!.retryable ?? false;
  return http.byStatus[status * 2 + (retry ? 1 : 0)]!;
}

/**
 * Classifies one observation: an envelope `{http_status, headers?, body?}` or a bare body seen with HTTP 200.
 * Never throws for any input; the result object is frozen and may be shared between calls.
 */
export function classify(observation: unknown, options?: ClassifyOptions): Result {
  return classifyWith(options === undefined ? (defaultTables ??= buildTables(publishedContract())) : tablesFor(options), observation);
}

export function classifyWith(tables: Tables, observation: unknown): Result {
  if (typeof observation !== 'object' || observation === null || Array.isArray(observation)) return tables.invalid;
  const o = observation as Json;
  const status = o.http_status;
  if (status === undefined) return classifyObject(tables, o);
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return tables.invalid;
  if (status >= 200 && status < 300) return o.body !== undefined ? classifyBody(tables, o.body) : tables.invalid;
  return classifyHttpError(tables, status, o);
}
