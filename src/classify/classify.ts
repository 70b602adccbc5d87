// classify(): the decision procedure of spec/PROCEDURE.md, step by step. Pure, total, deterministic.
import type { Contract, Result } from '../../generated/types.js';
import { publishedContract } from '../contract.js';
import { buildTables, type Tables } from './tables.js';

export interface ClassifyOptions {
  /** A profile of contract.profiles, or "default" (the default). */
  profile?: string;
  /** Classify against another contract (e.g. an older release); default: the published one. */
  contract?: Contract;
}

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

/** classify() with these tables, without its guard: may throw only for a value that is not JSON. */
export function classifyWith(tables: Tables, observation: unknown): Result {
  return tables.observe(observation);
}
