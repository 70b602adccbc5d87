// The emulator over plain HTTP: routes, faithful error bodies, scenarios derived from the contract, bounds.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { contractIndex } from '../../src/contract-index.js';
import { publishedContract } from '../../src/contract.js';
import { MODEL, clientFor, emulator, rawStatus, useEmulator } from './support.js';

const contract = publishedContract();
const env = useEmulator();

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: 'Bearer sk-test' },
) {
  const res = await fetch(env.server.url.replace(/\/v1$/, '') + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text.startsWith('{') ? JSON.parse(text) : text };
}

/** Every OpenAI error body has exactly these four keys. */
function expectErrorBody(body: unknown): void {
  expect(Object.keys((body as { error: object }).error).sort()).toEqual(['code', 'message', 'param', 'type']);
}

describe('routes and errors', () => {
  it('listens on 127.0.0.1 and gives a base URL ending in /v1', () => {
    expect(env.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('401 invalid_api_key for a missing or a wrong token', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer sk-wrong-key-123456' },
      { authorization: 'Basic sk-test' },
    ] as Record<string, string>[]) {
      const r = await call('GET', '/v1/responses/resp_x', undefined, headers);
      expect(r.status).toBe(401);
      expectErrorBody(r.body);
      expect(r.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    }
    const wrong = await call('GET', '/v1/responses/resp_x', undefined, { authorization: 'Bearer sk-wrong-key-123456' });
    expect(wrong.body.error.message).not.toContain('sk-wrong-key-123456');
  });

  it('the SDK raises AuthenticationError for a wrong key', async () => {
    await expect(clientFor(env.server, { apiKey: 'sk-nope' }).responses.retrieve('resp_x')).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });

  it('400 for a body that is not JSON, not an object, or lacks a model', async () => {
    for (const [body, param] of [
      ['{"model": ', null],
      ['[1]', null],
      [{ input: 'x' }, 'model'],
      [{ model: 1 }, 'model'],
    ] as const) {
      const r = await call('POST', '/v1/responses', body);
      expect(r.status).toBe(400);
      expectErrorBody(r.body);
      expect(r.body.error.param).toBe(param);
    }
  });

  it('404 for an unknown id (retrieve, cancel, delete) and for an unknown route', async () => {
    for (const [method, path] of [
      ['GET', '/v1/responses/resp_nope'],
      ['POST', '/v1/responses/resp_nope/cancel'],
      ['DELETE', '/v1/responses/resp_nope'],
      ['GET', '/v1/models'],
    ]) {
      const r = await call(method!, path!);
      expect(r.status, `${method} ${path}`).toBe(404);
      expectErrorBody(r.body);
    }
  });

  it('400 for an unknown scenario, naming every valid one', async () => {
    const r = await call('POST', '/v1/responses', {
      model: MODEL,
      background: true,
      metadata: { scenario: 'no.such/entry' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ param: 'metadata.scenario', code: 'invalid_value' });
    for (const id of env.server.scenarios) expect(r.body.error.message).toContain(id);
  });

  it('400 for metadata that is not a string, or a count out of range', async () => {
    for (const [metadata, param] of [
      [{ polls: 3 }, 'metadata.polls'],
      [{ polls: 'three' }, 'metadata.polls'],
      [{ polls: '99999999' }, 'metadata.polls'],
      [{ should_retry: 'yes' }, 'metadata.should_retry'],
      [{ retry_hint: 'retry-after-seconds' }, 'metadata.retry_hint'],
    ] as const) {
      const r = await call('POST', '/v1/responses', { model: MODEL, background: true, metadata });
      expect(r.status).toBe(400);
      expect(r.body.error.param).toBe(param);
    }
  });
});

describe('malformed requests', () => {
  // Each of these targets once made `new URL` throw outside the handler's try: an unhandled rejection that ended the
  // process hosting the emulator.
  it('a request target that is not a URL is a 400, and the server goes on answering', async () => {
    for (const target of ['//', '///', '//[', 'http://[', '//a:99999']) {
      expect(await rawStatus(env.server.port, target), target).toBe(400);
      expect(await rawStatus(env.server.port, '/v1/responses/resp_nope'), `after ${target}`).toBe(404);
    }
    expect(env.server.log().entries.some((e) => e.path === '//' && e.status === 400)).toBe(true);
  });

  it('a malformed percent-escape in an id is a 400 invalid_request_error, not a 500', async () => {
    for (const [method, path] of [
      ['GET', '/v1/responses/%'],
      ['DELETE', '/v1/responses/%zz'],
      ['POST', '/v1/responses/%E0%A4%A/cancel'],
    ] as const) {
      const r = await call(method, path);
      expect(r.status, `${method} ${path}`).toBe(400);
      expectErrorBody(r.body);
      expect(r.body.error.type).toBe('invalid_request_error');
    }
  });

  it('an input nested deeper than the limit is a 400 naming input, and creates no job', async () => {
    const small = await emulator();
    try {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      const r = await fetch(`${small.url}/responses`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
        body: `{"model":"${MODEL}","background":true,"input":${deep}}`,
      });
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { param: string } }).error.param).toBe('input');
      expect(small.liveJobs()).toBe(0);
      // 100 levels is still accepted, and its job polls like any other.
      const ok = await clientFor(small).responses.create({
        model: MODEL,
        background: true,
        input: JSON.parse(`${'['.repeat(99)}"x"${']'.repeat(99)}`),
      });
      expect((await clientFor(small).responses.retrieve(ok.id)).status).toBe('completed');
    } finally {
      await small.close();
    }
  });

  it('metadata beyond the API bounds (16 pairs, 64-character keys, 512-character values) is a 400', async () => {
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    for (const [metadata, param] of [
      [many, 'metadata'],
      [{ ['k'.repeat(65)]: 'v' }, 'metadata'],
      [{ note: 'v'.repeat(513) }, 'metadata.note'],
    ] as const) {
      const r = await call('POST', '/v1/responses', { model: MODEL, background: true, metadata });
      expect(r.status).toBe(400);
      expect(r.body.error.param).toBe(param);
    }
  });
});

describe('scenarios', () => {
  it('are every entry of the Responses status, its reasons, the stream events and their reasons, and HTTP', () => {
    const fields = contract.fields;
    const status = Object.keys(fields).find(
      (id) => fields[id]!.role === 'status' && fields[id]!.dispatch?.object === 'response',
    )!;
    const event = Object.keys(fields).find((id) => fields[id]!.role === 'event')!;
    const chosen = new Set<string>([status, event]);
    for (const e of contract.entries)
      if ((e.field === status || e.field === event) && e.refined_by) e.refined_by.forEach((f) => chosen.add(f));
    for (const [id, f] of Object.entries(fields)) if (f.role === 'http' || f.role === 'http_refinement') chosen.add(id);
    // Each chosen field's entries as classify() matches them: its own, then its vocabulary's.
    // A vocabulary's code is also an HTTP fault of its own status: `<entry>@http`.
    const httpOnly = (field: string) => fields[field]!.role === 'http_refinement';
    const expected = [
      ...new Set([
        ...[...chosen].flatMap((field) => contractIndex(contract).matchedEntriesOf(field)).map((e) => e.id),
        ...[...chosen].filter(httpOnly).flatMap((field) =>
          contractIndex(contract)
            .matchedEntriesOf(field)
            .filter((e) => e.field !== field && typeof e.http_status === 'number')
            .map((e) => `${e.id}@http`),
        ),
      ]),
    ];
    expect([...env.server.scenarios].sort()).toEqual(expected.sort());
  });

  it('GET /__emulator/scenarios lists them with the lifecycle', async () => {
    const r = await call('GET', '/__emulator/scenarios', undefined, {});
    expect(r.status).toBe(200);
    expect(r.body.lifecycle).toEqual({ create_status: 200, id_prefix: 'resp_', initial_status: 'queued' });
    expect(r.body.scenarios.map((s: { id: string }) => s.id)).toEqual(env.server.scenarios);
  });

  it('a job is queued, in progress for metadata.polls polls, then ends as its scenario says', async () => {
    const created = await call('POST', '/v1/responses', {
      model: MODEL,
      input: 'hi',
      background: true,
      metadata: { scenario: 'response.incomplete_details.reason/max_output_tokens', polls: '2' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ object: 'response', status: 'queued', background: true, model: MODEL });
    expect(created.body.id).toMatch(/^resp_[0-9a-f]{32}$/);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('GET', `/v1/responses/${created.body.id}`)).body.status);
    expect(statuses).toEqual(['in_progress', 'in_progress', 'incomplete', 'incomplete']);
    const last = await call('GET', `/v1/responses/${created.body.id}`);
    expect(last.body.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(last.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('without background the answer is synchronous: the final state at once, or the HTTP fault itself', async () => {
    const done = await call('POST', '/v1/responses', {
      model: MODEL,
      input: 'x',
      metadata: { scenario: 'error.code/server_error', polls: '5' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'failed', background: false, error: { code: 'server_error' } });
    const fault = await call('POST', '/v1/responses', {
      model: MODEL,
      input: 'x',
      metadata: { scenario: 'error.code/insufficient_quota@http' },
    });
    expect(fault.status).toBe(429);
    expectErrorBody(fault.body);
    expect(fault.body.error.code).toBe('insufficient_quota');
    expect(fault.headers.get('retry-after')).toBe('1');
  });

  it('an HTTP scenario answers its fault to the first metadata.faults polls, with the headers asked for', async () => {
    const created = await call('POST', '/v1/responses', {
      model: MODEL,
      background: true,
      metadata: { scenario: 'http.status/>=500', faults: '2', should_retry: 'false', retry_after_ms: '1500' },
    });
    const id = created.body.id;
    const polls = [
      await call('GET', `/v1/responses/${id}`),
      await call('GET', `/v1/responses/${id}`),
      await call('GET', `/v1/responses/${id}`),
    ];
    expect(polls.map((p) => p.status)).toEqual([500, 500, 200]);
    expect(polls[0]!.headers.get('x-should-retry')).toBe('false');
    expect(polls[0]!.headers.get('retry-after-ms')).toBe('1500');
    expect(polls[0]!.headers.get('retry-after')).toBe('2');
    expect(polls[2]!.body.status).toBe('completed');
  });

  it('metadata.retry_hint sends the delay in each form, and the contract reads every form back as the same delay', async () => {
    const forms = {
      'retry-after-ms': ['retry-after-ms'],
      'retry-after': ['retry-after'],
      'http-date': ['date', 'retry-after'],
      both: ['retry-after', 'retry-after-ms'],
    } as const;
    for (const [hint, names] of Object.entries(forms)) {
      // A fault (an HTTP 429) and the poll that reports a failed job both carry it.
      const fault = await call('POST', '/v1/responses', {
        model: MODEL,
        background: true,
        metadata: { scenario: 'http.status/429', retry_after_ms: '1500', retry_hint: hint },
      });
      const failing = await call('POST', '/v1/responses', {
        model: MODEL,
        background: true,
        metadata: { scenario: 'error.code/rate_limit_exceeded', retry_after_ms: '1500', retry_hint: hint },
      });
      for (const [id, status] of [
        [fault.body.id, 429],
        [failing.body.id, 200],
      ] as const) {
        const poll = await call('GET', `/v1/responses/${id}`);
        expect(poll.status, hint).toBe(status);
        const sent = names.map((n) => [n, poll.headers.get(n)] as const);
        for (const [name, value] of sent) expect(value, `${hint}: ${name}`).not.toBeNull();
        const envelope = { http_status: poll.status, headers: Object.fromEntries(sent), body: poll.body };
        // Whole seconds (rounded up) for the forms that carry seconds; the milliseconds themselves otherwise.
        expect(classify(envelope).retry_after_ms, hint).toBe(
          hint === 'retry-after-ms' || hint === 'both' ? 1500 : 2000,
        );
      }
    }
  });

  it('metadata.times: the scenario meets only the first N creates with the same metadata', async () => {
    const metadata = { scenario: 'error.code/server_error', times: '2', run: 'times-test' };
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await call('POST', '/v1/responses', { model: MODEL, metadata })).body.status);
    expect(statuses).toEqual(['failed', 'failed', 'completed']);
  });

  it('openai-poll-after-ms is sent while the job is pending only', async () => {
    const created = await call('POST', '/v1/responses', {
      model: MODEL,
      background: true,
      metadata: { polls: '1', poll_after_ms: '250' },
    });
    expect(created.headers.get('openai-poll-after-ms')).toBe('250');
    expect((await call('GET', `/v1/responses/${created.body.id}`)).headers.get('openai-poll-after-ms')).toBe('250');
    expect((await call('GET', `/v1/responses/${created.body.id}`)).headers.get('openai-poll-after-ms')).toBeNull();
  });
});

describe('cancel, delete, chaining', () => {
  it('cancel: a pending job becomes cancelled (again: the same); an ended or synchronous one is refused', async () => {
    const job = (await call('POST', '/v1/responses', { model: MODEL, background: true, metadata: { polls: '9' } }))
      .body;
    expect((await call('POST', `/v1/responses/${job.id}/cancel`)).body.status).toBe('cancelled');
    expect((await call('POST', `/v1/responses/${job.id}/cancel`)).status).toBe(200);
    expect((await call('GET', `/v1/responses/${job.id}`)).body.status).toBe('cancelled');
    const ended = (await call('POST', '/v1/responses', { model: MODEL, background: true })).body;
    await call('GET', `/v1/responses/${ended.id}`);
    expect((await call('POST', `/v1/responses/${ended.id}/cancel`)).status).toBe(400);
    const sync = (await call('POST', '/v1/responses', { model: MODEL })).body;
    expect((await call('POST', `/v1/responses/${sync.id}/cancel`)).status).toBe(400);
  });

  it('delete: the job is gone', async () => {
    const job = (await call('POST', '/v1/responses', { model: MODEL, background: true })).body;
    const deleted = await call('DELETE', `/v1/responses/${job.id}`);
    expect(deleted.body).toEqual({ id: job.id, object: 'response.deleted', deleted: true });
    expect((await call('GET', `/v1/responses/${job.id}`)).status).toBe(404);
  });

  it('previous_response_id: refused while the previous job is pending, or unknown; accepted once it completed', async () => {
    const first = (await call('POST', '/v1/responses', { model: MODEL, background: true, metadata: { polls: '1' } }))
      .body;
    const early = await call('POST', '/v1/responses', { model: MODEL, previous_response_id: first.id });
    expect(early.status).toBe(400);
    expect(early.body.error).toMatchObject({ param: 'previous_response_id', type: 'invalid_request_error' });
    expect(early.body.error.message).toContain('queued');
    const unknown = await call('POST', '/v1/responses', { model: MODEL, previous_response_id: 'resp_unknown' });
    expect(unknown.body.error).toMatchObject({ param: 'previous_response_id', code: 'previous_response_not_found' });
    await call('GET', `/v1/responses/${first.id}`);
    await call('GET', `/v1/responses/${first.id}`);
    const chained = await call('POST', '/v1/responses', { model: MODEL, previous_response_id: first.id });
    expect(chained.status).toBe(200);
    expect(chained.body.previous_response_id).toBe(first.id);
  });
});

describe('bounds', () => {
  it('a cap on live jobs (429 beyond it) and a time to live (404 after it), on an injected clock', async () => {
    let now = 1_000_000;
    const small = await emulator({ maxJobs: 2, ttlMs: 60_000, now: () => now });
    try {
      const smallClient = clientFor(small);
      const a = await smallClient.responses.create({ model: MODEL, background: true });
      await smallClient.responses.create({ model: MODEL, background: true });
      await expect(smallClient.responses.create({ model: MODEL, background: true })).rejects.toBeInstanceOf(
        OpenAI.RateLimitError,
      );
      expect(small.liveJobs()).toBe(2);
      now += 60_000;
      await expect(smallClient.responses.retrieve(a.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
      expect(small.liveJobs()).toBe(0);
      await expect(smallClient.responses.create({ model: MODEL, background: true })).resolves.toMatchObject({
        status: 'queued',
      });
    } finally {
      await small.close();
    }
  });

  it('a bounded request log, oldest dropped first and counted; readable over HTTP and clearable', async () => {
    const small = await emulator({ logSize: 3 });
    try {
      const base = small.url.replace(/\/v1$/, '');
      for (let i = 0; i < 7; i++)
        await fetch(`${small.url}/responses/resp_${i}`, { headers: { authorization: 'Bearer sk-test' } });
      const log = small.log();
      expect(log.entries.map((e) => e.path)).toEqual([
        '/v1/responses/resp_4',
        '/v1/responses/resp_5',
        '/v1/responses/resp_6',
      ]);
      expect(log.dropped).toBe(4);
      expect(log.entries.every((e) => e.status === 404)).toBe(true);
      const over = (await (await fetch(`${base}/__emulator/log`)).json()) as { entries: { seq: number }[] };
      expect(over.entries.at(-1)!.seq).toBe(8);
      await fetch(`${base}/__emulator/log`, { method: 'DELETE' });
      expect(small.log()).toEqual({ entries: [], dropped: 0 });
    } finally {
      await small.close();
    }
  });

  it('a job keeps only the start of its input: memory stays bounded whatever the inputs, and so does the total', async () => {
    const small = await emulator({ maxStoredBytes: 200_000 });
    try {
      const client = clientFor(small);
      const input = 'x'.repeat(900_000);
      const first = await client.responses.create({ model: MODEL, background: true, input });
      // 900,000 characters in, a couple of KiB kept: the start of the input, as the output quotes it.
      expect(small.storedBytes()).toBeLessThan(4_000);
      const done = await client.responses.retrieve(first.id);
      expect(done.output_text).toBe(`Emulated output for: ${'x'.repeat(200)}…`);
      // The total is bounded too: instructions are kept (a Response echoes them) and count against maxStoredBytes.
      const instructions = 'i'.repeat(60_000);
      await client.responses.create({ model: MODEL, background: true, instructions });
      await expect(client.responses.create({ model: MODEL, background: true, instructions })).rejects.toBeInstanceOf(
        OpenAI.RateLimitError,
      );
      expect(small.storedBytes()).toBeLessThanOrEqual(200_000);
      expect(small.liveJobs()).toBe(2);
      await client.responses.delete(first.id);
      expect(small.storedBytes()).toBeLessThan(125_000);
    } finally {
      await small.close();
    }
  });

  it('413 for a body above the limit', async () => {
    const small = await emulator({ maxBodyBytes: 64 });
    try {
      const r = await fetch(`${small.url}/responses`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-test' },
        body: JSON.stringify({ model: MODEL, input: 'x'.repeat(100) }),
      });
      expect(r.status).toBe(413);
    } finally {
      await small.close();
    }
  });

  it('refuses bad options and an unknown profile before listening', async () => {
    await expect(emulator({ port: 70000 })).rejects.toThrow(RangeError);
    await expect(emulator({ maxJobs: 0 })).rejects.toThrow(RangeError);
    await expect(emulator({ maxStoredBytes: 0 })).rejects.toThrow(RangeError);
    await expect(emulator({ profile: 'no-such-profile' })).rejects.toThrow(/unknown profile/);
  });
});
