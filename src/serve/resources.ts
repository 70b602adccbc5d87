// The asynchronous resources the emulator serves beside Responses: batches, fine-tuning jobs, vector-store files and
// vector-store file batches. Each is a description: its routes, the API's own status literals, the create's
// parameters, where its course is scripted, and the object as the API shows it. Its scenarios are derived from the
// contract (scenarios.ts: buildResourceCatalogue), its ids from the contract's dispatch prefix.
import type { Contract } from '../../generated/types.js';
import type { Job } from './jobs.js';
import { checkPairs, isRefusal, refuse, typeName, type Refusal } from './request.js';
import { buildResourceCatalogue, type Catalogue, type State, type StatusLiterals } from './scenarios.js';
import { isPlainObject } from '../plain-object.js';

type Json = Record<string, unknown>;

/** What a resource job keeps of its create: the public id, the parent ids of its path, and the echoed fields. */
export interface ResourceRequest {
  id: string;
  parents: string[];
  fields: Json;
  /** The scripting pairs, as strings (metadata, or a vector-store file's attributes). */
  script: Record<string, string>;
}

interface ResourceSpec {
  /** The contract's dispatch object. */
  object: string;
  /** The API's name for one of these in an error message ("Batch", "File", …). */
  noun: string;
  /** POST creates; its groups are the parent ids (a vector store's). */
  collection: RegExp;
  /** GET retrieves; its groups are the parent ids, then the object's id. */
  item: RegExp;
  literals: StatusLiterals;
  /** The status a new job has. */
  initialStatus: string;
  /** The create parameter whose pairs script a job's course. */
  script: 'metadata' | 'attributes';
  /** Which values the scripting parameter takes (metadata: strings; attributes: strings, numbers, booleans). */
  scriptValues: { valid: (v: unknown) => boolean; expected: string };
  /** The create's own parameters, checked as the API checks them: the fields a job keeps, or a refusal. */
  parse(body: Json): Json | Refusal;
  /** The id a request names for the new object (a vector-store file is its file's id); else one is generated. */
  givenId?(fields: Json): string;
  /** The object as the API shows it in `state`. */
  body(job: Job<ResourceRequest>, state: State): Json;
}

export interface Resource extends ResourceSpec {
  catalogue: Catalogue;
  /** The contract's id prefix for the object (`batch_`), for generated ids. */
  idPrefix: string;
}

const STRINGS = { valid: (v: unknown) => typeof v === 'string', expected: 'a string' };
const ATTRIBUTE_VALUES = {
  valid: (v: unknown) =>
    typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)),
  expected: 'a string, number or boolean',
};
/** The most file ids a file batch takes (the API's limit). */
const MAX_FILE_IDS = 500;

/** `required` strings of a create body, and the `optional` ones (null when absent). */
function strings(body: Json, required: string[], optional: string[] = []): Json | Refusal {
  const out: Json = {};
  for (const name of [...required, ...optional]) {
    const value = body[name] ?? null;
    if (value === null && required.includes(name))
      return refuse(`Missing required parameter: '${name}'.`, name, 'missing_required_parameter');
    if (value !== null && typeof value !== 'string')
      return refuse(
        `Invalid type for '${name}': expected a string, but got ${typeName(value)} instead.`,
        name,
        'invalid_type',
      );
    out[name] = value;
  }
  return out;
}

/** `state` over `base`: objects merge key by key, anything else replaces. */
function overlay(base: Json, state: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(state))
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? overlay(out[key] as Json, value) : value;
  return out;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);
const hexOf = (id: string): string => id.slice(id.search(/[_-]/) + 1);

function isPending(job: Job<unknown>, state: State): boolean {
  return job.catalogue.statuses.pending.has(state.status);
}

/** A count of a state (`request_counts.failed`), 0 unless the scenario set one. */
function countIn(object: Json, key: string, name: string): number {
  const holder = object[key];
  const value = isPlainObject(holder) ? holder[name] : undefined;
  return typeof value === 'number' ? value : 0;
}

const SPECS: ResourceSpec[] = [
  {
    object: 'batch',
    noun: 'Batch',
    collection: /^\/v1\/batches$/,
    item: /^\/v1\/batches\/([^/]+)$/,
    literals: { completed: 'completed', running: 'in_progress', cancelled: 'cancelled', failed: 'failed' },
    initialStatus: 'validating',
    script: 'metadata',
    scriptValues: STRINGS,
    parse: (body) => strings(body, ['input_file_id', 'endpoint', 'completion_window']),
    body(job, state) {
      const created = seconds(job.createdAt);
      const at = (status: string): number | null => (state.status === status ? created + 1 : null);
      const merged = overlay(
        {
          id: job.request.id,
          object: 'batch',
          ...job.request.fields,
          errors: null,
          created_at: created,
          in_progress_at: state.status === 'validating' ? null : created,
          expires_at: created + 86_400,
          finalizing_at: null,
          completed_at: at('completed'),
          failed_at: at('failed'),
          expired_at: at('expired'),
          cancelling_at: null,
          cancelled_at: at('cancelled'),
          request_counts: { total: 2, completed: 0, failed: 0 },
        },
        state,
      );
      const failed = countIn(merged, 'request_counts', 'failed');
      const done = state.status === job.catalogue.statuses.completed;
      merged.request_counts = { total: 2, completed: done ? Math.max(0, 2 - failed) : 0, failed };
      merged.output_file_id = done ? `file-out${hexOf(job.request.id)}` : null;
      merged.error_file_id = failed > 0 ? `file-err${hexOf(job.request.id)}` : null;
      return merged;
    },
  },
  {
    object: 'fine_tuning.job',
    noun: 'Fine-tuning job',
    collection: /^\/v1\/fine_tuning\/jobs$/,
    item: /^\/v1\/fine_tuning\/jobs\/([^/]+)$/,
    literals: { completed: 'succeeded', running: 'running', cancelled: 'cancelled', failed: 'failed' },
    initialStatus: 'validating_files',
    script: 'metadata',
    scriptValues: STRINGS,
    parse: (body) => strings(body, ['model', 'training_file'], ['validation_file', 'suffix']),
    body(job, state) {
      const { suffix, ...fields } = job.request.fields;
      const done = state.status === job.catalogue.statuses.completed;
      return overlay(
        {
          id: job.request.id,
          object: 'fine_tuning.job',
          created_at: seconds(job.createdAt),
          error: null,
          fine_tuned_model: done
            ? `ft:${String(fields.model)}:emulated:${String(suffix ?? 'model')}:${hexOf(job.request.id).slice(0, 8)}`
            : null,
          finished_at: isPending(job, state) ? null : seconds(job.createdAt) + 1,
          hyperparameters: { batch_size: 'auto', learning_rate_multiplier: 'auto', n_epochs: 'auto' },
          organization_id: 'org-emulated',
          result_files: [],
          seed: 0,
          trained_tokens: done ? 1000 : null,
          estimated_finish: null,
          integrations: null,
          method: { type: 'supervised' },
          ...fields,
        },
        state,
      );
    },
  },
  {
    object: 'vector_store.file',
    noun: 'File',
    collection: /^\/v1\/vector_stores\/([^/]+)\/files$/,
    item: /^\/v1\/vector_stores\/([^/]+)\/files\/([^/]+)$/,
    literals: { completed: 'completed', running: 'in_progress', cancelled: 'cancelled', failed: 'failed' },
    initialStatus: 'in_progress',
    script: 'attributes',
    scriptValues: ATTRIBUTE_VALUES,
    parse: (body) => strings(body, ['file_id']),
    givenId: (fields) => String(fields.file_id),
    body(job, state) {
      return overlay(
        {
          id: job.request.id,
          object: 'vector_store.file',
          created_at: seconds(job.createdAt),
          last_error: null,
          usage_bytes: state.status === job.catalogue.statuses.completed ? 1024 : 0,
          vector_store_id: job.request.parents[0],
          attributes: job.request.fields.attributes,
          chunking_strategy: { type: 'static', static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } },
        },
        state,
      );
    },
  },
  {
    object: 'vector_store.files_batch',
    noun: 'Vector store file batch',
    collection: /^\/v1\/vector_stores\/([^/]+)\/file_batches$/,
    item: /^\/v1\/vector_stores\/([^/]+)\/file_batches\/([^/]+)$/,
    literals: { completed: 'completed', running: 'in_progress', cancelled: 'cancelled', failed: 'failed' },
    initialStatus: 'in_progress',
    script: 'attributes',
    scriptValues: ATTRIBUTE_VALUES,
    parse(body) {
      // file_ids, or files: [{file_id}] (the newer form); one of them, with 1 to 500 ids.
      const files =
        body.file_ids ??
        (Array.isArray(body.files) ? body.files.map((f) => (isPlainObject(f) ? f.file_id : f)) : undefined);
      if (files === undefined)
        return refuse("Missing required parameter: 'file_ids'.", 'file_ids', 'missing_required_parameter');
      if (
        !Array.isArray(files) ||
        files.length === 0 ||
        files.length > MAX_FILE_IDS ||
        !files.every((f) => typeof f === 'string')
      ) {
        return refuse(
          `Invalid 'file_ids': expected an array of 1 to ${MAX_FILE_IDS} file ids.`,
          'file_ids',
          'invalid_value',
        );
      }
      return { file_count: files.length };
    },
    body(job, state) {
      const total = Number(job.request.fields.file_count);
      const merged = overlay(
        {
          id: job.request.id,
          object: 'vector_store.files_batch',
          created_at: seconds(job.createdAt),
          status: state.status,
          vector_store_id: job.request.parents[0],
          file_counts: {},
        },
        state,
      );
      const failed = countIn(merged, 'file_counts', 'failed');
      const statuses = job.catalogue.statuses;
      const counts = { in_progress: 0, completed: 0, failed, cancelled: 0, total };
      if (isPending(job, state)) counts.in_progress = total;
      else if (state.status === statuses.completed) counts.completed = Math.max(0, total - failed);
      else if (state.status === statuses.cancelled) counts.cancelled = total;
      merged.file_counts = counts;
      return merged;
    },
  },
];

/** Every resource, with its catalogue of scenarios and id prefix derived from the contract. */
export function buildResources(contract: Contract): Resource[] {
  return SPECS.map((spec) => {
    const catalogue = buildResourceCatalogue(contract, spec.object, spec.literals);
    if (!catalogue.statuses.pending.has(spec.initialStatus))
      throw new Error(`error-contract serve: "${spec.initialStatus}" is not a pending status of ${spec.object}`);
    const field = Object.values(contract.fields).find((f) => f.role === 'status' && f.dispatch?.object === spec.object);
    return { ...spec, catalogue, idPrefix: field?.dispatch?.id_prefix ?? `${spec.object.replace(/\W/g, '_')}_` };
  });
}

/** The create body read: the fields kept and the scripting pairs (as strings), or a refusal. */
export function parseResourceCreate(
  resource: Resource,
  body: unknown,
): { fields: Json; script: Record<string, string> } | Refusal {
  if (!isPlainObject(body)) return refuse(`Invalid body: expected a JSON object, got ${typeName(body)}.`, null, null);
  const fields = resource.parse(body);
  if (isRefusal(fields)) return fields;
  const pairs = checkPairs(
    body[resource.script] ?? {},
    resource.script,
    resource.scriptValues.valid,
    resource.scriptValues.expected,
  );
  if (isRefusal(pairs)) return pairs;
  // The pairs are echoed as sent; the course reads them as strings.
  return {
    fields: { ...fields, [resource.script]: pairs },
    script: Object.fromEntries(Object.entries(pairs).map(([k, v]) => [k, String(v)])),
  };
}
