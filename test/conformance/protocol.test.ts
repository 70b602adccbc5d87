// The protocol's schemas: the examples of PROTOCOL.md are valid messages, broken messages are not, and a real JSON
// report is valid against schemas/protocol/report.schema.json line by line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMessage } from '../../src/conformance/protocol.js';
import { packageRoot } from '../../src/paths.js';
import { renderJson } from '../../src/conformance/reporters/json.js';
import { runConformance } from '../../src/conformance/runner.js';
import { protocolSchemaId, validator } from '../../src/conformance/schemas.js';
import { cliPath } from '../support/cli.js';

const valid = (name: string, message: unknown) => validator(protocolSchemaId(name))(message);

describe('PROTOCOL.md', () => {
  const text = readFileSync(join(packageRoot, 'conformance', 'PROTOCOL.md'), 'utf8');
  const example = /```\n(runner:[\s\S]*?)```/.exec(text)![1]!;
  const lines = example.split('\n').filter((l) => /^(runner|adapter):\s+\{/.test(l));

  it('shows a session whose every message is valid against its schema', () => {
    expect(lines.length).toBeGreaterThanOrEqual(7);
    let answered = false;
    for (const line of lines) {
      const [who, json] = [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()];
      const message = JSON.parse(json) as { cmd?: string };
      const schema = who === 'runner' ? message.cmd! : answered ? 'answer' : 'started';
      if (who === 'adapter') answered = true;
      expect(valid(schema, message), `${schema}: ${json}`).toBe(true);
    }
  });

  it('documents every harness failure the report schema names', () => {
    const schema = JSON.parse(readFileSync(join(packageRoot, 'schemas', 'protocol', 'report.schema.json'), 'utf8')) as {
      $defs: { harnessFailure: { enum: string[] } };
    };
    const failures = schema.$defs.harnessFailure.enum;
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) expect(text, f).toContain(`| \`${f}\` |`);
  });
});

describe('message schemas', () => {
  it('start and stop', () => {
    expect(valid('start', { cmd: 'start', protocol: 1, contract_version: '2.0.0', profile: 'default' })).toBe(true);
    expect(valid('start', { cmd: 'start', protocol: 1 })).toBe(false);
    expect(valid('start', { cmd: 'start', protocol: 2, contract_version: '2.0.0', profile: 'default' })).toBe(false);
    // What the runner sends is valid.
    expect(valid('start', JSON.parse(startMessage({ contract_version: '2.0.0', profile: 'openai' })))).toBe(true);
    expect(valid('stop', { cmd: 'stop' })).toBe(true);
    expect(valid('stop', { cmd: 'stop', now: true })).toBe(false);
  });

  it('started: ok with implementation and known groups, or a refusal', () => {
    const implementation = { name: 'x', version: '1', language: 'go' };
    expect(valid('started', { ok: true, implementation })).toBe(true);
    expect(valid('started', { ok: true, implementation, groups: ['http', 'streams'] })).toBe(true);
    expect(valid('started', { ok: true, implementation, groups: ['nope'] })).toBe(false);
    expect(valid('started', { ok: true, implementation: { name: 'x' } })).toBe(false);
    expect(valid('started', { ok: false, error: 'protocol 2 only' })).toBe(true);
    expect(valid('started', { ok: false })).toBe(false);
  });

  it('classify: a seq from 0 and any observation', () => {
    expect(valid('classify', { cmd: 'classify', seq: 0, observation: null })).toBe(true);
    expect(valid('classify', { cmd: 'classify', seq: -1, observation: {} })).toBe(false);
    expect(valid('classify', { cmd: 'classify', seq: 1 })).toBe(false);
  });

  it('answer: exactly one of result, error, skipped; results carry outcome, kind and retryable', () => {
    const result = { outcome: 'failed', kind: null, retryable: false };
    expect(valid('answer', { seq: 0, result })).toBe(true);
    expect(valid('answer', { seq: 0, result: { ...result, sdk: null, extra: 1 } })).toBe(true);
    expect(valid('answer', { seq: 0, error: 'boom' })).toBe(true);
    expect(valid('answer', { seq: 0, skipped: 'n/a' })).toBe(true);
    expect(valid('answer', { seq: 0, result, error: 'both' })).toBe(false);
    expect(valid('answer', { seq: 0 })).toBe(false);
    expect(valid('answer', { seq: 0, result: { outcome: 'failed', kind: null } })).toBe(false);
    expect(valid('answer', { seq: 0, result: { ...result, retryable: 'no' } })).toBe(false);
    expect(valid('answer', { seq: 0, result: { ...result, http_status: 'x' } })).toBe(false);
  });

  it('baseline: reasons by vector and by entry', () => {
    expect(valid('baseline', { vectors: { a: 'why' }, entries: { 'x/y': 'why' } })).toBe(true);
    expect(valid('baseline', { vectors: { a: '' } })).toBe(false);
    expect(valid('baseline', { expected: {} })).toBe(false);
  });
});

describe('the precompiled validators (generated/protocol-validators.ts)', () => {
  it('decide exactly as the schemas compiled by ajv do', async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const { schemaDocuments } = await import('../../src/conformance/schemas.js');
    const ajv = new Ajv2020({ strict: true, strictRequired: false });
    for (const schema of schemaDocuments()) ajv.addSchema(schema);
    const result = { outcome: 'failed', kind: null, retryable: false };
    const samples: [string, unknown][] = [
      ['started', { ok: true, implementation: { name: 'x', version: '1', language: 'go' }, groups: ['http'] }],
      ['started', { ok: true, implementation: { name: 'x', version: '1', language: 'go' }, groups: ['nope'] }],
      ['started', { ok: false, error: 'no' }],
      ['started', { ok: true }],
      ['started', null],
      ['answer', { seq: 0, result }],
      ['answer', { seq: 0, result: { ...result, http_status: 429, throttling: true, entry: 'x', sdk: null } }],
      ['answer', { seq: 0, result: { ...result, retryable: 1 } }],
      ['answer', { seq: 0, result, skipped: 'x' }],
      ['answer', { seq: -1, error: 'x' }],
      ['answer', { seq: 1.5, skipped: 'x' }],
      ['answer', []],
    ];
    for (const [name, message] of samples) {
      expect(validator(protocolSchemaId(name))(message), JSON.stringify(message)).toBe(
        ajv.getSchema(protocolSchemaId(name))!(message),
      );
    }
  });
});

describe('the JSON report', () => {
  it('is valid against report.schema.json, line by line, for a passing run and a harness failure', async () => {
    const validate = validator(protocolSchemaId('report'));
    for (const adapter of [`'${process.execPath}' '${cliPath}' adapter`, 'exit 3']) {
      const report = await runConformance({ adapter, runs: 200, seed: 1, timeoutMs: 10_000 });
      for (const line of renderJson(report).trimEnd().split('\n'))
        expect(validate(JSON.parse(line)), `${line.slice(0, 200)}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});
