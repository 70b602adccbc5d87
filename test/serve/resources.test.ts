// The emulator's resources beyond Responses, through the real client: their scenarios are the contract's entries
// (derived, not listed), their ids carry the contract's prefixes, and their creates are checked as the API checks them.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { contractIndex } from '../../src/contract-index.js';
import { publishedContract } from '../../src/contract.js';
import { startEmulator } from '../../src/serve/server.js';
import { clientFor, settle, useEmulator } from './support.js';

const contract = publishedContract();
const env = useEmulator();
const OBJECTS = ['batch', 'fine_tuning.job', 'vector_store.file', 'vector_store.files_batch'];
const statusFieldOf = (object: string) =>
  Object.entries(contract.fields).find(([, f]) => f.role === 'status' && f.dispatch?.object === object)![0];

const batch = (c: OpenAI, metadata: Record<string, string> = {}) =>
  c.batches.create({ input_file_id: 'file-in', endpoint: '/v1/responses', completion_window: '24h', metadata });

describe('scenarios', () => {
  it.each(OBJECTS)(
    '%s: every entry of its status field, of the reasons it defers to and of its partial failures',
    (object) => {
      const field = statusFieldOf(object);
      const statusEntries = contractIndex(contract).matchedEntriesOf(field);
      const expected = new Set(statusEntries.map((e) => e.id));
      for (const e of statusEntries) {
        for (const f of e.refined_by ?? [])
          for (const r of contractIndex(contract).matchedEntriesOf(f)) expected.add(r.id);
        if (e.partial_failure)
          for (const r of contractIndex(contract).matchedEntriesOf(e.partial_failure)) expected.add(r.id);
      }
      const served = new Set(env.server.resourceScenarios[object]);
      for (const id of expected) expect(served, `${object}: ${id}`).toContain(id);
      // Beyond those, only the HTTP faults that every object shares with Responses.
      const http = env.server.scenarios.filter((id) => id.startsWith('http.') || id.endsWith('@http'));
      expect([...served].filter((id) => !expected.has(id)).sort()).toEqual([...http].sort());
    },
  );

  it('GET /__emulator/scenarios lists them by object', async () => {
    const listing = (await (await fetch(env.server.url.replace(/\/v1$/, '/__emulator/scenarios'))).json()) as {
      resources: Record<string, { id: string }[]>;
    };
    expect(Object.keys(listing.resources).sort()).toEqual([...OBJECTS].sort());
    for (const object of OBJECTS)
      expect(listing.resources[object]!.map((s) => s.id)).toEqual(env.server.resourceScenarios[object]);
  });
});

describe('routes', () => {
  it("ids carry the contract's dispatch prefix; a vector-store file is its file's id", async () => {
    const prefix = (object: string) => contract.fields[statusFieldOf(object)]!.dispatch!.id_prefix!;
    expect((await batch(env.client)).id.startsWith(prefix('batch'))).toBe(true);
    expect(
      (await env.client.fineTuning.jobs.create({ model: 'm', training_file: 'f' })).id.startsWith(
        prefix('fine_tuning.job'),
      ),
    ).toBe(true);
    expect(
      (await env.client.vectorStores.fileBatches.create('vs_1', { file_ids: ['a'] })).id.startsWith(
        prefix('vector_store.files_batch'),
      ),
    ).toBe(true);
    const file = await env.client.vectorStores.files.create('vs_1', {
      file_id: 'file-own',
      attributes: { polls: 1, team: 'x' },
    });
    expect(file).toMatchObject({
      id: 'file-own',
      object: 'vector_store.file',
      vector_store_id: 'vs_1',
      status: 'in_progress',
      attributes: { polls: 1, team: 'x' },
    });
    // Another vector store does not hold it.
    await expect(
      env.client.vectorStores.files.retrieve('file-own', { vector_store_id: 'vs_2' }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect((await env.client.vectorStores.files.retrieve('file-own', { vector_store_id: 'vs_1' })).status).toBe(
      'in_progress',
    );
  });

  it('an unknown id is a 404; a Response id is not a batch', async () => {
    await expect(env.client.batches.retrieve('batch_none')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const response = await env.client.responses.create({ model: 'm', input: 'x', background: true });
    await expect(env.client.batches.retrieve(response.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const created = await batch(env.client);
    await expect(env.client.responses.retrieve(created.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('bad creates are 400s naming the parameter, and create nothing', async () => {
    const cases: Array<[Promise<unknown>, string]> = [
      [batch(env.client, { scenario: 'response.status/failed' }), 'metadata.scenario'],
      [
        env.client.vectorStores.files.create('vs_1', { file_id: 'f', attributes: { scenario: 'nope' } }),
        'attributes.scenario',
      ],
      [env.client.batches.create({ endpoint: '/v1/responses', completion_window: '24h' } as never), 'input_file_id'],
      [env.client.fineTuning.jobs.create({ model: 'm' } as never), 'training_file'],
      [env.client.vectorStores.fileBatches.create('vs_1', { file_ids: [] }), 'file_ids'],
      [batch(env.client, { polls: 'many' }), 'metadata.polls'],
    ];
    const before = env.server.liveJobs();
    for (const [promise, param] of cases) {
      const { error } = await settle(promise);
      expect(error, param).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param, param).toBe(param);
    }
    expect(env.server.liveJobs()).toBe(before);
    await expect(clientFor(env.server, { apiKey: 'sk-wrong' }).batches.retrieve('batch_x')).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });

  it('times: the scenario applies to the first N creates with the same metadata', async () => {
    const metadata = { scenario: 'batch.status/failed', times: '1', tag: 'times-test' };
    const first = await batch(env.client, metadata);
    const second = await batch(env.client, metadata);
    expect((await env.client.batches.retrieve(first.id)).status).toBe('failed');
    expect((await env.client.batches.retrieve(second.id)).status).toBe('completed');
  });

  it('a partial failure completes with the failed count, and an error file', async () => {
    const created = await batch(env.client, { scenario: 'batch.request_counts.failed/>0' });
    const done = await env.client.batches.retrieve(created.id);
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 2, completed: 1, failed: 1 } });
    expect(done.error_file_id).toMatch(/^file-/);
  });

  it('every object shares the live-job bound: a create beyond it is a 429', async () => {
    const small = await startEmulator({ maxJobs: 2 });
    try {
      const c = clientFor(small);
      await c.responses.create({ model: 'm', input: 'x', background: true });
      await batch(c);
      await expect(c.fineTuning.jobs.create({ model: 'm', training_file: 'f' })).rejects.toBeInstanceOf(
        OpenAI.RateLimitError,
      );
    } finally {
      await small.close();
    }
  });
});
