// raiseForStream(): a Responses stream whose failure events throw the SDK's own class, as raiseForStatus does for a
// polled object, while every other event passes through unchanged.
import { classify } from '../classify/classify.js';
import { contractError, isContractError, type ContractResult, type RaiseOptions } from './raise.js';
import { familyOf } from './sdk.js';
import { isPlainObject } from '../plain-object.js';

/** The outcomes that end a run without its result: an event the contract classifies so throws. */
const ENDS_A_RUN = new Set<ContractResult['outcome']>(['failed', 'incomplete', 'cancelled', 'expired']);

/**
 * The event an SDK's stream decoder stood for, when it threw instead of yielding it: openai-node raises a bare
 * APIError (no HTTP status) for a server-sent event whose data carries an `error` object, and openai 7 also for
 * every `event: error`. Its `error` is the event's data (a flat `error` event: `{type: "error", code, message}`) or
 * the nested error object, which is an `error` event's `error`.
 */
function decodedEvent(error: unknown, client: object | undefined): Record<string, unknown> | undefined {
  if (isContractError(error) || !isPlainObject(error)) return undefined;
  const fromSdk = [familyOf(client).APIError, familyOf(undefined).APIError].some((cls) => error instanceof cls);
  if (!fromSdk || error.status !== undefined || !isPlainObject(error.error)) return undefined;
  return error.error.type === 'error' ? error.error : { type: 'error', error: error.error };
}

/**
 * Wraps a Responses stream (`client.responses.create({stream: true, ...})`, `client.responses.stream(...)`, or any
 * async iterable of its events): yields every event unchanged, and throws instead of yielding one the contract
 * classifies as ending the run (`response.failed`, `response.incomplete`, `error`, a cancelled or expired event) —
 * an instance of the SDK's class for its kind (the client's copy when `options.client` is given), with `.response`
 * (the event) and `.contract`, as raiseForStatus builds it. An `error` event the SDK's decoder itself turned into a
 * bare APIError is classified the same way (that APIError is the new error's `cause`). Completed and pending events
 * pass, and so does an event the contract cannot read (`invalid`): the stream did not report a failure. Throwing
 * ends the iteration of `stream`, which aborts its request.
 */
export async function* raiseForStream<E>(
  stream: AsyncIterable<E>,
  options: RaiseOptions = {},
): AsyncGenerator<E, void, undefined> {
  if (
    typeof stream !== 'object' ||
    stream === null ||
    typeof (stream as AsyncIterable<E>)[Symbol.asyncIterator] !== 'function'
  ) {
    throw new TypeError('raiseForStream: stream must be an async iterable of stream events');
  }
  try {
    for await (const event of stream) {
      const result = classify(event, options) as ContractResult;
      if (ENDS_A_RUN.has(result.outcome)) throw contractError(event, result, options);
      yield event;
    }
  } catch (error) {
    const event = decodedEvent(error, options.client);
    if (event === undefined) throw error;
    const result = classify(event, options) as ContractResult;
    if (!ENDS_A_RUN.has(result.outcome)) throw error;
    const headers = (error as { headers?: Headers }).headers;
    const raised = contractError(event, result, { ...options, headers: options.headers ?? headers });
    raised.cause = error;
    throw raised;
  }
}
