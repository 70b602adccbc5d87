// Stream scenarios through the real openai client: server-sent events that end as the scenario's entry says.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { contractIndex } from '../../src/contract-index.js';
import { publishedContract } from '../../src/contract.js';
import { raiseForStatus } from '../../src/openai/index.js';
import { MODEL, settle, useEmulator } from './support.js';

const contract = publishedContract();
const env = useEmulator();

type Event = Record<string, unknown> & { type: string; sequence_number: number };

/** Every event of a stream; a stream the SDK itself aborts with an APIError gives that error too. */
async function drain(stream: AsyncIterable<unknown>): Promise<{ events: Event[]; error?: unknown }> {
  const events: Event[] = [];
  const { error } = await settle(
    (async () => {
      for await (const event of stream) events.push(event as Event);
    })(),
  );
  return { events, error };
}

const eventField = Object.keys(contract.fields).find((id) => contract.fields[id]!.role === 'event')!;
const eventEntries = contract.entries.filter((e) => e.field === eventField);
// The event's own entries, and every entry its reason fields match (their own, then their vocabulary's).
const streamScenarios = [
  ...new Map(
    [eventField, ...new Set(eventEntries.flatMap((ev) => ev.refined_by ?? []))]
      .flatMap((field) => contractIndex(contract).matchedEntriesOf(field))
      .map((e) => [e.id, e] as const),
  ).values(),
];

describe('every stream scenario', () => {
  it.each(streamScenarios.map((e) => [e.id, e] as const))('%s', async (id, entry) => {
    const stream = await env.client.responses.create({
      model: MODEL,
      input: 'x',
      stream: true,
      background: true,
      metadata: { scenario: id },
    });
    const { events, error } = await drain(stream);
    const lastSeen = events.at(-1);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events[0]?.type).toBe('response.created');
    // Only the last event may end the run: nothing before it is raised.
    for (const event of events.slice(0, error ? undefined : -1)) expect(() => raiseForStatus(event)).not.toThrow();
    if (entry.field !== eventField) {
      // A reason of the error event: a nested `error` object makes the SDK's decoder throw an APIError itself.
      // The key that holds the value: a field id ends with it (error.code, response.stream.error.error.type).
      const key = entry.field.split('.').at(-1)!;
      if (error)
        expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ [key]: expect.any(String) });
      else expect(classify(lastSeen).entry).toBe(id);
      if (error) expect(error).toBeInstanceOf(OpenAI.APIError);
      return;
    }
    // An event whose reason sits in a nested `error` object (response.steer.failed): the SDK's decoder raises it.
    const nested =
      entry.refined_by?.some((f) => contract.fields[f]!.path!.startsWith('error.')) &&
      !entry.refined_by.some((f) => !contract.fields[f]!.path!.includes('.'));
    if (nested && error) {
      expect(error).toBeInstanceOf(OpenAI.APIError);
      return;
    }
    expect(error).toBeUndefined();
    const result = classify(lastSeen);
    if (entry.delegate) expect(lastSeen!.type).toBe(entry.value);
    else if (entry.refined_by) expect([lastSeen!.type, result.outcome]).toEqual([entry.value, entry.outcome]);
    else expect(result.entry).toBe(id);
  });
});

describe('streams of background jobs', () => {
  it('a failed job streams created, in_progress, response.failed; raiseForStatus raises on the last only', async () => {
    const stream = await env.client.responses.create({
      model: MODEL,
      stream: true,
      background: true,
      metadata: { scenario: 'error.code/rate_limit_exceeded' },
    });
    const { events } = await drain(stream);
    expect(events.map((e) => e.type)).toEqual(['response.created', 'response.in_progress', 'response.failed']);
    expect(() => raiseForStatus(events.at(-1))).toThrow(OpenAI.RateLimitError);
  });

  it('GET ?stream=true replays a background job to its end', async () => {
    const job = await env.client.responses.create({ model: MODEL, background: true, metadata: { polls: '3' } });
    const { events } = await drain(await env.client.responses.retrieve(job.id, { stream: true }));
    expect(events.map((e) => e.type)).toEqual(['response.created', 'response.in_progress', 'response.completed']);
    await expect(env.client.responses.retrieve(job.id)).resolves.toMatchObject({ status: 'completed' });
  });
});
