// Webhook delivery: a receiver on 127.0.0.1 unwraps every event with the real SDK's client.webhooks.unwrap(), then
// classifies it; the contract says the event carries only the object's id, so the receiver retrieves the object,
// whose classification says why.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { publishedContract } from '../../src/contract.js';
import { raiseForStatus } from '../../src/openai/index.js';
import { startEmulator, type Emulator } from '../../src/serve/server.js';
import { signature } from '../../src/serve/webhooks.js';
import { clientFor, MODEL } from './support.js';

const contract = publishedContract();
const SECRET = `whsec_${Buffer.from('emulated webhook secret').toString('base64')}`;

interface Received {
  body: string;
  headers: IncomingHttpHeaders;
}

/** A webhook receiver: records every POST and answers 200 (or `status`). */
class Receiver {
  readonly received: Received[] = [];
  private waiters: Array<() => void> = [];
  status = 200;
  server!: Server;
  url!: string;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        this.received.push({ body, headers: req.headers });
        res.writeHead(this.status).end();
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
  }

  /** The first event about `id`, once it has arrived; fails after 10 s. */
  async eventFor(id: string): Promise<Received> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = this.received.find((r) => (JSON.parse(r.body) as { data: { id: string } }).data.id === id);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no webhook event for ${id} within 10 s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const receiver = new Receiver();
let server: Emulator;
let client: OpenAI;

beforeAll(async () => {
  await receiver.start();
  server = await startEmulator({ webhookUrl: receiver.url, webhookSecret: SECRET });
  client = clientFor(server);
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

/** What the receiver does with a delivery: unwrap it with the SDK (verifying the signature), then classify it. */
async function unwrap(delivery: Received) {
  const headers = Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [k, String(v)]));
  const event = await client.webhooks.unwrap(delivery.body, headers, SECRET);
  return { event, result: classify(event) };
}

const batch = (metadata: Record<string, string>) =>
  client.batches.create({ input_file_id: 'file-in', endpoint: '/v1/responses', completion_window: '24h', metadata });

describe('webhook events the real SDK verifies', () => {
  it('batch.failed: unwrapped, classified failed; the batch retrieved says why', async () => {
    const created = await batch({ scenario: 'error.code/rate_limit_exceeded' });
    const { event, result } = await unwrap(await receiver.eventFor(created.id));
    expect(event).toMatchObject({ object: 'event', type: 'batch.failed', data: { id: created.id } });
    expect(event.id).toMatch(/^evt_/);
    expect(result).toMatchObject({ outcome: 'failed', entry: 'webhook.type/batch.failed' });
    // The contract's note: the event carries only the object's id; the object itself, retrieved, says why.
    expect(contract.entries.find((e) => e.id === result.entry)!.summary).toMatch(/only its id/);
    const retrieved = await client.batches.retrieve(event.data.id);
    expect(() => raiseForStatus(retrieved)).toThrow(OpenAI.RateLimitError);
  });

  it('every webhook type of a resource that the emulator can end in is delivered with that type', async () => {
    const fine = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: 'file-train' });
    const expired = await batch({ scenario: 'batch.status/expired' });
    const response = await client.responses.create({
      model: MODEL,
      input: 'x',
      background: true,
      metadata: { scenario: 'response.incomplete_details.reason/max_output_tokens' },
    });
    for (const [id, type, outcome] of [
      [fine.id, 'fine_tuning.job.succeeded', 'completed'],
      [expired.id, 'batch.expired', 'expired'],
      [response.id, 'response.incomplete', 'incomplete'],
    ] as const) {
      const { event, result } = await unwrap(await receiver.eventFor(id));
      expect(event.type, id).toBe(type);
      expect(result.outcome, id).toBe(outcome);
    }
  });

  it('a job with in-progress polls sends its event only once polled to its end', async () => {
    const created = await batch({ scenario: 'batch.status/cancelled', polls: '2' });
    await client.batches.retrieve(created.id);
    await client.batches.retrieve(created.id);
    expect(server.webhooks().some((d) => d.data_id === created.id)).toBe(false);
    expect((await client.batches.retrieve(created.id)).status).toBe('cancelled');
    const { event } = await unwrap(await receiver.eventFor(created.id));
    expect(event.type).toBe('batch.cancelled');
    expect(server.webhooks().find((d) => d.data_id === created.id)).toMatchObject({
      type: 'batch.cancelled',
      status: 200,
    });
  });

  it('no event for what the contract lists no webhook type for: a synchronous Response, a vector-store file', async () => {
    const sync = await client.responses.create({ model: MODEL, input: 'x' });
    const file = await client.vectorStores.files.create('vs_1', { file_id: 'file-nohook' });
    const marker = await batch({});
    await receiver.eventFor(marker.id);
    const about = server.webhooks().map((d) => d.data_id);
    expect(about).not.toContain(sync.id);
    expect(about).not.toContain(file.id);
  });

  it("a tampered body, a wrong secret or an old timestamp fails the SDK's verification", async () => {
    const created = await batch({});
    const delivery = await receiver.eventFor(created.id);
    const headers = Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [k, String(v)]));
    await expect(
      client.webhooks.unwrap(delivery.body.replace(created.id, 'batch_other'), headers, SECRET),
    ).rejects.toThrow(OpenAI.InvalidWebhookSignatureError);
    await expect(
      client.webhooks.unwrap(delivery.body, headers, `whsec_${Buffer.from('other').toString('base64')}`),
    ).rejects.toThrow(OpenAI.InvalidWebhookSignatureError);
    // The signature is Standard Webhooks': over `{id}.{timestamp}.{body}` with the decoded secret.
    expect(headers['webhook-signature']).toBe(
      signature(SECRET, headers['webhook-id']!, Number(headers['webhook-timestamp']), delivery.body),
    );
    const old = Number(headers['webhook-timestamp']) - 3600;
    const stale = {
      ...headers,
      'webhook-timestamp': String(old),
      'webhook-signature': signature(SECRET, headers['webhook-id']!, old, delivery.body),
    };
    await expect(client.webhooks.unwrap(delivery.body, stale, SECRET)).rejects.toThrow(/too old/);
  });

  it('a secret without the whsec_ prefix signs with its UTF-8 bytes, as the SDK verifies it', async () => {
    const plain = new Receiver();
    await plain.start();
    const other = await startEmulator({ webhookUrl: plain.url, webhookSecret: 'a plain secret' });
    try {
      const created = await clientFor(other).batches.create({
        input_file_id: 'f',
        endpoint: '/v1/responses',
        completion_window: '24h',
      });
      const delivery = await plain.eventFor(created.id);
      const headers = Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [k, String(v)]));
      await expect(client.webhooks.unwrap(delivery.body, headers, 'a plain secret')).resolves.toMatchObject({
        type: 'batch.completed',
      });
    } finally {
      await other.close();
      await plain.close();
    }
  });

  it("a receiver's error answer is recorded; the emulator goes on", async () => {
    receiver.status = 500;
    try {
      const created = await batch({});
      await receiver.eventFor(created.id);
      const deadline = Date.now() + 10_000;
      while (server.webhooks().find((d) => d.data_id === created.id)?.status !== 500 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(server.webhooks().find((d) => d.data_id === created.id)?.status).toBe(500);
    } finally {
      receiver.status = 200;
    }
    const listing = (await (await fetch(server.url.replace(/\/v1$/, '/__emulator/webhooks'))).json()) as {
      deliveries: unknown[];
    };
    expect(listing.deliveries.length).toBe(server.webhooks().length);
  });

  it('bad webhook options are refused before listening', async () => {
    await expect(startEmulator({ webhookUrl: receiver.url })).rejects.toThrow(/go together/);
    await expect(startEmulator({ webhookUrl: 'not a url', webhookSecret: 's' })).rejects.toThrow(RangeError);
  });
});
