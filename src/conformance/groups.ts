// Which vector group an observation belongs to, read from its shape the way spec/PROCEDURE.md dispatches it.
import type { Contract } from '../../generated/types.js';
import type { Group } from './schemas.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const own = (object: Json, key: string): unknown => (Object.hasOwn(object, key) ? object[key] : undefined);

/** The object name whose bodies make up the `responses` group; every other known object is an async resource. */
const RESPONSE_OBJECT = 'response';

const objectsCache = new WeakMap<Contract, Set<string>>();
/** The object names the contract dispatches on (its status fields' `dispatch.object`). */
export function dispatchedObjects(contract: Contract): Set<string> {
  let objects = objectsCache.get(contract);
  if (!objects) {
    objects = new Set(Object.values(contract.fields).flatMap((f) => (f.dispatch?.object !== undefined ? [f.dispatch.object, ...(f.dispatch.object_aliases ?? [])] : [])));
    objectsCache.set(contract, objects);
  }
  return objects;
}

const keysCache = new WeakMap<Contract, string[]>();
/** The keys the contract dispatches bodies without `object` on (its status fields' `dispatch.key`). */
function dispatchedKeys(contract: Contract): string[] {
  let keys = keysCache.get(contract);
  if (!keys) {
    keys = Object.values(contract.fields).flatMap((f) => (f.dispatch?.key !== undefined ? [f.dispatch.key] : []));
    keysCache.set(contract, keys);
  }
  return keys;
}

function groupOfBody(objects: Set<string>, keys: string[], body: unknown): Group {
  if (!isObject(body)) return 'robustness';
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
  const objects = dispatchedObjects(contract);
  const keys = dispatchedKeys(contract);
  if (isObject(observation) && Object.hasOwn(observation, 'http_status')) {
    const status = observation.http_status;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return 'robustness';
    if (status >= 200 && status < 300) return Object.hasOwn(observation, 'body') ? groupOfBody(objects, keys, observation.body) : 'robustness';
    return 'http';
  }
  return groupOfBody(objects, keys, observation);
}
