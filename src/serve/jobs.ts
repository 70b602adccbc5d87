// Background jobs: a bounded store (a cap on live jobs, a time to live) and each job's course, driven by the polls
// it receives rather than by the clock, so that a scenario plays out the same way however fast the client polls.
import { randomBytes } from 'node:crypto';
import type { Contract } from '../../generated/types.js';
import type { Catalogue, FinalState, Scenario } from './scenarios.js';

/** How a provider creates background jobs (a profile's `lifecycle` block). */
export interface Lifecycle {
  create_status: number;
  id_prefix: string;
  initial_status: string;
}

/** OpenAI's own: 200 OK, a `resp_` id, status `queued`. The permanent id of a completed job has this prefix too. */
export const OPENAI_LIFECYCLE: Lifecycle = { create_status: 200, id_prefix: 'resp_', initial_status: 'queued' };

export function lifecycleFor(contract: Contract, profile: string | undefined): Lifecycle {
  if (profile === undefined || profile === 'default') return OPENAI_LIFECYCLE;
  const found = contract.profiles[profile];
  if (!found) throw new RangeError(`unknown profile "${profile}" (known: ${['default', ...Object.keys(contract.profiles)].join(', ')})`);
  return found.lifecycle ?? OPENAI_LIFECYCLE;
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

export interface Job {
  /** The id the job was created with; a completed job also answers to its permanent id. */
  id: string;
  permanentId: string;
  createdAt: number;
  request: JobRequest;
  course: Course;
  state: FinalState;
  pollsLeft: number;
  faultsLeft: number;
  /** What the job's request text costs the store (storedBytes). */
  bytes: number;
}

/** The memory a request's kept text takes, counted as V8 stores most strings (two bytes a character), plus a job's overhead. */
export function storedBytes(request: JobRequest): number {
  let chars = request.model.length + request.inputSummary.length + (request.instructions?.length ?? 0) + (request.previous_response_id?.length ?? 0);
  for (const [key, value] of Object.entries(request.metadata)) chars += key.length + value.length;
  return 2 * chars + JOB_OVERHEAD_BYTES;
}

/** A job's own objects (its state, course and ids), for the total bound. */
const JOB_OVERHEAD_BYTES = 1024;

export interface StoreOptions {
  maxJobs: number;
  /** The total storedBytes of live jobs never exceeds this: a create beyond it is refused like one beyond maxJobs. */
  maxStoredBytes: number;
  ttlMs: number;
  now: () => number;
}

export class JobStore {
  /** Insertion order is creation order, so expired jobs are always at the front. */
  private readonly jobs = new Map<string, Job>();
  /** Permanent id -> creation id, for completed jobs whose id changed. */
  private readonly aliases = new Map<string, string>();
  private stored = 0;

  constructor(
    private readonly catalogue: Catalogue,
    readonly lifecycle: Lifecycle,
    private readonly options: StoreOptions,
  ) {}

  get size(): number {
    this.sweep();
    return this.jobs.size;
  }

  private expired(job: Job): boolean {
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

  /** A new job, or undefined when the store holds its maximum of live jobs (or of their bytes). */
  create(request: JobRequest, course: Course): Job | undefined {
    this.sweep();
    const bytes = storedBytes(request);
    if (this.jobs.size >= this.options.maxJobs || this.stored + bytes > this.options.maxStoredBytes) return undefined;
    const hex = randomBytes(16).toString('hex');
    const job: Job = {
      id: this.lifecycle.id_prefix + hex,
      permanentId: OPENAI_LIFECYCLE.id_prefix + hex,
      createdAt: this.options.now(),
      request,
      course,
      state: { status: this.lifecycle.initial_status, error: null, incomplete_details: null },
      pollsLeft: course.polls,
      faultsLeft: course.faults,
      bytes,
    };
    this.jobs.set(job.id, job);
    this.stored += bytes;
    return job;
  }

  get(id: string): Job | undefined {
    const job = this.jobs.get(this.aliases.get(id) ?? id);
    if (job && this.expired(job)) {
      this.remove(job);
      return undefined;
    }
    return job;
  }

  remove(job: Job): void {
    if (this.jobs.get(job.id) === job) this.stored -= job.bytes;
    this.jobs.delete(job.id);
    this.aliases.delete(job.permanentId);
  }

  isPending(job: Job): boolean {
    return this.catalogue.statuses.pending.has(job.state.status);
  }

  /** The job's public id now: the permanent one once it completed. */
  publicId(job: Job): string {
    return job.state.status === this.catalogue.statuses.completed ? job.permanentId : job.id;
  }

  /** One poll: in progress while polls are left, then the scenario's final state. */
  advance(job: Job): void {
    if (!this.isPending(job)) return;
    if (job.pollsLeft > 0) {
      job.pollsLeft--;
      job.state = { ...job.state, status: this.catalogue.statuses.running };
    } else this.finish(job);
  }

  /** Runs the job to the end of its course at once (a synchronous create, or a stream). */
  finish(job: Job): void {
    if (!this.isPending(job)) return;
    job.pollsLeft = 0;
    job.state = structuredClone(job.course.scenario.final);
    if (job.state.status === this.catalogue.statuses.completed && job.permanentId !== job.id) this.aliases.set(job.permanentId, job.id);
  }

  /** Cancels a pending job; false when it has already ended. */
  cancel(job: Job): boolean {
    if (!this.isPending(job)) return job.state.status === this.catalogue.statuses.cancelled;
    job.state = { status: this.catalogue.statuses.cancelled, error: null, incomplete_details: null };
    return true;
  }

  /** The fault to answer this poll with, if the job still owes one. */
  takeFault(job: Job): Scenario['fault'] {
    const fault = job.course.scenario.fault;
    if (!fault || job.faultsLeft <= 0) return undefined;
    job.faultsLeft--;
    return fault;
  }
}

