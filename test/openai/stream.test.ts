// raiseForStream() over real Responses streams: for every stream scenario of the emulator, the events the server
// sends (read raw, without the SDK) decide what the helper must do with the SDK's stream of the same scenario: pass
// every event until the first one the contract classifies as ending the run, then throw its SDK class.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as openai from 'openai';
import OpenAI from 'openai';
import * as openaiError from 'openai/error';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { contractIndex } from '../../src/contract-index.js';
import { publishedContract } from '../../src/contract.js';
import { isContractError, raiseForStream } from '../../src/openai/index.js';
import { packageRoot } from '../../src/paths.js';
import { MODEL, settle, useEmulator } from '../serve/support.js';

const contract = publishedContract();
const modules: Record<string, Record<string, unknown>> = { openai, 'openai/error': openaiError };
const classOf = (kind: string) => {
  const binding = contract.kinds[kind]!.node;
  return modules[binding.module]![binding.class] as new (...args: never[]) => Error;
};
const ENDS_A_RUN = new Set(['failed', 'incomplete', 'cancelled', 'expired']);

const env = useEmulator();
type Event = Record<string, unknown> & { type: string };

// The event field's entries and every entry its reason fields match (their own, then their vocabulary's).
const eventField = Object.keys(contract.fields).find((id) => contract.fields[id]!.role === 'event')!;
const streamScenarios = [
  ...new Set(
    [eventField, ...new Set(contract.entries.filter((e) => e.field === eventField).flatMap((e) => e.refined_by ?? []))]
      .flatMap((field) => contractIndex(contract).matchedEntriesOf(field))
      .map((e) => e.id),
  ),
];

/** A background job of the scenario: its stream can be replayed (GET /v1/responses/{id}?stream=true) the same each time. */
async function job(scenario: string): Promise<string> {
  return (await env.client.responses.create({ model: MODEL, input: 'x', background: true, metadata: { scenario } })).id;
}

/** The server's events of a job's stream, as sent: `event:` / `data:` pairs parsed without the SDK. */
async function rawEvents(id: string): Promise<Event[]> {
  const res = await fetch(`${env.server.url}/responses/${id}?stream=true`, {
    headers: { authorization: 'Bearer sk-test' },
  });
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map(
      (block) =>
        JSON.parse(
          block
            .split('\n')
            .find((line) => line.startsWith('data: '))!
            .slice(6),
        ) as Event,
    );
}

/**
 * What raiseForStream must do with these events: the events it yields, and the classification of the one it throws
 * for. An event with a top-level `error` object never reaches it as an event: the SDK's decoder throws a bare
 * APIError for it (openai 7 also for every `error` event), which the helper reads as an `error` event carrying that
 * object (a flat `error` event is its own data).
 */
function expectation(events: Event[]): { passed: Event[]; raised?: ReturnType<typeof classify>; decoded: boolean } {
  for (const [i, event] of events.entries()) {
    const nested = typeof event.error === 'object' && event.error !== null;
    const seen = nested ? { type: 'error', error: event.error } : event;
    const result = classify(seen);
    if (ENDS_A_RUN.has(result.outcome)) return { passed: events.slice(0, i), raised: result, decoded: nested };
    if (nested) return { passed: events.slice(0, i), decoded: true };
  }
  return { passed: events, decoded: false };
}

describe('every stream scenario through the real client', () => {
  it('covers the lifecycle events, the error event and its reasons', () => {
    expect(streamScenarios).toEqual(
      expect.arrayContaining([
        'response.stream.event/response.failed',
        'response.stream.event/response.incomplete',
        'response.stream.event/error',
      ]),
    );
  });

  it.each(streamScenarios)('%s', async (scenario) => {
    const id = await job(scenario);
    const raw = await rawEvents(id);
    const expected = expectation(raw);
    const stream = await env.client.responses.retrieve(id, { stream: true });
    const passed: unknown[] = [];
    const { error } = await settle(
      (async () => {
        for await (const event of raiseForStream(stream, { client: env.client })) passed.push(event);
      })(),
    );
    expect(passed).toEqual(expected.passed);
    if (!expected.raised) {
      // Nothing ended the run: every event passed, or the SDK's own decoder error for a payload the contract lets pass.
      if (expected.decoded) expect(error).toBeInstanceOf(OpenAI.APIError);
      else expect(error).toBeUndefined();
      expect(isContractError(error)).toBe(false);
      return;
    }
    expect(error).toBeInstanceOf(classOf(expected.raised.kind!));
    expect(isContractError(error)).toBe(true);
    if (!isContractError(error)) return;
    expect(error.contract.entry).toBe(expected.raised.entry);
    expect(error.contract.outcome).toBe(expected.raised.outcome);
    // Either the event itself, or (the SDK's decoder having thrown) its APIError is the cause.
    if (error.cause !== undefined) expect(error.cause).toBeInstanceOf(OpenAI.APIError);
    else expect(error.response).toEqual(raw[expected.passed.length]);
  });
});

describe('the helper itself', () => {
  it('passes a successful stream through unchanged: retrieve({stream: true}), create({stream: true}), responses.stream()', async () => {
    const id = await job('response.status/completed');
    const raw = await rawEvents(id);
    const viaRetrieve: unknown[] = [];
    for await (const event of raiseForStream(await env.client.responses.retrieve(id, { stream: true })))
      viaRetrieve.push(event);
    expect(viaRetrieve).toEqual(raw);
    const viaCreate: Event[] = [];
    for await (const event of raiseForStream(
      await env.client.responses.create({ model: MODEL, input: 'x', stream: true, background: true }),
    ))
      viaCreate.push(event as Event);
    expect(viaCreate.map((e) => e.type)).toEqual(raw.map((e) => e.type));
    const viaStream: unknown[] = [];
    for await (const event of raiseForStream(
      env.client.responses.stream({
        model: MODEL,
        input: 'x',
        background: true,
        metadata: { scenario: 'response.status/completed' },
      }),
    ))
      viaStream.push(event);
    expect((viaStream as Event[]).map((e) => e.type)).toEqual(raw.map((e) => e.type));
  });

  it('throws on response.failed from responses.stream() too, with the failed Response in the event', async () => {
    const stream = env.client.responses.stream({
      model: MODEL,
      input: 'x',
      background: true,
      metadata: { scenario: 'response.stream.event/response.failed' },
    });
    const { error } = await settle(
      (async () => {
        for await (const _ of raiseForStream(stream)) void _;
      })(),
    );
    expect(isContractError(error)).toBe(true);
    expect((error as { response: Event }).response.type).toBe('response.failed');
  });

  it("yields the very event objects it is given, and raises the class an error event's code names", async () => {
    const delta = { type: 'response.output_text.delta', delta: 'x', sequence_number: 1 };
    const failure = {
      type: 'error',
      code: 'rate_limit_exceeded',
      message: 'Slow down',
      param: null,
      sequence_number: 2,
    };
    async function* events() {
      yield delta;
      yield failure;
      yield delta;
    }
    const seen: unknown[] = [];
    const { error } = await settle(
      (async () => {
        for await (const e of raiseForStream(events())) seen.push(e);
      })(),
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(delta);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({
      status: 429,
      code: 'rate_limit_exceeded',
      response: failure,
      contract: { entry: 'error.code/rate_limit_exceeded', retryable: true },
    });
  });

  it('raises the classes of the client it is given (a client of require("openai"))', async () => {
    const cjs = createRequire(join(process.env.EC_OPENAI_FROM ?? packageRoot, 'package.json'))(
      'openai',
    ) as typeof openai;
    async function* events() {
      yield {
        type: 'response.failed',
        sequence_number: 1,
        response: {
          object: 'response',
          id: 'resp_1',
          status: 'failed',
          error: { code: 'server_error', message: 'boom' },
        },
      };
    }
    const { error } = await settle(
      (async () => {
        for await (const _ of raiseForStream(events(), { client: new cjs.OpenAI({ apiKey: 'k' }) })) void _;
      })(),
    );
    expect(error).toBeInstanceOf(cjs.InternalServerError);
    expect(error).not.toBeInstanceOf(openai.InternalServerError);
  });

  it('refuses what is not an async iterable', async () => {
    await expect(raiseForStream(null as never).next()).rejects.toThrow(TypeError);
    await expect(raiseForStream([] as never).next()).rejects.toThrow(TypeError);
  });
});
