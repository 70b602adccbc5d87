// The emulator's scenarios: one per contract entry of the object a job plays (a Response: its status, the reasons a
// status defers to, the stream events and their reasons; a batch, fine-tuning job or vector-store file: its status,
// its reasons and its partial failures) and of HTTP errors, derived from contract.json so that a new entry is a new
// scenario without a line changed here.
import type { Contract, Entry } from '../../generated/types.js';
import { contractIndex, valueSelecting } from '../contract-index.js';
import { setAtPath, withValueAt } from '../field-path.js';
import type { PlainObject as Json } from '../plain-object.js';

/** The object whose lifecycle the Responses routes play: a Response of the Responses API. */
export const OBJECT = 'response';

/** The fields a job's state sets on its object: the status, and whatever says why it ended so. */
export type State = { status: string } & Json;

/** A Response's state at any point of its course (queued, running, final): its status and why it ended so. */
export interface ResponseState extends State {
  error: Json | null;
  incomplete_details: Json | null;
}

/** The API's error object of an HTTP error body. */
export interface ApiError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export interface Scenario {
  /** The contract entry id (`metadata.scenario`); `null` for the default, a success. */
  id: string | null;
  entry: Entry | null;
  final: State;
  /**
   * The last event of a stream, when the scenario names one: a lifecycle event type (`response.created`) or a whole
   * event (`{"type": "error", "code": …}`). Otherwise a stream ends with the lifecycle event of the final status.
   */
  lastEvent?: string | Json;
  /** An HTTP error answered instead of the job's first polls (and by every synchronous create). */
  fault?: { status: number; error: ApiError };
}

/** The status literals of an API's lifecycle that the emulator itself moves jobs through. */
export interface StatusLiterals {
  completed: string;
  running: string;
  cancelled: string;
  failed: string;
}

export interface Catalogue {
  /** The contract's dispatch object of the jobs (`response`, `batch`, …). */
  object: string;
  /** Status values the emulator itself moves jobs through. */
  statuses: StatusLiterals & { pending: Set<string> };
  /** The fields every state has beside its status (a Response's `error` and `incomplete_details`, null). */
  blank: Json;
  /** Event types the contract lists (`response.completed`, `error`, …). */
  events: Set<string>;
  success: Scenario;
  scenarios: Map<string, Scenario>;
}

/** The `type` of an HTTP error body, as the API sends it for each class of status (research: HTTP error bodies). */
function errorType(status: number): string {
  if (status >= 500) return 'server_error';
  if (status === 429) return 'requests';
  return 'invalid_request_error';
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`error-contract serve: the contract has no ${what}`);
  return value;
}

/** The count a count entry stands for: `>0` is 1, a number itself. */
function countOf(e: Entry): number | undefined {
  const above = /^>(\d+)$/.exec(e.value);
  if (above) return Number(above[1]) + 1;
  return /^\d+$/.test(e.value) ? Number(e.value) : undefined;
}

/** `base` with `value` written at `path`; a failure's reason also gets a message beside it, as API errors have. */
function withReason(base: Json, path: string, value: string | null, message: string | undefined): Json {
  const object = withValueAt(base, path, value);
  if (message !== undefined) setAtPath(object, [...path.split('.').slice(0, -1), 'message'].join('.'), message);
  return object;
}

/** What the derivations share: the contract, and the catalogue's scenarios (the first derivation of an id wins). */
class Scenarios {
  readonly scenarios = new Map<string, Scenario>();
  constructor(readonly contract: Contract) {}

  entriesOf(field: string): readonly Entry[] {
    return contractIndex(this.contract).matchedEntriesOf(field);
  }

  add(scenario: Omit<Scenario, 'entry'> & { id: string }, entry: Entry): void {
    if (!this.scenarios.has(scenario.id)) this.scenarios.set(scenario.id, { ...scenario, entry });
  }

  /** The status field the contract dispatches `object` to. */
  statusField(object: string): string {
    return need(contractIndex(this.contract).statusFieldByObject.get(object), `status field for "${object}"`);
  }

  /** The API's lifecycle literals, each checked to be a status the contract lists with the outcome it has. */
  statuses(statusField: string, literals: StatusLiterals): Catalogue['statuses'] {
    const entries = this.entriesOf(statusField).filter((e) => e.value !== '*');
    const status = (value: string, outcome: string): string => {
      if (entries.find((e) => e.value === value)?.outcome !== outcome)
        throw new Error(`error-contract serve: the contract has no ${outcome} status "${value}" in ${statusField}`);
      return value;
    };
    return {
      completed: status(literals.completed, 'completed'),
      running: status(literals.running, 'pending'),
      cancelled: status(literals.cancelled, 'cancelled'),
      failed: status(literals.failed, 'failed'),
      pending: new Set(entries.filter((e) => e.outcome === 'pending').map((e) => e.value)),
    };
  }

  /**
   * The status field's scenarios: each value is a final state (a deferring status, such as failed, is left to its
   * fallbacks); each reason a status defers to is that status with the reason written at the reason field's path;
   * each partial-failure count is the completed status with that count. A reason that several statuses defer to
   * (another provider's FAILED beside the API's failed) is the API's own `failed` status's: its statuses go first.
   */
  lifecycle(statusField: string, blank: Json, failed: string): void {
    const fields = this.contract.fields;
    const state = (value: string): State => ({ ...structuredClone(blank), status: value });
    const statusEntries = this.entriesOf(statusField);
    for (const entry of statusEntries) this.add({ id: entry.id, final: state(valueSelecting(entry)) }, entry);
    const apiFirst = [...statusEntries].sort((a, b) => Number(b.value === failed) - Number(a.value === failed));
    for (const statusEntry of apiFirst) {
      for (const fieldId of statusEntry.refined_by ?? []) {
        for (const reason of this.entriesOf(fieldId)) {
          const message = statusEntry.outcome === 'failed' ? reason.summary : undefined;
          this.add(
            {
              id: reason.id,
              final: withReason(
                state(statusEntry.value),
                fields[fieldId]!.path!,
                valueSelecting(reason),
                message,
              ) as State,
            },
            reason,
          );
        }
      }
      const partial = statusEntry.partial_failure;
      if (partial === undefined || fields[partial]?.role !== 'count') continue;
      for (const entry of this.entriesOf(partial)) {
        const count = countOf(entry);
        if (count !== undefined)
          this.add(
            { id: entry.id, final: withValueAt(state(statusEntry.value), fields[partial]!.path!, count) as State },
            entry,
          );
      }
    }
  }

  /** HTTP errors: each status and refining code is a fault answered before the job's course, which then succeeds. */
  http(success: Scenario): void {
    for (const [fieldId, field] of Object.entries(this.contract.fields)) {
      if (field.role !== 'http' && field.role !== 'http_refinement') continue;
      const entries = this.entriesOf(fieldId);
      const listed = new Set(entries.map((e) => e.value));
      for (const entry of entries) {
        let httpStatus: number | undefined;
        // A shared code refines only a status of its own kind (the kind's status, or the entry's where it has one).
        if (field.role === 'http_refinement')
          httpStatus = typeof entry.http_status === 'number' ? entry.http_status : undefined;
        else if (entry.value === '*') httpStatus = firstUnlistedStatus(listed);
        else if (entry.value.startsWith('>=')) httpStatus = Number(entry.value.slice(2));
        else httpStatus = Number(entry.value);
        if (httpStatus === undefined || !Number.isInteger(httpStatus)) continue;
        const code = field.role === 'http_refinement' ? entry.value : null;
        // A shared code is also a failed object's scenario: as an HTTP fault it is `<entry>@http`.
        const id = entry.field === fieldId ? entry.id : `${entry.id}@http`;
        const error: Json = { message: entry.summary, type: errorType(httpStatus), param: null, code: null };
        if (field.role === 'http_refinement') setAtPath(error, field.path!, code);
        this.add({ id, final: success.final, fault: { status: httpStatus, error: error as never } }, entry);
      }
    }
  }
}

/**
 * The scenarios of an object other than a Response (a batch, fine-tuning job, vector-store file or file batch):
 * its status field's, and HTTP errors'. `literals` are the API's own status values for the lifecycle.
 */
export function buildResourceCatalogue(contract: Contract, object: string, literals: StatusLiterals): Catalogue {
  const b = new Scenarios(contract);
  const statusField = b.statusField(object);
  const statuses = b.statuses(statusField, literals);
  const success: Scenario = { id: null, entry: null, final: { status: statuses.completed } };
  b.lifecycle(statusField, {}, statuses.failed);
  b.http(success);
  return { object, statuses, blank: {}, events: new Set(), success, scenarios: b.scenarios };
}

export function buildCatalogue(contract: Contract): Catalogue {
  const b = new Scenarios(contract);
  const fields = contract.fields;
  const entriesOf = (field: string): readonly Entry[] => b.entriesOf(field);
  const statusFieldId = b.statusField(OBJECT);
  const statusEntries = entriesOf(statusFieldId);
  const byStatus = new Map(statusEntries.filter((e) => e.value !== '*').map((e) => [e.value, e]));
  const withOutcome = (outcome: string): Entry[] =>
    statusEntries.filter((e) => e.value !== '*' && e.outcome === outcome);
  // The lifecycle literals of the Responses API; the contract must list each with the outcome it has.
  const statuses = b.statuses(statusFieldId, {
    completed: 'completed',
    running: 'in_progress',
    cancelled: 'cancelled',
    failed: 'failed',
  });
  const eventFieldId = contractIndex(contract).fieldsOfRole('event')[0];
  const eventEntries = eventFieldId ? entriesOf(eventFieldId) : [];
  const events = new Set(eventEntries.filter((e) => e.value !== '*').map((e) => e.value));

  const blank = { error: null, incomplete_details: null };
  const state = (value: string): ResponseState => ({ ...blank, status: value });
  const success: Scenario = { id: null, entry: null, final: state(statuses.completed) };
  const add = b.add.bind(b);
  const asResponseState = (json: Json): ResponseState => json as unknown as ResponseState;

  b.lifecycle(statusFieldId, blank, statuses.failed);

  for (const entry of eventEntries) {
    const eventPath = fields[entry.field]!.path!;
    if (entry.delegate === OBJECT) {
      // `response.failed` ends as the status it names; `response.created` names none and stays in progress.
      const named = byStatus.get(entry.value.slice(OBJECT.length + 1));
      add({ id: entry.id, final: named ? state(named.value) : state(statuses.running), lastEvent: entry.value }, entry);
    } else if (entry.refined_by) {
      // An error event: the stream ends with it, and polls see the status of the same outcome carrying its reason.
      const failed = need(withOutcome(entry.outcome ?? 'failed')[0], `status with outcome ${entry.outcome}`);
      const pollPath = fields[need(failed.refined_by?.[0], `reason field of ${failed.id}`)]!.path!;
      const poll = (value: string | null, message: string): ResponseState =>
        asResponseState(withReason({ ...state(failed.value) }, pollPath, value, message));
      const event = (path: string, value: string | null, message: string): Json =>
        withReason(withValueAt({}, eventPath, entry.value), path, value, message);
      const firstPath = fields[entry.refined_by[0]!]!.path!;
      add(
        {
          id: entry.id,
          final: poll(null, entry.summary),
          lastEvent: { ...event(firstPath, null, entry.summary), param: null },
        },
        entry,
      );
      for (const fieldId of entry.refined_by) {
        for (const reason of entriesOf(fieldId)) {
          const lastEvent = event(fields[fieldId]!.path!, valueSelecting(reason), reason.summary);
          add({ id: reason.id, final: poll(valueSelecting(reason), reason.summary), lastEvent }, reason);
        }
      }
    } else if (entry.value === '*') {
      // Any other event (a delta) reports progress: the stream ends with one, and the job stays in progress.
      add(
        { id: entry.id, final: state(statuses.running), lastEvent: withValueAt({}, eventPath, valueSelecting(entry)) },
        entry,
      );
    } else if (entry.kind !== undefined) {
      // An event that decides by its type alone (`*.failed`, a webhook type): the stream ends with it, and polls see
      // the status of the same outcome where the Responses API has one, else the job stays in progress.
      const same = withOutcome(entry.outcome ?? 'failed').find((e) => !e.refined_by);
      add(
        {
          id: entry.id,
          final: state(same ? same.value : statuses.running),
          lastEvent: withValueAt({}, eventPath, valueSelecting(entry)),
        },
        entry,
      );
    }
  }

  b.http(success);
  return { object: OBJECT, statuses, blank, events, success, scenarios: b.scenarios };
}

/** The first client-error status the http field does not list: one that only its fallback covers. */
function firstUnlistedStatus(listed: Set<string>): number | undefined {
  for (let status = 400; status < 500; status++) if (!listed.has(String(status))) return status;
  return undefined;
}
