// Each lint check, shown failing on one deliberate mistake in a copy of spec/, at the right file:line:col.
import { afterEach, describe, expect, it } from 'vitest';
import { lint, checks } from '../../src/lint/index.js';
import type { Finding } from '../../src/lint/finding.js';
import { loadSpec } from '../../src/authoring/load.js';
import { buildModel } from '../../src/authoring/model.js';
import { validateSpec } from '../../src/authoring/validate.js';
import { parse, stringify } from 'yaml';
import { publishedContract } from '../../src/contract.js';
import { buildContract } from '../../src/generate/pipeline.js';
import { copySpec, lineOf, type SpecCopy } from '../support/spec-fixture.js';

let spec: SpecCopy;
afterEach(() => spec?.remove());

function findings(copy: SpecCopy): Finding[] {
  const loaded = loadSpec(copy.dir);
  const invalid = validateSpec(loaded);
  expect(invalid, invalid.map((f) => f.message).join('\n')).toEqual([]);
  return lint(buildModel(loaded));
}

const STATUS = 'fields/response.status.yaml';

describe('lint', () => {
  it('the real spec/ has no findings', () => {
    spec = copySpec();
    expect(findings(spec).map((f) => `${f.position.file}:${f.position.line} ${f.message}`)).toEqual([]);
  });

  it('every check has an id and a description, and ids are unique', () => {
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
    for (const c of checks) expect(c.description.length).toBeGreaterThan(10);
  });

  const cases: { rule: string; file: string; from: string; to: string; at: string; nth?: number; message: RegExp }[] = [
    {
      rule: 'duplicate-id',
      file: STATUS,
      from: 'id: response.status/in_progress',
      to: 'id: response.status/queued',
      at: 'id: response.status/queued',
      nth: 2,
      message: /duplicate entry id "response.status\/queued"/,
    },
    {
      rule: 'id-format',
      file: STATUS,
      from: 'id: response.status/in_progress',
      to: 'id: response.status/inprogress',
      at: 'id: response.status/inprogress',
      message: /must be "response.status\/in_progress"/,
    },
    {
      rule: 'unknown-kind',
      file: STATUS,
      from: 'kind: api_user_abort_error',
      to: 'kind: user_abort_error',
      at: 'kind: user_abort_error',
      message: /unknown kind "user_abort_error"/,
    },
    {
      rule: 'missing-source',
      file: STATUS,
      from: 'sources: [python-response, node-responses]',
      to: 'sources: [python-response, no-such-source]',
      at: 'no-such-source',
      message: /unknown source "no-such-source"/,
    },
    {
      rule: 'judgement-rationale',
      file: 'fields/observation.yaml',
      from: '    rationale: >-\n',
      to: '    summary_old: >-\n',
      at: 'judgement: true',
      message: /judgement without a rationale/,
    },
    {
      rule: 'http-status-kind',
      file: 'fields/observation.yaml',
      from: 'http_status: null',
      to: 'http_status: 400',
      at: 'http_status: 400',
      message: /must be null/,
    },
    {
      rule: 'retryable-kind',
      file: 'fields/observation.yaml',
      from: 'retryable: false',
      to: 'retryable: true',
      at: 'retryable: true',
      message: /can never succeed unchanged/,
    },
    {
      rule: 'fallback-missing',
      file: STATUS,
      from: "  - id: response.status/*\n    value: '*'",
      to: '  - id: response.status/unknown\n    value: unknown',
      at: 'entries:',
      message: /no fallback entry response.status\/\*/,
    },
    {
      rule: 'entry-shape',
      file: STATUS,
      from: '    outcome: pending\n    kind: null\n    retryable: false\n    http_status: null\n    summary: The background Response is waiting',
      to: '    outcome: pending\n    kind: null\n    http_status: null\n    summary: The background Response is waiting',
      at: 'id: response.status/queued',
      message: /missing "retryable"/,
    },
    {
      rule: 'entry-shape',
      file: 'fields/observation.yaml',
      from: '    http_status: null\n    judgement: true',
      to: '    http_status: null\n    relayed_status: param\n    judgement: true',
      at: 'relayed_status: param',
      message: /relayed_status is read only on reason and vocabulary entries/,
    },
    {
      rule: 'unknown-action',
      file: 'kinds.yaml',
      from: 'action: stop_and_alert',
      to: 'action: stop_alert',
      at: 'action: stop_alert',
      message: /unknown action "stop_alert"/,
    },
    {
      rule: 'action-retry',
      file: 'fields/error.code.yaml',
      from: 'action: wait_and_resubmit_later',
      to: 'action: fix_request',
      at: 'action: fix_request',
      message: /is retryable, but its action fix_request is a "no" action/,
    },
    {
      rule: 'action-rationale',
      file: 'fields/error.code.yaml',
      from: 'action: shrink_input',
      to: 'action: fix_request',
      at: 'action: fix_request',
      message: /repeats its default \(kind bad_request_error\)/,
    },
    {
      rule: 'hint-shape',
      file: 'actions.yaml',
      from: '    key: retryDelay\n',
      to: '',
      at: 'body: details[]',
      message: /needs match and key/,
    },
    {
      rule: 'hint-shape',
      file: 'actions.yaml',
      from: "    after: 'try again in '\n",
      to: '',
      at: 'format: text_delay',
      message: /names the phrase the delay follows/,
    },
    {
      rule: 'references',
      file: 'fields/chat.completion.finish_reason.yaml',
      from: 'reported_error: { key: error, value: error }',
      to: 'reported_error: { key: error, value: failed }',
      at: 'reported_error: { key: error, value: failed }',
      message: /reported_error: the field has no entry for "failed"/,
    },
    {
      rule: 'references',
      file: 'fields/response.stream.event.yaml',
      from: 'delegate_object: realtime.response',
      to: 'delegate_object: realtime.session',
      at: 'delegate_object: realtime.session',
      message: /delegate_object realtime.session is no object a status field is dispatched on/,
    },
    {
      rule: 'references',
      file: 'fields/response.stream.event.yaml',
      from: '    delegate: response\n    # The type names the object',
      to: '    # The type names the object',
      at: 'delegate_object: realtime.response',
      message: /delegate_object goes with delegate/,
    },
    {
      rule: 'references',
      file: 'fields/response.stream.event.yaml',
      from: 'error_object: { types: error.type, object: error }',
      to: 'error_object: { types: error_object.type, object: error }',
      at: 'error_object: { types: error_object.type, object: error }',
      message: /error_object.types: field "error_object.type" has role reason, expected vocabulary/,
    },
    {
      rule: 'references',
      file: 'fields/response.stream.event.yaml',
      from: 'error_object: { types: error.type, object: error }',
      to: 'error_object: { types: error.type, object: mistake }',
      at: 'error_object: { types: error.type, object: mistake }',
      message: /error_object.object: no status field is dispatched on object "mistake"/,
    },
    {
      rule: 'references',
      file: 'fields/gemini.generate_content.finish_reason.yaml',
      from: 'dispatch: { key: candidates }',
      to: 'dispatch: { type: message, shape: [candidates] }',
      at: 'dispatch: { type: message, shape: [candidates] }',
      message: /type "message" is already dispatched to field anthropic.message.stop_reason/,
    },
    {
      rule: 'message-rule-shape',
      file: 'actions.yaml',
      from: '    kinds: [rate_limit_error]\n    test: requested_above_limit\n    retryable: false',
      to: '    kinds: [bad_request_error]\n    test: requested_above_limit\n    retryable: true',
      at: 'retryable: true',
      message: /kind bad_request_error can never succeed unchanged/,
    },
    {
      rule: 'message-rule-shape',
      file: 'actions.yaml',
      from: '      - \'in status "in_progress"\'\n    retryable: true\n    transient: true\n',
      to: '      - \'in status "in_progress"\'\n    retryable: true\n',
      at: 'retryable: true',
      message:
        /rule active-run-conflict: kind bad_request_error can never succeed unchanged, so the rule makes it retryable only when transient/,
    },
    {
      rule: 'message-rule-shape',
      file: 'actions.yaml',
      from: "    phrases: ['Incorrect API key provided']\n    kind: authentication_error\n",
      to: "    phrases: ['Incorrect API key provided']\n    kind: authentication_errror\n",
      at: 'kind: authentication_errror',
      message: /unknown kind "authentication_errror"/,
    },
    {
      rule: 'action-retry',
      file: 'actions.yaml',
      from: '    retryable: false\n    throttling: false\n    action: shrink_input\n    rationale: >-\n      DeepInfra',
      to: '    retryable: false\n    throttling: false\n    action: back_off_and_retry\n    rationale: >-\n      DeepInfra',
      at: 'action: back_off_and_retry',
      message:
        /message rule input-too-long-on-server-error is not retryable, but its action back_off_and_retry is a "in_run" action/,
    },
    {
      rule: 'unknown-action',
      file: 'actions.yaml',
      from: '    action: shrink_input\n    rationale: >-\n      OpenAI and Groq',
      to: '    action: shrink_it\n    rationale: >-\n      OpenAI and Groq',
      at: 'action: shrink_it',
      message: /unknown action "shrink_it" \(message rule request-above-limit\)/,
    },
    {
      rule: 'references',
      file: STATUS,
      from: 'refined_by: [response.error.code, response.error.type]',
      to: 'refined_by: [response.error.code, response.error.kind]',
      at: 'response.error.kind',
      message: /unknown field "response.error.kind"/,
    },
    {
      rule: 'references',
      file: STATUS,
      from: 'yields_to: response.status/incomplete',
      to: 'yields_to: response.status/cancelled',
      at: 'yields_to: response.status/cancelled',
      message: /yields_to names "response.status\/cancelled", which has no refined_by/,
    },
    {
      rule: 'references',
      file: STATUS,
      from: 'yields_to: response.status/incomplete',
      to: 'yields_to: thread.run.status/incomplete',
      at: 'yields_to: thread.run.status/incomplete',
      message: /yields_to names "thread.run.status\/incomplete", an entry of another field/,
    },
    {
      rule: 'references',
      file: STATUS,
      from: 'yields_to: response.status/incomplete',
      to: 'yields_to: response.status/stopped',
      at: 'yields_to: response.status/stopped',
      message: /yields_to names unknown entry "response.status\/stopped"/,
    },
    {
      rule: 'entry-shape',
      file: 'fields/chat.completion.finish_reason.yaml',
      from: '    summary: The model reached a natural stop point or a provided stop sequence.\n',
      to: '    yields_to: chat.completion.finish_reason/error\n    summary: The model reached a natural stop point or a provided stop sequence.\n',
      at: 'yields_to: chat.completion.finish_reason/error',
      message: /yields_to is read only on deciding status entries without an envelope, of a single-valued field/,
    },
    {
      rule: 'references',
      file: 'fields/chat.completion.finish_reason.yaml',
      // Only the head of the list: a ranking that grows at its end leaves these fixtures as they are.
      from: 'severity: [error, content_filter, length,',
      to: 'severity: [error, content_filter, stop, length,',
      at: 'severity: [error, content_filter, stop, length,',
      message: /severity: "stop" is no value of the field whose entry settles an outcome/,
    },
    {
      rule: 'references',
      file: 'fields/chat.completion.finish_reason.yaml',
      from: 'severity: [error, content_filter, length,',
      to: 'severity: [error, content_filter,',
      at: 'severity: [error, content_filter,',
      message: /severity: the settling value "length" is not ranked/,
    },
    {
      rule: 'references',
      file: 'fields/chat.completion.chunk.finish_reason.yaml',
      from: "filter_results: { path: 'choices[].content_filter_results', value: content_filter }",
      to: "filter_results: { path: 'choices[].content_filter_results', value: stop }",
      at: "filter_results: { path: 'choices[].content_filter_results', value: stop }",
      message: /filter_results: the value "stop" is not one the field's severity ranks/,
    },
    {
      rule: 'sdk-bindings',
      file: 'kinds.yaml',
      from: 'java: { class: RateLimitException, module: com.openai.errors, exact: true }',
      to: 'java: { class: UnexpectedStatusCodeException, module: com.openai.errors, exact: true }',
      at: 'java: { class: UnexpectedStatusCodeException',
      message: /kind rate_limit_error \(HTTP 429\) in Java: .* must name it exactly, not UnexpectedStatusCodeException/,
    },
    {
      rule: 'sdk-bindings',
      file: 'sdks.yaml',
      from: '    sources: [java-error-handler, java-errors, java-okhttp-client]\n',
      to: "    sources: [java-error-handler, java-errors, java-okhttp-client]\n    defines_sources:\n      java-errors: { type: sdk-source, title: errors, url: 'https://github.com/openai/openai-java' }\n",
      at: '      java-errors: {',
      message: /SDK java: source "java-errors" is already defined in spec\/sources.yaml/,
    },
  ];

  it('a kind must bind a class in every SDK of spec/sdks.yaml, and in no other', () => {
    spec = copySpec();
    spec.replace(
      'kinds.yaml',
      '    java: { class: BadRequestException, module: com.openai.errors, exact: true }\n',
      '    ruby: { class: BadRequestError, module: OpenAI, exact: true }\n',
    );
    const messages = validateSpec(loadSpec(spec.dir)).map((f) => `${f.position.line} ${f.message}`);
    const text = spec.read('kinds.yaml');
    // The missing key is reported at the kind (its `- id:` line), the unknown one at its own line.
    const [kindLine, rubyLine] = [lineOf(text, '- id: bad_request_error'), lineOf(text, 'ruby:')];
    expect(messages).toEqual(
      expect.arrayContaining([`${kindLine} kinds.0: missing "java"`, `${rubyLine} kinds.0: unknown key "ruby"`]),
    );
  });

  it("an SDK's own sources can be defined in sdks.yaml instead of sources.yaml: the same contract is built", () => {
    spec = copySpec();
    const sources = parse(spec.read('sources.yaml')) as { sources: Record<string, unknown> };
    const sdks = parse(spec.read('sdks.yaml')) as {
      sdks: { id: string; sources: string[]; defines_sources?: object }[];
    };
    const java = sdks.sdks.find((s) => s.id === 'java')!;
    java.defines_sources = Object.fromEntries(java.sources.map((id) => [id, sources.sources[id]]));
    for (const id of java.sources) delete sources.sources[id];
    spec.write('sources.yaml', stringify(sources));
    spec.write('sdks.yaml', stringify(sdks));
    const moved = buildContract(spec.dir);
    expect(moved.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(moved.contract).toEqual(publishedContract());
  });

  it('covers every check with a failing case', () => {
    expect(new Set(cases.map((c) => c.rule))).toEqual(new Set(checks.map((c) => c.id)));
  });

  it.each(cases)('$rule', ({ rule, file, from, to, at, nth, message }) => {
    spec = copySpec();
    // The judgement case removes the rationale key's text too, so the YAML stays valid.
    if (rule === 'judgement-rationale') {
      const text = spec.read(file);
      spec.write(file, text.replace(/ {4}rationale: >-\n( {6}.*\n)+/, ''));
    } else {
      spec.replace(file, from, to);
    }
    const found = findings(spec).filter((f) => f.rule === rule);
    expect(found.length, JSON.stringify(findings(spec))).toBeGreaterThan(0);
    const finding = found[0]!;
    expect(finding.message).toMatch(message);
    expect(finding.level).toBe('error');
    expect(finding.position.file.endsWith(file)).toBe(true);
    expect(finding.position.line).toBe(lineOf(spec.read(file), at, nth));
    expect(finding.position.col).toBeGreaterThan(0);
  });
});
