// Background jobs: a bounded store (a cap on live jobs, a time to live) and each job's course, driven by the polls
// it receives rather than by the clock, so that a scenario plays out the same way however fast the client polls.
import { randomBytes } from 'node:crypto';
import type { Contract } from '../../generated/types.js';
import { profileOf } from '../contract-index.js';
import type { Catalogue, Scenario, State } from './scenarios.js';

/** How a provider creates background jobs (a profile's `lifecycle` block). */
export interface Lifecycle {
  create_status: number;
  id_prefix: string;
  initial_status: string;
}

/** OpenAI's own: 200 OK, a `resp_` id, status `queued`. The permanent id of a completed job has this prefix too. */
export const OPENAI_LIFECYCLE: Lifecycle = { create_status: 200, id_prefix: 'resp_', initial_status: 'queued' };

export function lifecycleFor(contract: Contract, profile: string | undefined): Lifecycle {
  return (profile === undefined ? undefined : profileOf(contract, profile))?.lifecycle ?? OPENAI_LIFECYCLE;
}

/** What a job keeps of its create request: the fields a Response echoes, and the start of the input only. */
export interface JobRequest {
  model: string;
  /** The start of the input's text (request.ts: INPUT_SUMMARY_CHARS), quoted by the emulated output. */
  inputSummary: string;
  instructions: string | null;
  max_output_tokens: number | null;
  previous_response_id: string | null;
  metadata: Record<string, string>;
  background: boolean;
}

/** The forms of a retry delay the emulator can send (metadata.retry_hint). */
export const RETRY_HINTS = ['both', 'retry-after-ms', 'retry-after', 'http-date'] as const;
export type RetryHint = (typeof RETRY_HINTS)[number];

/** What `metadata` asks of the job's course. */
export interface Course {
  scenario: Scenario;
  /** Polls that answer "in progress" before the job ends. */
  polls: number;
  /** Polls answered with the scenario's HTTP fault before the job's course starts. */
  faults: number;
  /** Sent as openai-poll-after-ms while the job is pending. */
  pollAfterMs?: number;
  /** Sent with each fault, and with the poll that reports a failed job, in the form `retryHint` names. */
  retryAfterMs?: number;
  /**
   * How retryAfterMs is sent: `retry-after-ms`, `retry-after` (whole seconds, rounded up), `http-date` (retry-after as
   * an HTTP date with a date header, that many seconds apart), or `both` (retry-after-ms and retry-after; the default).
   */
  retryHint?: RetryHint;
  /** Sent as x-should-retry with each fault. */
  shouldRetry?: boolean;
}

export interface Job<R = JobRequest> {
  /** The id the job was created with (the store's key); a completed job also answers to its permanent id. */
  id: string;
  permanentId: string;
  createdAt: number;
  request: R;
  course: Course;
  state: State;
  pollsLeft: number;
  faultsLeft: number;
  /** What the job's request text costs the store (storedBytes). */
  bytes: number;
  /** The lifecycle the job moves through: its object's statuses and scenarios. */
  catalogue: Catalogue;
}

/** What creates a job: its object's catalogue, its ids, its first status, and what it keeps of the request. */
interface NewJob<R> {
  catalogue: Catalogue;
  id: string;
  /** The id it answers to once completed (a profile's id prefix may differ from OpenAI's); default `id`. */
  permanentId?: string;
  initialStatus: string;
  request: R;
  course: Course;
  /** What the request costs the store, as storedBytes counts it. */
  bytes: number;
}

/** 32 random hex digits: the unique part of a new id. */
export function newHex(): string {
  return randomBytes(16).toString('hex');
}

/** The memory a request's kept text takes, counted as V8 stores most strings (two bytes a character), plus a job's overhead. */
export function storedBytes(request: JobRequest): number {
  let chars =
    request.model.length +
    request.inputSummary.length +
    (request.instructions?.length ?? 0) +
    (request.previous_response_id?.length ?? 0);
  for (const [key, value] of Object.entries(request.metadata)) chars += key.length + value.length;
  return 2 * chars + JOB_OVERHEAD_BYTES;
}

/** A job's own objects (its state, course and ids), for the total bound. */
const JOB_OVERHEAD_BYTES = 1024;

interface StoreOptions {
  maxJobs: number;
  /** The total storedBytes of live jobs never exceeds this: a create beyond it is refused like one beyond maxJobs. */
  maxStoredBytes: number;
  ttlMs: number;
  now: () => number;
  /** Called once when a job ends (its last poll, a stream or synchronous create running it out, a cancel). */
  onEnd?: (job: Job<unknown>) => void;
}

export class JobStore {
  /** Insertion order is creation order, so expired jobs are always at the front. */
  private readonly jobs = new Map<string, Job<unknown>>();
  /** Permanent id -> creation id, for completed jobs whose id changed. */
  private readonly aliases = new Map<string, string>();
  private stored = 0;

  constructor(private readonly options: StoreOptions) {}

  get size(): number {
    this.sweep();
    return this.jobs.size;
  }

  private expired(job: Job<unknown>): boolean {
    return this.options.now() - job.createdAt >= this.options.ttlMs;
  }

  /** Drops expired jobs: the oldest first, stopping at the first live one. */
  sweep(): void {
    for (const job of this.jobs.values()) {
      if (!this.expired(job)) break;
      this.remove(job);
    }
  }

  /** The storedBytes of every live job. */
  get bytes(): number {
    return this.stored;
  }

  /** A new job, or undefined when the store holds its maximum of live jobs (or of their bytes). A job of the same id is replaced. */
  create<R>(spec: NewJob<R>): Job<R> | undefined {
    this.sweep();
    const old = this.jobs.get(spec.id);
    const freed = old ? old.bytes : 0;
    if (
      this.jobs.size - (old ? 1 : 0) >= this.options.maxJobs ||
      this.stored - freed + spec.bytes > this.options.maxStoredBytes
    )
      return undefined;
    if (old) this.remove(old);
    const job: Job<R> = {
      id: spec.id,
      permanentId: spec.permanentId ?? spec.id,
      createdAt: this.options.now(),
      request: spec.request,
      course: spec.course,
      state: { ...structuredClone(spec.catalogue.blank), status: spec.initialStatus },
      pollsLeft: spec.course.polls,
      faultsLeft: spec.course.faults,
      bytes: spec.bytes,
      catalogue: spec.catalogue,
    };
    this.jobs.set(job.id, job);
    this.stored += spec.bytes;
    return job;
  }

  /** The live job of this id (or permanent id); with a catalogue, only a job of that object. */
  get<R = JobRequest>(id: string, catalogue?: Catalogue): Job<R> | undefined {
    const job = this.jobs.get(this.aliases.get(id) ?? id);
    if (job && this.expired(job)) {
      this.remove(job);
      return undefined;
    }
    if (job && catalogue !== undefined && job.catalogue !== catalogue) return undefined;
    return job as Job<R> | undefined;
  }

  remove(job: Job<unknown>): void {
    if (this.jobs.get(job.id) === job) this.stored -= job.bytes;
    this.jobs.delete(job.id);
    this.aliases.delete(job.permanentId);
  }

  isPending(job: Job<unknown>): boolean {
    return job.catalogue.statuses.pending.has(job.state.status);
  }

  /** The job's public id now: the permanent one once it completed. */
  publicId(job: Job<unknown>): string {
    return job.state.status === job.catalogue.statuses.completed ? job.permanentId : job.id;
  }

  /** One poll: in progress while polls are left, then the scenario's final state. */
  advance(job: Job<unknown>): void {
    if (!this.isPending(job)) return;
    if (job.pollsLeft > 0) {
      job.pollsLeft--;
      job.state = { ...job.state, status: job.catalogue.statuses.running };
    } else this.finish(job);
  }

  /** Runs the job to the end of its course at once (a synchronous create, or a stream). */
  finish(job: Job<unknown>): void {
    if (!this.isPending(job)) return;
    job.pollsLeft = 0;
    job.state = structuredClone(job.course.scenario.final);
    if (job.state.status === job.catalogue.statuses.completed && job.permanentId !== job.id)
      this.aliases.set(job.permanentId, job.id);
    if (!this.isPending(job)) this.options.onEnd?.(job);
  }

  /** Cancels a pending job; false when it has already ended. */
  cancel(job: Job<unknown>): boolean {
    if (!this.isPending(job)) return job.state.status === job.catalogue.statuses.cancelled;
    job.state = { ...structuredClone(job.catalogue.blank), status: job.catalogue.statuses.cancelled };
    this.options.onEnd?.(job);
    return true;
  }

  /** The fault to answer this poll with, if the job still owes one. */
  takeFault(job: Job<unknown>): Scenario['fault'] {
    const fault = job.course.scenario.fault;
    if (!fault || job.faultsLeft <= 0) return undefined;
    job.faultsLeft--;
    return fault;
  }
}
