// The emulator's scenarios: one per contract entry of the Responses API (its status, the reasons a status defers
// to, the stream events and their reasons) and of HTTP errors, derived from contract.json so that a new entry is a
// new scenario without a line changed here.
import { fieldEntries } from '../classify/tables.js';
import type { Contract, Entry } from '../../generated/types.js';
import { setAtPath, setPath, UNLISTED_VALUE } from '../classify/examples.js';

type Json = Record<string, unknown>;

/** The object whose lifecycle the emulator plays: a Response of the Responses API. */
export const OBJECT = 'response';

/** The state polls see once a job has run its course; a pending status means it never ends. */
export interface FinalState {
  status: string;
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
  final: FinalState;
  /**
   * The last event of a stream, when the scenario names one: a lifecycle event type (`response.created`) or a whole
   * event (`{"type": "error", "code": …}`). Otherwise a stream ends with the lifecycle event of the final status.
   */
  lastEvent?: string | Json;
  /** An HTTP error answered instead of the job's first polls (and by every synchronous create). */
  fault?: { status: number; error: ApiError };
}

export interface Catalogue {
  /** Status values the emulator itself moves jobs through. */
  statuses: { completed: string; running: string; cancelled: string; pending: Set<string> };
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

export function buildCatalogue(contract: Contract): Catalogue {
  const fields = contract.fields;
  const entriesOf = (field: string): Entry[] => fieldEntries(contract, field);
  // A fallback gets a value no entry lists; a suffix entry (`*.failed`) one that ends with its suffix.
  const valueOf = (e: Entry): string => (e.value === '*' ? UNLISTED_VALUE : e.value.startsWith('*') ? `${UNLISTED_VALUE}${e.value.slice(1)}` : e.value);

  const [statusFieldId] = need(
    Object.entries(fields).find(([, f]) => f.role === 'status' && f.dispatch?.object === OBJECT),
    `status field for "${OBJECT}"`,
  );
  const statusEntries = entriesOf(statusFieldId);
  const byStatus = new Map(statusEntries.filter((e) => e.value !== '*').map((e) => [e.value, e]));
  const withOutcome = (outcome: string): Entry[] => statusEntries.filter((e) => e.value !== '*' && e.outcome === outcome);
  // The lifecycle literals of the Responses API; the contract must list each with the outcome it has.
  const status = (value: string, outcome: string): string => {
    if (byStatus.get(value)?.outcome !== outcome) throw new Error(`error-contract serve: the contract has no ${outcome} status "${value}"`);
    return value;
  };
  const statuses = {
    completed: status('completed', 'completed'),
    running: status('in_progress', 'pending'),
    cancelled: status('cancelled', 'cancelled'),
    pending: new Set(withOutcome('pending').map((e) => e.value)),
  };
  const eventFieldId = Object.keys(fields).find((id) => fields[id]!.role === 'event');
  const eventEntries = eventFieldId ? entriesOf(eventFieldId) : [];
  const events = new Set(eventEntries.filter((e) => e.value !== '*').map((e) => e.value));

  const state = (value: string): FinalState => ({ status: value, error: null, incomplete_details: null });
  const success: Scenario = { id: null, entry: null, final: state(statuses.completed) };
  const scenarios = new Map<string, Scenario>();
  const add = (scenario: Omit<Scenario, 'entry'> & { id: string }, entry: Entry): void => {
    if (!scenarios.has(scenario.id)) scenarios.set(scenario.id, { ...scenario, entry });
  };

  /** `base` with `value` written at `path`; a failure's reason also gets a message beside it, as API errors have. */
  const withReason = (base: Json, path: string, value: string | null, message: string | undefined): Json => {
    const object = setPath(base, path, value);
    if (message !== undefined) {
      let holder = object;
      for (const key of path.split('.').slice(0, -1)) holder = holder[key] as Json;
      holder.message = message;
    }
    return object;
  };
  const asFinal = (json: Json): FinalState => json as unknown as FinalState;
  const messageIf = (outcome: string | undefined, reason: Entry): string | undefined => (outcome === 'failed' ? reason.summary : undefined);

  // The status field: each value is a final state; a deferring status (failed, incomplete) is left to its fallbacks.
  for (const entry of statusEntries) add({ id: entry.id, final: state(valueOf(entry)) }, entry);

  // Reasons a status defers to: the status with the reason written at the reason field's path.
  for (const statusEntry of statusEntries) {
    for (const fieldId of statusEntry.refined_by ?? []) {
      for (const reason of entriesOf(fieldId)) {
        const final = withReason({ ...state(statusEntry.value) }, fields[fieldId]!.path!, valueOf(reason), messageIf(statusEntry.outcome, reason));
        add({ id: reason.id, final: asFinal(final) }, reason);
      }
    }
  }

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
      const poll = (value: string | null, message: string): FinalState => asFinal(withReason({ ...state(failed.value) }, pollPath, value, message));
      const event = (path: string, value: string | null, message: string): Json => withReason(setPath({}, eventPath, entry.value), path, value, message);
      const firstPath = fields[entry.refined_by[0]!]!.path!;
      add({ id: entry.id, final: poll(null, entry.summary), lastEvent: { ...event(firstPath, null, entry.summary), param: null } }, entry);
      for (const fieldId of entry.refined_by) {
        for (const reason of entriesOf(fieldId)) {
          const lastEvent = event(fields[fieldId]!.path!, valueOf(reason), reason.summary);
          add({ id: reason.id, final: poll(valueOf(reason), reason.summary), lastEvent }, reason);
        }
      }
    } else if (entry.value === '*') {
      // Any other event (a delta) reports progress: the stream ends with one, and the job stays in progress.
      add({ id: entry.id, final: state(statuses.running), lastEvent: setPath({}, eventPath, valueOf(entry)) }, entry);
    } else if (entry.kind !== undefined) {
      // An event that decides by its type alone (`*.failed`, a webhook type): the stream ends with it, and polls see
      // the status of the same outcome where the Responses API has one, else the job stays in progress.
      const same = withOutcome(entry.outcome ?? 'failed').find((e) => !e.refined_by);
      add({ id: entry.id, final: state(same ? same.value : statuses.running), lastEvent: setPath({}, eventPath, valueOf(entry)) }, entry);
    }
  }

  for (const [fieldId, field] of Object.entries(fields)) {
    if (field.role !== 'http' && field.role !== 'http_refinement') continue;
    const entries = entriesOf(fieldId);
    const listed = new Set(entries.map((e) => e.value));
    for (const entry of entries) {
      let httpStatus: number | undefined;
      // A shared code refines only a status of its own kind (the kind's status, or the entry's where it has one).
      if (field.role === 'http_refinement') httpStatus = typeof entry.http_status === 'number' ? entry.http_status : undefined;
      else if (entry.value === '*') httpStatus = firstUnlistedStatus(listed);
      else if (entry.value.startsWith('>=')) httpStatus = Number(entry.value.slice(2));
      else httpStatus = Number(entry.value);
      if (httpStatus === undefined || !Number.isInteger(httpStatus)) continue;
      const code = field.role === 'http_refinement' ? entry.value : null;
      // A shared code is also a failed Response's scenario: as an HTTP fault it is `<entry>@http`.
      const id = entry.field === fieldId ? entry.id : `${entry.id}@http`;
      const error: Json = { message: entry.summary, type: errorType(httpStatus), param: null, code: null };
      if (field.role === 'http_refinement') setAtPath(error, field.path!, code);
      add({ id, final: success.final, fault: { status: httpStatus, error: error as never } }, entry);
    }
  }
  return { statuses, events, success, scenarios };
}

/** The first client-error status the http field does not list: one that only its fallback covers. */
function firstUnlistedStatus(listed: Set<string>): number | undefined {
  for (let status = 400; status < 500; status++) if (!listed.has(String(status))) return status;
  return undefined;
}
