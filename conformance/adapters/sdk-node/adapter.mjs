// SDK truth check: openai-node's own synchronous dispatch behind the conformance protocol.
//
// For an HTTP error envelope it asks the SDK itself: the class `APIError.generate(status, body, message, headers)`
// returns and the retry decision of `OpenAI#shouldRetry(response)`. The class is mapped back to a contract kind through
// the kinds' node bindings in generated/contract.json. It implements the `http` group only. Where the contract
// deliberately refines the SDK, conformance/baselines/sdk-node.json lists the disagreement and its reason.
//
//   error-contract conformance --adapter "node conformance/adapters/sdk-node/adapter.mjs" \
//       --baseline conformance/baselines/sdk-node.json
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import { VERSION as sdkVersion } from 'openai/version';

const contract = JSON.parse(readFileSync(new URL('../../../generated/contract.json', import.meta.url), 'utf8'));

/** node class -> kind, among the kinds an HTTP status can raise (those with an http_status). */
const kindByClass = new Map();
for (const [id, kind] of Object.entries(contract.kinds)) {
  if (kind.http_status !== undefined && kind.http_status !== null && !kindByClass.has(kind.node.class))
    kindByClass.set(kind.node.class, id);
}

const client = new OpenAI({ apiKey: 'conformance', baseURL: 'http://127.0.0.1:9/v1' });
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

async function answer(observation) {
  if (!isObject(observation) || !Number.isInteger(observation.http_status)) return { skipped: 'not an HTTP envelope' };
  const status = observation.http_status;
  if (status < 100 || status > 599 || (status >= 200 && status < 300)) return { skipped: 'not an HTTP error status' };
  const headers = new Headers();
  if (isObject(observation.headers)) {
    for (const [name, value] of Object.entries(observation.headers)) {
      if (typeof value !== 'string') continue; // HTTP carries only strings; the contract ignores the rest too
      try {
        headers.append(name, value);
      } catch {
        // A name or value HTTP cannot carry.
      }
    }
  }
  const error = OpenAI.APIError.generate(status, observation.body, 'error', headers);
  const kind = kindByClass.get(error.constructor.name);
  if (kind === undefined)
    return { error: `the SDK raised ${error.constructor.name}, which no HTTP kind of the contract names` };
  const retryable = await client.shouldRetry({ status, headers });
  return { result: { outcome: 'failed', kind, retryable, http_status: status } };
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === '') continue;
  const message = JSON.parse(line);
  if (message.cmd === 'start') {
    process.stdout.write(
      JSON.stringify({
        ok: true,
        implementation: { name: 'openai-node (synchronous dispatch)', version: sdkVersion, language: 'javascript' },
        groups: ['http'],
      }) + '\n',
    );
  } else if (message.cmd === 'classify') {
    let reply;
    try {
      reply = await answer(message.observation);
    } catch (error) {
      reply = { error: `${error.name}: ${error.message}` };
    }
    process.stdout.write(JSON.stringify({ seq: message.seq, ...reply }) + '\n');
  } else if (message.cmd === 'stop') break;
}
