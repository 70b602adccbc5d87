// The background-lifecycle emulator: a real HTTP server on 127.0.0.1 that an SDK's client is pointed at
// (baseURL = Emulator.url). Routes, authentication and the job lifecycle of Responses and of the resources of
// resources.ts (batches, fine-tuning jobs, vector-store files and file batches); scenarios come from scenarios.ts,
// webhook delivery from webhooks.ts.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Contract } from '../../generated/types.js';
import { publishedContract } from '../contract.js';
import { errorBody, responseObject } from './bodies.js';
import { BodyTooLarge, readBody, sendEvents, sendJson } from './http.js';
import {
  JobStore,
  lifecycleFor,
  newHex,
  OPENAI_LIFECYCLE,
  storedBytes,
  type Job,
  type Lifecycle,
  type RetryHint,
} from './jobs.js';
import { RequestLog, type LogEntry } from './log.js';
import { isRefusal, parseCourse, parseCreate } from './request.js';
import { buildResources, parseResourceCreate, type Resource, type ResourceRequest } from './resources.js';
import { buildCatalogue, OBJECT, type Catalogue, type ResponseState, type Scenario, type State } from './scenarios.js';
import { WebhookSender, type Delivery } from './webhooks.js';

/** What readJson gives for a body that is not JSON (its 400 already sent). */
const NOT_JSON: unique symbol = Symbol('not JSON');

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The bearer token the emulator accepts; default "sk-test". */
  token?: string;
  /** A profile of contract.profiles: its `lifecycle` decides how jobs are created (default: OpenAI's). */
  profile?: string;
  contract?: Contract;
  /** Cap on live jobs, default 10000: a create beyond it answers 429. */
  maxJobs?: number;
  /**
   * Cap on the memory live jobs keep, default 64 MiB: a create beyond it answers 429. A job keeps the request fields
   * a Response echoes (model, instructions, metadata, previous_response_id) and the first 200 characters of its
   * input, counted at two bytes a character plus 1 KiB.
   */
  maxStoredBytes?: number;
  /** Time to live of a job from its creation, default one hour: afterwards it is gone (404). */
  ttlMs?: number;
  /** Entries the request log keeps, default 50000 (the oldest are dropped and counted). */
  logSize?: number;
  /** Largest request body accepted, default 1 MiB. */
  maxBodyBytes?: number;
  /** Clock of creation times and the TTL (ms since the epoch); default Date.now. */
  now?: () => number;
  /**
   * Where to POST a signed webhook event when a job ends (a background Response, a batch, a fine-tuning job): the
   * type the contract lists for its object and final status (`batch.failed`), `data.id` its id. Needs webhookSecret.
   * A job whose course has no in-progress polls then ends as soon as its create is answered (a webhook consumer does
   * not poll); one with `polls` ends at its last poll, as without webhooks.
   */
  webhookUrl?: string;
  /** The secret events are signed with (Standard Webhooks: `whsec_` + base64, or any text), as `client.webhooks.unwrap` takes it. */
  webhookSecret?: string;
}

export interface Emulator {
  /** The base URL to give an SDK, ending in /v1. */
  url: string;
  port: number;
  lifecycle: Lifecycle;
  /** Every valid `metadata.scenario` of a Response. */
  scenarios: string[];
  /** Every valid scenario of each other resource, by its contract object (`batch`, `fine_tuning.job`, …). */
  resourceScenarios: Record<string, string[]>;
  /** The webhook events sent (the newest 1000), with the receiver's answer; empty without webhookUrl. */
  webhooks(): Delivery[];
  log(): ReturnType<RequestLog['snapshot']>;
  clearLog(): void;
  liveJobs(): number;
  /** The memory live jobs keep, as maxStoredBytes counts it. */
  storedBytes(): number;
  close(): Promise<void>;
}

export const DEFAULT_TOKEN = 'sk-test';
const HOST = '127.0.0.1';
const RESPONSE_PATH = /^\/v1\/responses\/([^/]+)$/;
const CANCEL_PATH = /^\/v1\/responses\/([^/]+)\/cancel$/;

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  return value;
}

function maskKey(key: string): string {
  return key.length <= 8
    ? '*'.repeat(key.length)
    : `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 20))}${key.slice(-4)}`;
}

/** How many creates carried each metadata (for `metadata.times`); bounded, the oldest metadata forgotten first. */
class Repeats {
  private readonly counts = new Map<string, number>();
  constructor(private readonly capacity: number) {}

  /** Counts one more create of `object` with this metadata and returns the count, 1 for the first. */
  count(metadata: Record<string, string>, object: string = OBJECT): number {
    // A digest, so that the memory this takes does not grow with the metadata's size.
    const key = createHash('sha256')
      .update(JSON.stringify([object, Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]))
      .digest('base64');
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.delete(key);
    this.counts.set(key, n);
    if (this.counts.size > this.capacity) this.counts.delete(this.counts.keys().next().value!);
    return n;
  }
}

/** A client's mistake that the handler answers with a 400 `invalid_request_error`. */
class BadRequest extends Error {
  constructor(
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** The request target as a URL, or undefined when it is not one (`//`, `///`, `//[`, `http://[`, `//a:99999`). */
function parseTarget(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', `http://${HOST}`);
  } catch {
    return undefined;
  }
}

function quoteTarget(target: string | undefined): string {
  const text = target ?? '';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** A path segment's id, percent-decoded; a malformed escape (`%`, `%zz`) is the client's error. */
function decodeId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequest(`Invalid URL: the id '${quoteTarget(segment)}' is not percent-encoded correctly.`);
  }
}

class Emulation {
  readonly log: RequestLog;
  readonly store: JobStore;
  readonly repeats: Repeats;
  readonly webhooks: WebhookSender | undefined;
  private readonly maxBodyBytes: number;

  constructor(
    readonly catalogue: Catalogue,
    readonly lifecycle: Lifecycle,
    readonly resources: Resource[],
    private readonly token: string,
    contract: Contract,
    options: EmulatorOptions,
  ) {
    const maxJobs = positiveInteger('maxJobs', options.maxJobs, 10_000);
    this.maxBodyBytes = positiveInteger('maxBodyBytes', options.maxBodyBytes, 1 << 20);
    this.log = new RequestLog(positiveInteger('logSize', options.logSize, 50_000));
    this.repeats = new Repeats(maxJobs);
    const maxStoredBytes = positiveInteger('maxStoredBytes', options.maxStoredBytes, 64 << 20);
    if ((options.webhookUrl === undefined) !== (options.webhookSecret === undefined))
      throw new RangeError('webhookUrl and webhookSecret go together');
    this.webhooks =
      options.webhookUrl === undefined
        ? undefined
        : new WebhookSender(contract, { url: options.webhookUrl, secret: options.webhookSecret! });
    this.store = new JobStore({
      maxJobs,
      maxStoredBytes,
      ttlMs: positiveInteger('ttlMs', options.ttlMs, 3_600_000),
      now: options.now ?? Date.now,
      onEnd: (job) => this.ended(job),
    });
  }

  /** A job ended: its webhook event, when the contract lists one for its final status (a synchronous Response has none). */
  private ended(job: Job<unknown>): void {
    if (!this.webhooks) return;
    const response = job.catalogue === this.catalogue ? (job as Job) : undefined;
    if (response && !response.request.background) return;
    const type = this.webhooks.typeFor(job.catalogue.object, job.state.status);
    const id = response ? this.store.publicId(job) : (job as Job<ResourceRequest>).request.id;
    if (type !== undefined) this.webhooks.send(type, id);
  }

  /** With webhooks, a job that owes no in-progress poll ends once its create is answered (nobody need poll it). */
  private endIfPushed(job: Job<unknown>): void {
    if (this.webhooks && job.course.polls === 0) this.store.finish(job);
  }

  /** Answers one request. Never rejects: whatever the request, the server goes on. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const retryCount = req.headers['x-stainless-retry-count'];
    // A request target the URL parser refuses (`//`, `http://[`) is still logged, by its raw text.
    const url = parseTarget(req.url);
    const entry = this.log.open(
      method,
      url?.pathname ?? req.url ?? '',
      typeof retryCount === 'string' ? retryCount : undefined,
    );
    try {
      if (url === undefined)
        return sendJson(
          res,
          entry,
          400,
          errorBody(`Invalid URL (${method} ${quoteTarget(req.url)})`, 'invalid_request_error'),
        );
      await this.route(req, res, url, method, entry);
    } catch (error) {
      if (error instanceof BadRequest) {
        sendJson(res, entry, 400, errorBody(error.message, 'invalid_request_error', error.param, error.code));
      } else if (error instanceof BodyTooLarge) {
        sendJson(
          res,
          entry,
          413,
          errorBody(`The request body exceeds ${this.maxBodyBytes} bytes.`, 'invalid_request_error'),
        );
      } else if (!res.headersSent) {
        sendJson(res, entry, 500, errorBody(`The emulator failed: ${(error as Error).message}`, 'server_error'));
      } else res.destroy(error as Error);
    }
  }

  private async route(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
    entry: LogEntry,
  ): Promise<void> {
    const path = url.pathname;
    if (path === '/__emulator/log' && (method === 'GET' || method === 'DELETE')) {
      if (method === 'DELETE') this.log.clear();
      return sendJson(res, entry, 200, method === 'GET' ? this.log.snapshot() : { cleared: true });
    }
    if (path === '/__emulator/scenarios' && method === 'GET') return sendJson(res, entry, 200, this.describe());
    if (path === '/__emulator/webhooks' && method === 'GET')
      return sendJson(res, entry, 200, { deliveries: this.webhooks?.snapshot() ?? [] });
    if (path.startsWith('/v1/') && !this.authorized(req, res, entry)) return;
    if (path === '/v1/responses' && method === 'POST') return this.create(req, res, entry);
    let match = RESPONSE_PATH.exec(path);
    if (match && method === 'GET')
      return this.retrieve(res, entry, decodeId(match[1]!), url.searchParams.get('stream') === 'true');
    if (match && method === 'DELETE') return this.remove(res, entry, decodeId(match[1]!));
    match = CANCEL_PATH.exec(path);
    if (match && method === 'POST') return this.cancel(res, entry, decodeId(match[1]!));
    for (const resource of this.resources) {
      match = resource.collection.exec(path);
      if (match && method === 'POST')
        return this.createResource(req, res, entry, resource, match.slice(1).map(decodeId));
      match = resource.item.exec(path);
      if (match && method === 'GET') {
        const ids = match.slice(1).map(decodeId);
        return this.retrieveResource(res, entry, resource, ids.slice(0, -1), ids.at(-1)!);
      }
    }
    sendJson(res, entry, 404, errorBody(`Invalid URL (${method} ${path})`, 'invalid_request_error'));
  }

  private describe(): Record<string, unknown> {
    const scenarios = [...this.catalogue.scenarios.values()].map((s) => ({
      id: s.id,
      summary: s.entry?.summary,
      final_status: s.final.status,
      ...(s.fault ? { fault_status: s.fault.status } : {}),
    }));
    const resources = Object.fromEntries(
      this.resources.map((r) => [
        r.object,
        [...r.catalogue.scenarios.values()].map((s) => ({
          id: s.id,
          summary: s.entry?.summary,
          final_status: s.final.status,
          ...(s.fault ? { fault_status: s.fault.status } : {}),
        })),
      ]),
    );
    return { lifecycle: this.lifecycle, scenarios, resources };
  }

  private authorized(req: IncomingMessage, res: ServerResponse, entry: LogEntry): boolean {
    const header = req.headers.authorization;
    const key = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (key === this.token) return true;
    const message = key
      ? `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`
      : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
    sendJson(res, entry, 401, errorBody(message, 'invalid_request_error', null, 'invalid_api_key'));
    return false;
  }

  private notFound(res: ServerResponse, entry: LogEntry, id: string): void {
    sendJson(res, entry, 404, errorBody(`Response with id '${id}' not found.`, 'invalid_request_error'));
  }

  private responseBody(job: Job, state: State = job.state): Record<string, unknown> {
    const id = state.status === this.catalogue.statuses.completed ? job.permanentId : job.id;
    return responseObject(job, id, state as ResponseState, this.catalogue.statuses.completed);
  }

  private note(entry: LogEntry, job: Job<unknown>): void {
    entry.response_id = job.id;
    if (job.course.scenario.id !== null) entry.scenario = job.course.scenario.id;
  }

  /** A request's JSON body, or NOT_JSON once the API's 400 for a body that does not parse has been sent. */
  private async readJson(req: IncomingMessage, res: ServerResponse, entry: LogEntry): Promise<unknown> {
    const text = await readBody(req, this.maxBodyBytes);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      sendJson(
        res,
        entry,
        400,
        errorBody(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
          'invalid_request_error',
        ),
      );
      return NOT_JSON;
    }
  }

  private async create(req: IncomingMessage, res: ServerResponse, entry: LogEntry): Promise<void> {
    const body = await this.readJson(req, res, entry);
    if (body === NOT_JSON) return;
    const parsed = parseCreate(body, this.catalogue);
    if (isRefusal(parsed)) return sendJson(res, entry, parsed.status, parsed.body);
    const { request, course, stream } = parsed;
    if (course.scenario.id !== null) entry.scenario = course.scenario.id;
    if (request.previous_response_id !== null) {
      const previous = this.store.get(request.previous_response_id, this.catalogue);
      if (!previous) {
        return sendJson(
          res,
          entry,
          400,
          errorBody(
            `Previous response with id '${request.previous_response_id}' not found.`,
            'invalid_request_error',
            'previous_response_id',
            'previous_response_not_found',
          ),
        );
      }
      if (this.store.isPending(previous)) {
        // Seed 003: chaining from a background job that has not completed is an error.
        return sendJson(
          res,
          entry,
          400,
          errorBody(
            `Previous response with id '${request.previous_response_id}' is still ${previous.state.status}. Wait until it has completed before using it as previous_response_id.`,
            'invalid_request_error',
            'previous_response_id',
          ),
        );
      }
    }
    if (parsed.times !== undefined && this.repeats.count(request.metadata) > parsed.times)
      course.scenario = this.catalogue.success;
    // Without a job to poll, a synchronous request meets the scenario's HTTP fault itself.
    if (!request.background && course.scenario.fault) return this.sendFault(res, entry, course.scenario.fault, course);
    const hex = newHex();
    const job = this.store.create({
      catalogue: this.catalogue,
      id: this.lifecycle.id_prefix + hex,
      permanentId: OPENAI_LIFECYCLE.id_prefix + hex,
      initialStatus: this.lifecycle.initial_status,
      request,
      course,
      bytes: storedBytes(request),
    });
    if (!job) return this.storeFull(res, entry, 'wait for some to expire or delete them');
    this.note(entry, job);
    if (stream) return sendEvents(res, entry, this.events(job));
    if (!request.background) this.store.finish(job);
    const headers = this.pollHeaders(job);
    sendJson(res, entry, request.background ? this.lifecycle.create_status : 200, this.responseBody(job), headers);
    this.endIfPushed(job);
  }

  /** The 429 for a create the store has no room for: its job limit or its memory bound. */
  private storeFull(res: ServerResponse, entry: LogEntry, remedy: string): void {
    const message = `The emulator holds its maximum of live jobs (or of the memory they keep); ${remedy}.`;
    sendJson(res, entry, 429, errorBody(message, 'requests', null, 'rate_limit_exceeded'), { 'retry-after': '1' });
  }

  private resourceNotFound(res: ServerResponse, entry: LogEntry, resource: Resource, id: string): void {
    sendJson(
      res,
      entry,
      404,
      errorBody(`No ${resource.noun.toLowerCase()} found with id '${id}'.`, 'invalid_request_error'),
    );
  }

  /** The store's key of a resource job: its object, its parents and its id (a file id is unique only in its store). */
  private resourceKey(resource: Resource, parents: string[], id: string): string {
    return JSON.stringify([resource.object, ...parents, id]);
  }

  private async createResource(
    req: IncomingMessage,
    res: ServerResponse,
    entry: LogEntry,
    resource: Resource,
    parents: string[],
  ): Promise<void> {
    const body = await this.readJson(req, res, entry);
    if (body === NOT_JSON) return;
    const parsed = parseResourceCreate(resource, body);
    if (isRefusal(parsed)) return sendJson(res, entry, parsed.status, parsed.body);
    const scripted = parseCourse(parsed.script, resource.catalogue, resource.script);
    if (isRefusal(scripted)) return sendJson(res, entry, scripted.status, scripted.body);
    const { course, times } = scripted;
    if (course.scenario.id !== null) entry.scenario = course.scenario.id;
    if (times !== undefined && this.repeats.count(parsed.script, resource.object) > times)
      course.scenario = resource.catalogue.success;
    const id = resource.givenId?.(parsed.fields) ?? resource.idPrefix + newHex();
    const request: ResourceRequest = { id, parents, fields: parsed.fields, script: parsed.script };
    const job = this.store.create({
      catalogue: resource.catalogue,
      id: this.resourceKey(resource, parents, id),
      initialStatus: resource.initialStatus,
      request,
      course,
      // The kept text at two bytes a character, as storedBytes counts a Response's.
      bytes: 2 * JSON.stringify(request).length + 1024,
    });
    if (!job) return this.storeFull(res, entry, 'wait for some to expire');
    entry.response_id = id;
    sendJson(res, entry, 200, resource.body(job, job.state), this.pollHeaders(job));
    this.endIfPushed(job);
  }

  private retrieveResource(
    res: ServerResponse,
    entry: LogEntry,
    resource: Resource,
    parents: string[],
    id: string,
  ): void {
    const job = this.store.get<ResourceRequest>(this.resourceKey(resource, parents, id), resource.catalogue);
    if (!job) return this.resourceNotFound(res, entry, resource, id);
    entry.response_id = id;
    if (job.course.scenario.id !== null) entry.scenario = job.course.scenario.id;
    const fault = this.store.takeFault(job);
    if (fault) return this.sendFault(res, entry, fault, job.course);
    this.store.advance(job);
    sendJson(res, entry, 200, resource.body(job, job.state), this.pollHeaders(job));
  }

  private retrieve(res: ServerResponse, entry: LogEntry, id: string, stream: boolean): void {
    const job = this.store.get(id, this.catalogue);
    if (!job) return this.notFound(res, entry, id);
    this.note(entry, job);
    const fault = this.store.takeFault(job);
    if (fault) return this.sendFault(res, entry, fault, job.course);
    if (stream) return sendEvents(res, entry, this.events(job));
    this.store.advance(job);
    sendJson(res, entry, 200, this.responseBody(job), this.pollHeaders(job) ?? this.failureHeaders(job));
  }

  private cancel(res: ServerResponse, entry: LogEntry, id: string): void {
    const job = this.store.get(id, this.catalogue);
    if (!job) return this.notFound(res, entry, id);
    this.note(entry, job);
    if (!job.request.background) {
      return sendJson(
        res,
        entry,
        400,
        errorBody('Only responses created with background=true can be cancelled.', 'invalid_request_error'),
      );
    }
    if (!this.store.cancel(job)) {
      return sendJson(
        res,
        entry,
        400,
        errorBody(`Cannot cancel a response with status '${job.state.status}'.`, 'invalid_request_error'),
      );
    }
    sendJson(res, entry, 200, this.responseBody(job));
  }

  private remove(res: ServerResponse, entry: LogEntry, id: string): void {
    const job = this.store.get(id, this.catalogue);
    if (!job) return this.notFound(res, entry, id);
    this.note(entry, job);
    this.store.remove(job);
    sendJson(res, entry, 200, { id, object: `${OBJECT}.deleted`, deleted: true });
  }

  private pollHeaders(job: Job<unknown>): Record<string, string> | undefined {
    const ms = job.course.pollAfterMs;
    return ms !== undefined && this.store.isPending(job) ? { 'openai-poll-after-ms': String(ms) } : undefined;
  }

  /** A job that ended other than completed, scripted with metadata.retry_after_ms: its poll says when to retry. */
  private failureHeaders(job: Job<unknown>): Record<string, string> | undefined {
    if (job.course.retryAfterMs === undefined || this.store.isPending(job) || job.state.status === 'completed')
      return undefined;
    return retryHintHeaders(job.course.retryAfterMs, job.course.retryHint ?? 'both');
  }

  private sendFault(
    res: ServerResponse,
    entry: LogEntry,
    fault: NonNullable<Scenario['fault']>,
    course: Job<unknown>['course'],
  ): void {
    // A 429 always says when to come back (1 s unless metadata.retry_after_ms says otherwise), as the API does.
    const retryAfterMs = course.retryAfterMs ?? (fault.status === 429 ? 1_000 : undefined);
    const headers: Record<string, string> =
      retryAfterMs === undefined ? {} : retryHintHeaders(retryAfterMs, course.retryHint ?? 'both');
    if (course.shouldRetry !== undefined) headers['x-should-retry'] = String(course.shouldRetry);
    sendJson(res, entry, fault.status, { error: fault.error }, headers);
  }

  /**
   * A stream replays the job's course to its end: `response.created`, `response.in_progress` when the job passes
   * through it, then the lifecycle event of its final status. A scenario naming a lifecycle event ends the stream
   * there; one naming a whole event (an error, a delta) ends it with that event instead.
   */
  private events(job: Job): Array<Record<string, unknown>> {
    const { statuses, events: known } = this.catalogue;
    const initial: State = { ...this.catalogue.blank, status: this.lifecycle.initial_status };
    this.store.finish(job);
    const final = job.state;
    const ended = !this.store.isPending(job);
    const steps: Array<[string, State]> = [[`${OBJECT}.created`, initial]];
    if (initial.status !== statuses.running && final.status !== initial.status)
      steps.push([`${OBJECT}.${statuses.running}`, { ...initial, status: statuses.running }]);
    if (final.status !== steps.at(-1)![1].status) steps.push([`${OBJECT}.${final.status}`, final]);
    const listed = steps.filter(([type]) => known.has(type));
    const last = job.course.scenario.lastEvent;
    let chosen: Array<[string, State] | Record<string, unknown>>;
    if (last === undefined) chosen = listed;
    else if (typeof last === 'string') {
      const at = listed.findIndex(([type]) => type === last);
      chosen = at === -1 ? [...listed, [last, final]] : listed.slice(0, at + 1);
    } else chosen = [...listed.filter(([, state]) => !(ended && state === final)), last];
    return chosen.map((step, i) => ({
      ...(Array.isArray(step) ? { type: step[0], [OBJECT]: this.responseBody(job, step[1]) } : step),
      sequence_number: i,
    }));
  }
}

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const contract = options.contract ?? publishedContract();
  const catalogue = buildCatalogue(contract);
  const lifecycle = lifecycleFor(contract, options.profile);
  if (!catalogue.statuses.pending.has(lifecycle.initial_status)) {
    throw new RangeError(
      `profile "${options.profile}": initial_status "${lifecycle.initial_status}" is not a pending status of the contract`,
    );
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  const token = options.token ?? DEFAULT_TOKEN;
  if (token === '') throw new RangeError('token must not be empty');
  const resources = buildResources(contract);
  const emulation = new Emulation(catalogue, lifecycle, resources, token, contract, options);
  // Idle connections are kept longer than clients keep them (undici: 4 s), so that a client never sends a request
  // on a connection the server is closing.
  const server = createServer({ keepAliveTimeout: 30_000, headersTimeout: 60_000 }, (req, res) => {
    // handle() answers every error itself; this is the last line of defence, so that no request ends the process.
    emulation.handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A deep accept queue: a test suite may open a thousand connections at once, and a dropped SYN costs the
    // client a retransmission delay of a second or more.
    server.listen({ port, host: HOST, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${actual}/v1`,
    port: actual,
    lifecycle,
    scenarios: [...catalogue.scenarios.keys()],
    resourceScenarios: Object.fromEntries(resources.map((r) => [r.object, [...r.catalogue.scenarios.keys()]])),
    webhooks: () => emulation.webhooks?.snapshot() ?? [],
    log: () => emulation.log.snapshot(),
    clearLog: () => emulation.log.clear(),
    liveJobs: () => emulation.store.size,
    storedBytes: () => {
      emulation.store.sweep();
      return emulation.store.bytes;
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        emulation.webhooks?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

/**
 * A retry delay in the form `hint` names: retry-after-ms; retry-after in whole seconds (rounded up); retry-after as
 * an HTTP date with the date header it is relative to (whole seconds apart, rounded up); or both header forms.
 */
function retryHintHeaders(ms: number, hint: RetryHint, now = Date.now()): Record<string, string> {
  const seconds = Math.ceil(ms / 1000);
  switch (hint) {
    case 'retry-after-ms':
      return { 'retry-after-ms': String(ms) };
    case 'retry-after':
      return { 'retry-after': String(seconds) };
    case 'http-date': {
      const at = Math.floor(now / 1000) * 1000;
      return { date: new Date(at).toUTCString(), 'retry-after': new Date(at + seconds * 1000).toUTCString() };
    }
    case 'both':
      return { 'retry-after-ms': String(ms), 'retry-after': String(seconds) };
  }
}
