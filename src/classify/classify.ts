// classify(): the decision procedure of spec/PROCEDURE.md, step by step. Pure, total, deterministic.
import type { Contract, Result } from '../../generated/types.js';
import { publishedContract } from '../contract.js';
import { classifyHttp } from './http.js';
import { buildTables, type Tables } from './tables.js';

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
  if (
    options === undefined ||
    (options.contract === undefined && (options.profile === undefined || options.profile === 'default'))
  ) {
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

/**
 * Classifies one observation: an envelope `{http_status, headers?, body?}` or a bare body seen with HTTP 200.
 * Never throws for any input; the result object is frozen and may be shared between calls.
 *
 * The procedure is defined on JSON values. Any other value gets a result too, never an exception: an exception
 * thrown while reading it (a getter, a Proxy trap) gives the `invalid` result. For such values which properties are
 * read is not specified (reads are plain property reads: getters run and most inherited properties are seen);
 * classify a JSON copy (`JSON.parse(JSON.stringify(x))`) to get the result of what goes over the wire.
 */
export function classify(observation: unknown, options?: ClassifyOptions): Result {
  const tables = options === undefined ? (defaultTables ??= buildTables(publishedContract())) : tablesFor(options);
  try {
    return classifyWith(tables, observation);
  } catch {
    // Only a value that is not JSON can throw here (a throwing getter or Proxy trap): it is not an observation.
    return tables.invalid;
  }
}

export function classifyWith(tables: Tables, observation: unknown): Result {
  if (typeof observation !== 'object' || observation === null || Array.isArray(observation)) return tables.invalid;
  const o = observation as Json;
  const status = o.http_status;
  if (status === undefined) {
    // A body that names its object (the commonest observation) goes to that object's status field at once.
    const named = o.object;
    return typeof named === 'string' && named !== '' ? tables.byObject(named, o, false) : tables.body(o, false);
  }
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return tables.invalid;
  return classifyEnvelope(tables, status, o);
}

/** An envelope `o` with an HTTP status: step 1, then the delay hints. */
function classifyEnvelope(tables: Tables, status: number, o: Json): Result {
  // Headers none of whose names a step reads are as no headers: each step below then skips its own scan of them.
  const headers = tables.headersRead(o.headers);
  const body = o.body;
  const result = classifyHttp(tables, status, headers, body, false);
  // Only an envelope can carry a delay hint (headers, its error body): hints.ts adds it to the result, a step of its
  // own with a fast exit for an envelope that holds nothing any hint reads.
  return tables.hints === undefined ? result : tables.hints(result, headers, body, tables.holdsBodyHintKey);
}
