// classify(): the decision procedure of spec/PROCEDURE.md, step by step. Pure, total, deterministic.
import type { Contract, Entry, Result } from '../../generated/types.js';
import { publishedContract } from '../contract.js';
import { buildTables, resultFor, type FieldTable, type Tables } from './tables.js';

export interface ClassifyOptions {
  /** A profile of contract.profiles, or "default" (the default). */
  profile?: string;
  /** Classify against another contract (e.g. an older release); default: the published one. */
  contract?: Contract;
}

type Json = Record<string, unknown>;

const tablesCache = new WeakMap<Contract, Map<string, Tables>>();

export function tablesFor(options?: ClassifyOptions): Tables {
  const contract = options?.contract ?? publishedContract();
  const profile = options?.profile ?? 'default';
  let perProfile = tablesCache.get(contract);
  if (!perProfile) tablesCache.set(contract, (perProfile = new Map()));
  let tables = perProfile.get(profile);
  if (!tables) perProfile.set(profile, (tables = buildTables(contract, profile)));
  return tables;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(object: Json, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Values at a compiled path, in order (one value unless the path reads an array). */
function readAll(root: unknown, table: FieldTable): unknown[] {
  let current: unknown[] = [root];
  for (const { key, each } of table.path) {
    const next: unknown[] = [];
    for (const value of current) {
      if (!isObject(value)) continue;
      const child = own(value, key);
      if (each) {
        if (Array.isArray(child)) for (const item of child) next.push(item);
      } else if (child !== undefined) next.push(child);
    }
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

function readOne(root: unknown, table: FieldTable): unknown {
  let value = root;
  for (const { key, each } of table.path) {
    if (!isObject(value)) return undefined;
    value = own(value, key);
    if (each) value = Array.isArray(value) ? value.find((v) => v !== undefined && v !== null) : undefined;
  }
  return value;
}

function lookup(table: FieldTable, value: unknown): Entry | undefined {
  if (typeof value !== 'string') return undefined;
  return table.byValue.get(value) ?? (table.shared ? lookup(table.shared, value) : undefined);
}

/** Step 4: the reason fields of a deferring entry decide. */
function refine(tables: Tables, entry: Entry, object: Json): Result {
  const outcome = entry.outcome ?? 'failed';
  let fallbackField: FieldTable | undefined;
  let firstField: FieldTable | undefined;
  for (const id of entry.refined_by!) {
    const field = tables.fields.get(id)!;
    if (field.excluded) continue;
    firstField ??= field;
    const value = readOne(object, field);
    const match = lookup(field, value);
    if (match) return resultFor(tables, match, outcome);
    if (typeof value === 'string') fallbackField ??= field;
  }
  const fallback = (fallbackField ?? firstField ?? tables.fields.get(entry.refined_by![0]!)!).fallback;
  return fallback ? resultFor(tables, fallback, outcome) : tables.invalid;
}

/** Step 3: a status field decides, defers to its reason fields, or to a count of partial failures. */
function classifyStatus(tables: Tables, field: FieldTable, object: Json): Result {
  let entry: Entry | undefined;
  let first: Entry | undefined;
  for (const value of readAll(object, field)) {
    const found = lookup(field, value) ?? field.fallback;
    if (!found) continue;
    first ??= found;
    if (found.outcome !== 'completed' && found.outcome !== 'pending') {
      entry = found;
      break;
    }
  }
  entry ??= first ?? field.fallback;
  if (!entry) return tables.invalid;
  if (entry.refined_by) return refine(tables, entry, object);
  if (entry.partial_failure) {
    const count = tables.fields.get(entry.partial_failure)!;
    const n = readOne(object, count);
    if (typeof n === 'number' && n > 0 && count.byValue.has('>0')) {
      const partial = count.byValue.get('>0')!;
      return resultFor(tables, partial, partial.outcome ?? 'failed');
    }
  }
  return resultFor(tables, entry, entry.outcome ?? 'invalid');
}

/** Step 5: stream events. */
function classifyEvent(tables: Tables, event: Json, type: string): Result {
  const field = tables.event!;
  const entry = field.byValue.get(type) ?? field.fallback;
  if (!entry) return tables.invalid;
  if (entry.delegate) {
    const inner = own(event, entry.delegate);
    if (!isObject(inner)) return tables.invalid;
    const object = own(inner, 'object');
    // A nested object without an `object` key is read as the kind its key names (a `response`).
    const status = tables.statusByObject.get(typeof object === 'string' ? object : entry.delegate);
    return status && (object === undefined || typeof object === 'string') ? classifyStatus(tables, status, inner) : tables.invalid;
  }
  if (entry.refined_by) return refine(tables, entry, event);
  return resultFor(tables, entry, entry.outcome ?? 'pending');
}

/** Step 2: a bare body. */
function classifyBody(tables: Tables, body: unknown): Result {
  if (!isObject(body)) return tables.invalid;
  const object = own(body, 'object');
  if (typeof object === 'string') {
    const status = tables.statusByObject.get(object);
    return status ? classifyStatus(tables, status, body) : tables.invalid;
  }
  if (object === undefined && tables.event) {
    const type = own(body, 'type');
    if (typeof type === 'string') return classifyEvent(tables, body, type);
  }
  return tables.invalid;
}

function shouldRetryHeader(headers: unknown): boolean | undefined {
  if (!isObject(headers)) return undefined;
  for (const name of Object.keys(headers)) {
    if (name.length === 14 && name.toLowerCase() === 'x-should-retry') {
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
  if (!http) return tables.invalid;
  const byStatus = http.byValue.get(String(status)) ?? (status >= 500 ? http.byValue.get('>=500') : undefined) ?? http.fallback;
  if (!byStatus) return tables.invalid;
  let entry = byStatus;
  const refinement = tables.httpRefinement;
  if (refinement && !refinement.excluded) {
    const body = own(envelope, 'body');
    if (isObject(body)) {
      const error = own(body, 'error');
      const code = isObject(error) ? own(error, 'code') : own(body, 'code');
      const refined = lookup(refinement, code);
      if (refined && refined.kind === byStatus.kind) entry = refined;
    }
  }
  const header = shouldRetryHeader(own(envelope, 'headers'));
  return resultFor(tables, entry, 'failed', status, header ?? entry.retryable ?? false);
}

/**
 * Classifies one observation: an envelope `{http_status, headers?, body?}` or a bare body seen with HTTP 200.
 * Never throws for any input; the result object is frozen and may be shared between calls.
 */
export function classify(observation: unknown, options?: ClassifyOptions): Result {
  const tables = tablesFor(options);
  return classifyWith(tables, observation);
}

export function classifyWith(tables: Tables, observation: unknown): Result {
  if (isObject(observation) && Object.hasOwn(observation, 'http_status')) {
    const status = observation.http_status;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return tables.invalid;
    if (status >= 200 && status < 300) {
      return Object.hasOwn(observation, 'body') ? classifyBody(tables, observation.body) : tables.invalid;
    }
    return classifyHttpError(tables, status, observation);
  }
  return classifyBody(tables, observation);
}
