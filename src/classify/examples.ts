// For every entry, an observation that the procedure must classify by that entry, and the entry that must decide,
// both derived from the data alone: the oracle the tests check classify() against (the conformance vectors take
// their expected results from classify() itself, so they cannot serve as one).
import type { Contract, Entry } from '../../generated/types.js';
import { contractIndex, dispatchingBody, valueSelecting } from '../contract-index.js';
import { readPath, setAtPath, withValueAt } from '../field-path.js';
import type { PlainObject as Json } from '../plain-object.js';

export interface EntryExample {
  entry: Entry;
  observation: unknown;
  /** The entry whose result the observation must produce (a deferring entry is decided by a fallback). */
  decidedBy: string;
  /** The outcome the result must have. */
  outcome: string;
}

export function entryExamples(contract: Contract): EntryExample[] {
  const index = contractIndex(contract);
  const { live, fallbackOf, hostsOf } = index;
  const fields = contract.fields;
  const settles = (outcome: string | undefined) => outcome !== 'completed' && outcome !== 'pending';

  /** A body that selects a status or event entry: its dispatch (object, key or type) and its value at the field's path. */
  const selecting = (statusEntry: Entry): Json => {
    const field = fields[statusEntry.field]!;
    return withValueAt(dispatchingBody(field), field.path!, valueSelecting(statusEntry));
  };

  /** A completed object for a delegating entry: the dispatched object its key holds. */
  const innerFor = (entry: Entry): Entry | undefined => {
    const named = index.delegatedObjectOf(entry);
    return live.find((e) => fields[e.field]?.dispatch?.object === named && e.outcome === 'completed');
  };

  const examples: EntryExample[] = [];
  const reasonExample = (entry: Entry, host: Entry, via: string): EntryExample => {
    const observation = withValueAt(selecting(host), fields[via]!.path!, valueSelecting(entry));
    const decidedBy = entry.value === '*' ? fallbackOf(via)!.id : entry.id;
    return { entry, observation, decidedBy, outcome: entry.outcome ?? host.outcome! };
  };
  for (const entry of live) {
    const field = fields[entry.field]!;
    const value = valueSelecting(entry);
    switch (field.role) {
      case 'observation':
        examples.push({ entry, observation: 42, decidedBy: entry.id, outcome: entry.outcome! });
        break;
      case 'status':
      case 'event': {
        const listedBy = field.dispatch?.listed_by;
        if (entry.refined_by && listedBy !== undefined) {
          // A flat envelope (listed_by) is selected only by a value its reason field lists, which then decides.
          const listed = index.firstListedOf(listedBy);
          if (!listed) break;
          const observation = withValueAt(dispatchingBody(field), fields[listedBy]!.path!, listed.value);
          examples.push({ entry, observation, decidedBy: listed.id, outcome: listed.outcome ?? entry.outcome! });
        } else if (entry.refined_by) {
          // No reason field lists the value selecting the entry, so a fallback decides: that of the first reason
          // field that holds a string there (a reason read at the status's own path holds it), else the first's.
          const observation = selecting(entry);
          const holder =
            entry.refined_by.find((id) => typeof readPath(observation, fields[id]!.path!) === 'string') ??
            entry.refined_by[0]!;
          examples.push({ entry, observation, decidedBy: fallbackOf(holder)!.id, outcome: entry.outcome! });
        } else if (entry.delegate && entry.kind === undefined) {
          const inner = innerFor(entry);
          if (!inner) break;
          examples.push({
            entry,
            observation: { ...selecting(entry), [entry.delegate]: selecting(inner) },
            decidedBy: inner.id,
            outcome: 'completed',
          });
        } else {
          // A deciding entry (with a delegate, its own result answers when the key holds no object).
          examples.push({
            entry,
            observation: selecting(entry),
            decidedBy: entry.id,
            outcome: entry.outcome ?? 'pending',
          });
        }
        break;
      }
      case 'count':
      case 'items': {
        const status = index.partialHostsOf(entry.field)[0];
        if (!status) break;
        const observation = withValueAt(selecting(status), field.path!, field.role === 'count' ? 3 : value);
        if (field.role === 'items' && !settles(entry.outcome))
          examples.push({ entry, observation, decidedBy: status.id, outcome: status.outcome! });
        else examples.push({ entry, observation, decidedBy: entry.id, outcome: entry.outcome! });
        break;
      }
      case 'reason':
      case 'vocabulary': {
        // The first host through which this entry decides: a field that lists the value itself shadows a vocabulary.
        const host = hostsOf(entry.field).find(
          ({ via }) => via === entry.field || !live.some((e) => e.field === via && e.value === entry.value),
        );
        if (host) {
          examples.push(reasonExample(entry, host.host, host.via));
          break;
        }
        if (field.role === 'vocabulary' && typeof entry.http_status === 'number') {
          const error: Json = { message: 'example', type: 'example', param: null, code: null };
          const refinement = index.sharersOf(entry.field).find((id) => fields[id]!.role === 'http_refinement');
          if (refinement) setAtPath(error, fields[refinement]!.path!, entry.value);
          examples.push({
            entry,
            observation: { http_status: entry.http_status, body: { error } },
            decidedBy: entry.id,
            outcome: 'failed',
          });
        }
        break;
      }
      case 'http': {
        const status = entry.value === '>=500' ? 503 : entry.value === '*' ? 418 : Number(entry.value);
        examples.push({
          entry,
          observation: {
            http_status: status,
            body: { error: { message: 'example', type: 'example', param: null, code: null } },
          },
          decidedBy: entry.id,
          outcome: 'failed',
        });
        break;
      }
      case 'http_refinement': {
        if (entry.http_status === null || entry.http_status === undefined) break;
        examples.push({
          entry,
          observation: {
            http_status: entry.http_status,
            body: { error: { message: 'example', type: 'example', param: null, code: entry.value } },
          },
          decidedBy: entry.id,
          outcome: 'failed',
        });
        break;
      }
    }
  }
  return examples;
}
