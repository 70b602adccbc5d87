// raiseForStatus(): for every object the contract classifies, the installed SDK's own class with its own fields.
import * as openai from 'openai';
import * as openaiError from 'openai/error';
import { describe, expect, it } from 'vitest';
import type { Contract } from '../../generated/types.js';
import { classify } from '../../src/classify/classify.js';
import { entryExamples } from '../../src/classify/examples.js';
import { publishedContract } from '../../src/contract.js';
import { contractError, isContractError, raiseForStatus, sdkClassFor } from '../../src/openai/index.js';

const contract = publishedContract();
const modules: Record<string, Record<string, unknown>> = { openai, 'openai/error': openaiError };

/** The class a kind names, imported from the module its binding names: what a user would catch. */
function namedClass(kind: string): new (...args: never[]) => Error {
  const binding = contract.kinds[kind]!.node;
  return modules[binding.module]![binding.class] as new (...args: never[]) => Error;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('raiseForStatus over one example of every entry', () => {
  const examples = entryExamples(contract);

  it('covers every object type the contract dispatches on', () => {
    const objects = new Set(examples.map((e) => (e.observation as { object?: string }).object).filter(Boolean));
    for (const field of Object.values(contract.fields))
      if (field.dispatch?.object !== undefined) expect(objects).toContain(field.dispatch.object);
  });

  it.each(examples.map((e) => [e.entry.id, e] as const))('%s', (_id, example) => {
    const result = classify(example.observation);
    if (result.outcome === 'completed' || result.outcome === 'pending') {
      expect(raiseForStatus(example.observation)).toBe(example.observation);
      return;
    }
    const error = thrown(() => raiseForStatus(example.observation));
    expect(error).toBeInstanceOf(namedClass(result.kind!));
    expect(error).toBeInstanceOf(openai.OpenAIError);
    expect(isContractError(error)).toBe(true);
    if (!isContractError(error)) return;
    expect(error.response).toBe(example.observation);
    expect(error.contract).toEqual(result);
    expect(error.contract.entry).toBe(example.decidedBy);
  });
});

describe('the SDK fields, as the synchronous path fills them', () => {
  it('an HTTP envelope gives exactly what APIError.generate gives for the same response', () => {
    for (const example of entryExamples(contract)) {
      const observation = example.observation as { http_status?: number; body?: unknown };
      if (typeof observation.http_status !== 'number') continue;
      const headers = new Headers({ 'x-request-id': 'req_123' });
      const expected = openai.APIError.generate(
        observation.http_status,
        observation.body as object,
        undefined,
        headers,
      );
      const error = thrown(() => raiseForStatus(observation, { headers })) as openai.APIError;
      expect(error.constructor, example.entry.id).toBe(expected.constructor);
      for (const key of ['message', 'status', 'error', 'code', 'param', 'type', 'requestID'] as const)
        expect(error[key], `${example.entry.id} ${key}`).toEqual(expected[key]);
    }
  });

  it('a failed Response: its error object, the HTTP status of the kind, the poll headers', () => {
    const response = {
      id: 'resp_1',
      object: 'response',
      status: 'failed',
      error: { code: 'server_error', message: 'The server had an error' },
    };
    const error = thrown(() =>
      raiseForStatus(response, { headers: { 'x-request-id': 'req_abc' } }),
    ) as openai.InternalServerError;
    expect(error).toBeInstanceOf(openai.InternalServerError);
    expect(error.status).toBe(500);
    expect(error.error).toBe(response.error);
    expect(error.code).toBe('server_error');
    expect(error.message).toBe('500 The server had an error');
    expect(error.headers).toBeInstanceOf(Headers);
    expect(error.requestID).toBe('req_abc');
  });

  it("a provider's failure (error.type): the type is the SDK's .type", () => {
    const response = {
      id: 'req_1',
      object: 'response',
      status: 'failed',
      error: { type: 'guardrail_violation', message: 'Rejected' },
    };
    const error = thrown(() => raiseForStatus(response)) as openai.BadRequestError;
    expect(error).toBeInstanceOf(openai.BadRequestError);
    expect([error.status, error.type, error.code]).toEqual([400, 'guardrail_violation', undefined]);
  });

  it('stream error events: the flat event, or its nested error, is the error object', () => {
    const flat = { type: 'error', code: 'rate_limit_exceeded', message: 'Slow down', param: null, sequence_number: 3 };
    const a = thrown(() => raiseForStatus(flat)) as openai.RateLimitError;
    expect(a).toBeInstanceOf(openai.RateLimitError);
    expect([a.error, a.code, a.status]).toEqual([flat, 'rate_limit_exceeded', 429]);
    const nested = {
      type: 'error',
      error: { code: 'server_error', message: 'Oops', type: 'server_error' },
      sequence_number: 3,
    };
    const b = thrown(() => raiseForStatus(nested)) as openai.InternalServerError;
    expect(b).toBeInstanceOf(openai.InternalServerError);
    expect([b.error, b.type]).toEqual([nested.error, 'server_error']);
  });

  it('a response.failed event: the error object of the Response it carries', () => {
    const event = {
      type: 'response.failed',
      sequence_number: 9,
      response: {
        id: 'resp_2',
        object: 'response',
        status: 'failed',
        error: { code: 'invalid_prompt', message: 'No' },
      },
    };
    const error = thrown(() => raiseForStatus(event)) as openai.BadRequestError & { response: unknown };
    expect(error).toBeInstanceOf(openai.BadRequestError);
    expect(error.error).toBe(event.response.error);
    expect(error.response).toBe(event);
  });

  it('array paths read as the classifier reads them: the first non-null element (a failed batch whose first error is null)', () => {
    const batch = {
      id: 'batch_1',
      object: 'batch',
      status: 'failed',
      errors: {
        object: 'list',
        data: [
          null,
          { code: 'token_limit_exceeded', message: 'Enqueued token limit reached', line: null, param: null },
        ],
      },
    };
    expect(classify(batch).entry).toBe('error.code/token_limit_exceeded');
    const error = thrown(() => raiseForStatus(batch)) as openai.RateLimitError;
    expect(error).toBeInstanceOf(openai.RateLimitError);
    expect([error.error, error.code]).toEqual([batch.errors.data[1], 'token_limit_exceeded']);
  });

  it('a response.failed event whose Response has no status: the error object it carries', () => {
    const event = { type: 'response.failed', response: { error: { code: 'server_error', message: 'Oops' } } };
    const error = thrown(() => raiseForStatus(event)) as openai.InternalServerError;
    expect(error).toBeInstanceOf(openai.InternalServerError);
    expect([error.error, error.code]).toEqual([event.response.error, 'server_error']);
  });

  it('an incomplete Response: the finish-reason classes, which are no APIError', () => {
    const response = {
      id: 'resp_3',
      object: 'response',
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    };
    const error = thrown(() => raiseForStatus(response));
    expect(error).toBeInstanceOf(openaiError.LengthFinishReasonError);
    expect(error).not.toBeInstanceOf(openai.APIError);
    expect((error as { response: unknown }).response).toBe(response);
  });

  it('a cancelled Response: APIUserAbortError, without a status', () => {
    const error = thrown(() =>
      raiseForStatus({ id: 'resp_4', object: 'response', status: 'cancelled' }),
    ) as openai.APIUserAbortError;
    expect(error).toBeInstanceOf(openai.APIUserAbortError);
    expect(error.status).toBeUndefined();
    expect(error.message).toContain('resp_4');
  });

  it('non-object input is classified like any observation: invalid, raised as the validation kind', () => {
    for (const value of [null, 42, 'text', [], {}]) {
      const error = thrown(() => raiseForStatus(value));
      expect(isContractError(error) && error.contract.outcome).toBe('invalid');
      expect(error).toBeInstanceOf(namedClass('api_response_validation_error'));
    }
  });
});

describe('options and fallbacks', () => {
  it('classifies under a profile', () => {
    const response = { object: 'response', status: 'failed', error: { type: 'guardrail_violation', message: 'x' } };
    const profile = Object.entries(contract.profiles).find(([, p]) =>
      p.exclude_fields.includes('response.error.type'),
    )?.[0];
    expect(profile, 'a profile excluding response.error.type').toBeDefined();
    const byDefault = thrown(() => raiseForStatus(response));
    const byProfile = thrown(() => raiseForStatus(response, { profile }));
    expect(isContractError(byDefault) && byDefault.contract.entry).toBe('error.type/guardrail_violation');
    expect(isContractError(byProfile) && byProfile.contract.entry).not.toBe('error.type/guardrail_violation');
  });

  it('a class the installed SDK lacks falls back to APIError', () => {
    const older: Contract = structuredClone(contract);
    older.kinds.rate_limit_error!.node = { ...older.kinds.rate_limit_error!.node, class: 'NoSuchErrorClass' };
    expect(sdkClassFor(older, 'rate_limit_error')).toBe(openai.APIError);
    expect(sdkClassFor(older, null)).toBe(openai.APIError);
    expect(sdkClassFor(contract, 'rate_limit_error')).toBe(openai.RateLimitError);
  });

  it("contractError builds without throwing, and isContractError tells our errors from the SDK's", () => {
    const response = { object: 'response', status: 'failed', error: { code: 'server_error', message: 'm' } };
    const error = contractError(response, classify(response));
    expect(isContractError(error)).toBe(true);
    expect(isContractError(new openai.InternalServerError(500, undefined, 'm', new Headers()))).toBe(false);
    expect(isContractError(null)).toBe(false);
  });
});

describe('HTTP envelopes without an error object', () => {
  it('pass body.error through as APIError.generate does', () => {
    for (const body of [{ code: 'insufficient_quota' }, { error: 'plain text' }, null]) {
      const headers = new Headers();
      const expected = openai.APIError.generate(429, body as object, undefined, headers);
      const error = thrown(() => raiseForStatus({ http_status: 429, body })) as openai.APIError;
      expect(error.constructor).toBe(expected.constructor);
      for (const key of ['status', 'error', 'code', 'param', 'type'] as const)
        expect(error[key], key).toEqual(expected[key]);
    }
  });
});
