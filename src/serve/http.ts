// Low-level HTTP for the emulator: bounded body reading and JSON / server-sent-event answers.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LogEntry } from './log.js';

export class BodyTooLarge extends Error {}

/** The request body as text; rejects with BodyTooLarge beyond `limit` bytes, without buffering the excess. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function baseHeaders(extra: Record<string, string> | undefined): Record<string, string> {
  return { 'x-request-id': `req_${randomBytes(12).toString('hex')}`, ...extra };
}

/** Answers JSON and records the status (and any timing or retry headers) in the log entry. */
export function sendJson(
  res: ServerResponse,
  entry: LogEntry,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): void {
  const text = JSON.stringify(body);
  entry.status = status;
  if (headers && Object.keys(headers).length > 0) entry.sent = { ...headers };
  res.writeHead(status, {
    ...baseHeaders(headers),
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Answers a whole stream of server-sent events at once, as `event: <type>` / `data: <json>` pairs. */
export function sendEvents(res: ServerResponse, entry: LogEntry, events: Array<Record<string, unknown>>): void {
  entry.status = 200;
  res.writeHead(200, {
    ...baseHeaders(undefined),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  res.end(events.map((e) => `event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`).join(''));
}
