// explain(): what an entry (or a result) means for a person, from the published contract: the entry's summary and
// remedy, and the action with its meaning. An application shows this without shipping the contract itself.
import type { ActionId, Contract, Entry, Result } from '../generated/types.js';
import { publishedContract } from './contract.js';

export interface Explanation {
  /** The entry id explained. */
  entry: string;
  /** What happened. */
  summary: string;
  /** What to do about it, in the entry's own words. */
  remedy: string;
  /** The action (an id of the contract's `actions`); null for an entry that never decides (its reason fields do). */
  action: ActionId | null;
  /** The action's summary and meaning; null with a null action. */
  action_summary: string | null;
  action_meaning: string | null;
}

export interface ExplainOptions {
  /** Another contract (e.g. an older release); default: the published one. */
  contract?: Contract;
}

const indexes = new WeakMap<Contract, Map<string, Entry>>();

function entryOf(contract: Contract, id: string): Entry | undefined {
  let index = indexes.get(contract);
  if (!index) indexes.set(contract, (index = new Map(contract.entries.map((e) => [e.id, e]))));
  return index.get(id);
}

/**
 * The summary, remedy and action of an entry id, or of a classify() result (whose own action counts: a server delay
 * beyond the horizon or x-should-retry may have changed it from the entry's). Undefined for an id the contract does
 * not have.
 */
export function explain(
  entryOrResult: string | Pick<Result, 'entry' | 'action'>,
  options: ExplainOptions = {},
): Explanation | undefined {
  const contract = options.contract ?? publishedContract();
  const id = typeof entryOrResult === 'string' ? entryOrResult : entryOrResult?.entry;
  if (typeof id !== 'string') return undefined;
  const entry = entryOf(contract, id);
  if (!entry) return undefined;
  const action = (typeof entryOrResult === 'string' ? entry.action : entryOrResult.action) ?? null;
  const described = action === null ? undefined : contract.actions?.[action];
  return {
    entry: entry.id,
    summary: entry.summary,
    remedy: entry.remedy,
    action: described ? (action as ActionId) : null,
    action_summary: described?.summary ?? null,
    action_meaning: described?.meaning ?? null,
  };
}
