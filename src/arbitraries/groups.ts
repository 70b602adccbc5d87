// The groups of observations (the conformance vectors' groups, which schemas/vector.schema.json names) and which
// group an observation belongs to, read from its shape the way spec/PROCEDURE.md dispatches it.
import type { Group } from '../../generated/conformance-types.js';
import type { Contract } from '../../generated/types.js';
import { contractIndex } from '../contract-index.js';
import { isPlainObject, type PlainObject } from '../plain-object.js';
import { readSchemaFile } from '../schema-files.js';

export type { Group };

/** The groups in the order of the vector schema, which defines them. */
export const GROUPS: readonly Group[] = Object.freeze(
  (readSchemaFile('vector.schema.json') as unknown as { $defs: { group: { enum: Group[] } } }).$defs.group.enum,
);

const own = (object: PlainObject, key: string): unknown => (Object.hasOwn(object, key) ? object[key] : undefined);

/** The object name whose bodies make up the `responses` group; every other known object is an async resource. */
const RESPONSE_OBJECT = 'response';

function groupOfBody(objects: ReadonlyMap<string, string>, keys: readonly string[], body: unknown): Group {
  if (!isPlainObject(body)) return 'robustness';
  const object = own(body, 'object');
  if (typeof object === 'string') {
    if (!objects.has(object)) return 'robustness';
    return object === RESPONSE_OBJECT ? 'responses' : 'async-resources';
  }
  if (object === undefined && typeof own(body, 'type') === 'string') return 'streams';
  // A body the procedure dispatches on one of its keys: a batch line, an Assistants event, an error body.
  if (object === undefined && keys.some((key) => Object.hasOwn(body, key))) return 'async-resources';
  return 'robustness';
}

/**
 * The group of an observation: `http` for a non-2xx envelope, the group of the body for a 2xx one or a bare body,
 * and `robustness` for anything the procedure rejects as invalid at dispatch.
 */
export function groupOf(contract: Contract, observation: unknown): Group {
  const { statusFieldByObject: objects, dispatchedKeys: keys } = contractIndex(contract);
  if (isPlainObject(observation) && Object.hasOwn(observation, 'http_status')) {
    const status = observation.http_status;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 999) return 'robustness';
    if (status >= 200 && status < 300)
      return Object.hasOwn(observation, 'body') ? groupOfBody(objects, keys, observation.body) : 'robustness';
    return 'http';
  }
  return groupOfBody(objects, keys, observation);
}
