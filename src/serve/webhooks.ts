// Webhook delivery: when a job ends, the event the contract lists for its object and final status (`batch.failed`,
// `response.completed`, …) is POSTed to the configured URL, signed as Standard Webhooks specifies and as OpenAI signs
// (webhook-id, webhook-timestamp, webhook-signature: `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`), so
// that an SDK's `client.webhooks.unwrap(body, headers, secret)` verifies it. One attempt per event; the outcome of
// each is kept (bounded) for tests to read.
import { createHmac, randomBytes } from 'node:crypto';
import type { Contract } from '../../generated/types.js';

interface WebhookOptions {
  /** Where events are POSTed (http or https). */
  url: string;
  /** The signing secret: `whsec_` + base64 (decoded, as the SDKs decode it), or any other text (its UTF-8 bytes). */
  secret: string;
}

export interface Delivery {
  /** The event's id (`evt_…`), also its webhook-id header. */
  id: string;
  type: string;
  /** The id of the object the event is about (its `data.id`). */
  data_id: string;
  /** The HTTP status the receiver answered; null while in flight or when the request failed. */
  status: number | null;
  /** Why the request failed (a connection error, the timeout). */
  error?: string;
}

/** Deliveries kept for snapshot(), the oldest dropped first. */
const KEPT_DELIVERIES = 1000;
/** How long a receiver has to answer one delivery. */
const DELIVERY_TIMEOUT_MS = 10_000;

/** The field of webhook events: the status field the contract dispatches `object: "event"` to. */
function webhookTypes(contract: Contract): Set<string> {
  const field = Object.entries(contract.fields).find(
    ([, f]) => f.role === 'status' && f.dispatch?.object === 'event',
  )?.[0];
  return new Set(contract.entries.filter((e) => e.field === field && !e.value.includes('*')).map((e) => e.value));
}

function checkWebhookOptions(options: WebhookOptions): void {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new RangeError(`webhook URL must be an absolute http or https URL, got "${options.url}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RangeError(`webhook URL must be an http or https URL, got "${options.url}"`);
  if (typeof options.secret !== 'string' || options.secret === '')
    throw new RangeError('webhook secret must be a non-empty string');
}

/** The signature header's value for one delivery, as the SDKs verify it. */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const key = secret.startsWith('whsec_')
    ? Buffer.from(secret.slice('whsec_'.length), 'base64')
    : Buffer.from(secret, 'utf8');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export class WebhookSender {
  private readonly types: Set<string>;
  private readonly deliveries: Delivery[] = [];
  private readonly inFlight = new Set<AbortController>();

  constructor(
    contract: Contract,
    private readonly options: WebhookOptions,
  ) {
    checkWebhookOptions(options);
    this.types = webhookTypes(contract);
  }

  /** The event type for an object ending in `status`, when the contract lists one (`batch` + `failed`). */
  typeFor(object: string, status: string): string | undefined {
    const type = `${object}.${status}`;
    return this.types.has(type) ? type : undefined;
  }

  /** Sends the event about `dataId` in the background; never rejects. */
  send(type: string, dataId: string): void {
    const id = `evt_${randomBytes(12).toString('hex')}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ id, object: 'event', created_at: timestamp, type, data: { id: dataId } });
    const delivery: Delivery = { id, type, data_id: dataId, status: null };
    this.deliveries.push(delivery);
    if (this.deliveries.length > KEPT_DELIVERIES) this.deliveries.shift();
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timer = setTimeout(
      () => controller.abort(new Error(`no answer within ${DELIVERY_TIMEOUT_MS} ms`)),
      DELIVERY_TIMEOUT_MS,
    );
    fetch(this.options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'error-contract-emulator',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature(this.options.secret, id, timestamp, body),
      },
      body,
      signal: controller.signal,
    })
      .then(async (res) => {
        delivery.status = res.status;
        await res.arrayBuffer().catch(() => undefined);
      })
      .catch((error: unknown) => {
        delivery.error = controller.signal.aborted
          ? String((controller.signal.reason as Error)?.message ?? 'aborted')
          : (error as Error).message;
      })
      .finally(() => {
        clearTimeout(timer);
        this.inFlight.delete(controller);
      });
  }

  /** Every delivery so far (the newest 1000), oldest first. */
  snapshot(): Delivery[] {
    return this.deliveries.map((d) => ({ ...d }));
  }

  /** Abandons the deliveries still in flight (the server is closing). */
  close(): void {
    for (const controller of this.inFlight) controller.abort(new Error('the emulator closed'));
  }
}
