// The audit's own parts on tiny fixtures: the checker against a fake contract, the failure-bearing rule, and
// both extractors on a fake SDK (a .d.ts tree; a Python package of pydantic models, run with the venv).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { audit, coverageLine, missingTable, vocabularyChain, type ContractLike, type Mapping } from './checker.js';
import { extractNodeVocabulary, failureBearing, type SdkVocabulary } from './node-literals.js';

const contract: ContractLike = {
  fields: {
    'job.status': {},
    'job.error.code': { shares_values_with: 'error.code' },
    'error.code': { shares_values_with: 'base.code' },
    'base.code': {},
    'job.stream.event': {},
    'other.stream.event': {},
  },
  entries: [
    { field: 'job.status', value: 'completed' },
    { field: 'job.status', value: 'failed' },
    { field: 'error.code', value: 'server_error' },
    { field: 'base.code', value: 'rate_limit_exceeded' },
    { field: 'job.stream.event', value: '*' },
    { field: 'job.stream.event', value: 'job.failed' },
    { field: 'other.stream.event', value: 'other.failed' },
    { field: 'other.stream.event', value: '*.expired' },
  ],
};

function sdk(fields: Record<string, string[]>): SdkVocabulary {
  return {
    sdk: 'node',
    package: 'openai',
    version: '0.0.0',
    errors: [],
    fields: Object.fromEntries(
      Object.entries(fields).map(([k, values]) => [k, { values, open: false, kind: 'field' as const, file: 'f.d.ts' }]),
    ),
  };
}

describe('audit', () => {
  it('a suffix entry (*.expired) covers the unlisted values ending with its suffix, and nothing else', () => {
    const r = audit(
      [sdk({ 'a#Ev.type': ['thing.expired', 'other.failed', 'thing.failed'] })],
      { node: { 'a#Ev.type': 'other.stream.event' } },
      contract,
    );
    expect(r.covered).toBe(2);
    expect(r.uncovered.map((f) => f.value)).toEqual(['thing.failed']);
  });

  it('passes when every literal has an entry', () => {
    const r = audit(
      [sdk({ 'a#Job.status': ['completed', 'failed'] })],
      { node: { 'a#Job.status': 'job.status' } },
      contract,
    );
    expect(r).toMatchObject({ total: 2, covered: 2, byEntry: 2, uncovered: [], unmapped: [], stale: [] });
  });

  it('fails a literal the contract field lacks, and one whose contract field does not exist', () => {
    const r = audit(
      [sdk({ 'a#Job.status': ['completed', 'expired'], 'a#Job.kind': ['x'] })],
      { node: { 'a#Job.status': 'job.status', 'a#Job.kind': 'job.kind' } },
      contract,
    );
    expect(r.covered).toBe(1);
    expect(r.uncovered.map((f) => [f.field, f.value, f.contract, f.why])).toEqual([
      ['a#Job.status', 'expired', 'job.status', 'no entry'],
      ['a#Job.kind', 'x', 'job.kind', 'contract field missing'],
    ]);
    expect(coverageLine(r, { node: '0.0.0' })).toBe(
      'SDK vocabulary audit: 1/3 literals covered (33.3%), node openai 0.0.0',
    );
    expect(missingTable(r)).toContain('| `job.kind` (new field) | `x` | node `Job` (f.d.ts) |');
  });

  it('passes a value exclusion and a field exclusion, and counts neither as covered', () => {
    const r = audit(
      [sdk({ 'a#Job.status': ['completed', 'expired'], 'a#Invite.status': ['expired'] })],
      {
        node: {
          'a#Job.status': { contract: 'job.status', exclude_values: { expired: 'why' } },
          'a#Invite.status': { exclude: 'why' },
        },
      },
      contract,
    );
    expect(r).toMatchObject({ total: 1, covered: 1, excludedValues: 1, uncovered: [], stale: [] });
    expect(r.excludedFields).toEqual([{ sdk: 'node', field: 'a#Invite.status', reason: 'why', values: 1 }]);
  });

  it('counts the entries of the shared vocabulary, transitively', () => {
    expect(vocabularyChain(contract, 'job.error.code')).toEqual(['job.error.code', 'error.code', 'base.code']);
    const r = audit(
      [sdk({ 'a#Job.Error.code': ['server_error', 'rate_limit_exceeded', 'bad'] })],
      { node: { 'a#Job.Error.code': 'job.error.code' } },
      contract,
    );
    expect(r.covered).toBe(2);
    expect(r.uncovered.map((f) => f.value)).toEqual(['bad']);
    // No sharing the other way: error.code does not see job.error.code's own entries.
    const cyclic: ContractLike = {
      fields: { a: { shares_values_with: 'b' }, b: { shares_values_with: 'a' } },
      entries: [],
    };
    expect(vocabularyChain(cyclic, 'a')).toEqual(['a', 'b']);
  });

  it('failure-only: failure-named values need an entry, the others the * fallback', () => {
    const events = ['job.created', 'job.failed', 'job.cancelled'];
    const r = audit(
      [sdk({ 'a#JobEvent.type': events })],
      { node: { 'a#JobEvent.type': { contract: 'job.stream.event', values: 'failure-only' } } },
      contract,
    );
    expect(r).toMatchObject({ total: 3, covered: 2, byEntry: 1, byFallback: 1 });
    expect(r.uncovered.map((f) => f.value)).toEqual(['job.cancelled']);
    // Without a * entry, a non-failure value is uncovered too.
    const s = audit(
      [sdk({ 'a#OtherEvent.type': ['other.created', 'other.failed'] })],
      { node: { 'a#OtherEvent.type': { contract: 'other.stream.event', values: 'failure-only' } } },
      contract,
    );
    expect(s.uncovered.map((f) => [f.value, f.why])).toEqual([['other.created', 'no entry and no * entry']]);
    expect(missingTable(s)).toContain(
      '| `other.stream.event` | `*` (the fallback for 1 other value: `other.created`) | node `OtherEvent` (f.d.ts) |',
    );
    // Without failure-only, every value needs its own entry.
    const t = audit(
      [sdk({ 'a#JobEvent.type': events })],
      { node: { 'a#JobEvent.type': 'job.stream.event' } },
      contract,
    );
    expect(t.covered).toBe(1);
  });

  it('fails an unmapped SDK field, a key that matches nothing and an exclusion that excludes nothing', () => {
    const r = audit(
      [sdk({ 'a#Job.status': ['completed', 'failed'], 'a#New.status': ['failed'] })],
      {
        node: {
          'a#Job.status': { contract: 'job.status', exclude_values: { gone: 'why', failed: 'why' } },
          'a#Old.status': 'job.status',
        },
      },
      contract,
    );
    expect(r.unmapped.map((f) => f.field)).toEqual(['a#New.status']);
    expect(r.stale).toEqual([
      'node: a#Job.status: exclusion of "failed", which job.status now covers',
      'node: a#Job.status: exclusion of "gone", which the SDK does not list',
      'node: a#Old.status: matches no failure-bearing SDK field',
    ]);
  });

  it('globs: an exact key wins, then the first glob in order', () => {
    const mapping: Mapping = {
      node: {
        'a#*.status': 'job.status',
        'a#Special*.status': { exclude: 'never reached' },
        'a#Special.status': 'other.stream.event',
      },
    };
    const r = audit(
      [sdk({ 'a#Special.status': ['other.failed'], 'a#SpecialTwo.status': ['failed'] })],
      mapping,
      contract,
    );
    expect(r).toMatchObject({ total: 2, covered: 2, excludedFields: [] });
    expect(r.stale).toEqual(['node: a#Special*.status: matches no failure-bearing SDK field']);
  });
});

describe('the failure-bearing rule', () => {
  it.each([
    ['status', 'Job', ['queued', 'failed'], false, true],
    ['status', 'Job', ['queued', 'done'], false, false],
    ['code', 'LastError', ['server_error'], false, true],
    ['code', 'LastError', ['rate_limit_exceeded'], false, true], // an error object's code, failure word or not
    ['code', 'Thing', ['rate_limit_exceeded'], false, false],
    ['reason', 'IncompleteDetails', ['max_tokens'], false, true],
    ['finish_reason', 'Choice', ['stop', 'length'], false, true],
    ['error_type', 'Misalignment', ['other'], false, true],
    ['type', 'ResponseErrorEvent', ['error'], false, false], // a model's own tag
    ['type', 'ResponseStreamEvent', ['response.created', 'response.failed'], true, true],
    ['type', 'OutputItem', ['message', 'function_call'], true, false],
    ['model', 'Job', ['failed'], false, false],
  ] as const)('%s of %s %j (union: %s) -> %s', (name, owner, values, union, expected) => {
    expect(failureBearing(name, owner, [...values], union)).toBe(expected);
  });
});

describe('extractors on a fake SDK', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Node: resolves aliases, namespaces, inline objects and arrays; keys discriminated unions; skips Params', () => {
    mkdirSync(join(dir, 'node', 'resources', 'jobs'), { recursive: true });
    writeFileSync(join(dir, 'node', 'package.json'), '{"name":"openai","version":"9.9.9"}');
    writeFileSync(
      join(dir, 'node', 'resources', 'jobs', 'jobs.d.ts'),
      `export type JobStatus = 'queued' | 'failed';
export interface Job { status: JobStatus | null; last_error?: Job.LastError; errors: Array<{ code: 'a' | 'b' }>; type: 'job'; model: 'failed' }
export declare namespace Job { interface LastError { code: 'server_error' | (string & {}); } }
export interface JobFailedEvent { type: 'job.failed' }
export interface JobCreatedEvent { type: 'job.created' }
export type JobEvent = JobFailedEvent | JobCreatedEvent;
export interface JobCreateParams { status: 'failed' }
`,
    );
    const v = extractNodeVocabulary(join(dir, 'node'));
    expect(v.version).toBe('9.9.9');
    expect(Object.fromEntries(Object.entries(v.fields).map(([k, f]) => [k, [f.kind, f.values, f.open]]))).toEqual({
      'resources/jobs/jobs#Job.status': ['field', ['queued', 'failed'], false],
      'resources/jobs/jobs#Job.errors.code': ['field', ['a', 'b'], false],
      'resources/jobs/jobs#Job.LastError.code': ['field', ['server_error'], true],
      'resources/jobs/jobs#JobEvent.type': ['union', ['job.failed', 'job.created'], false],
    });
  });

  it('Python: resolves Optional, Union, List, Annotated and aliases; keys discriminated unions; skips TypedDicts', () => {
    const pkg = join(dir, 'py', 'fakesdk');
    mkdirSync(join(pkg, 'jobs'), { recursive: true });
    writeFileSync(join(pkg, '__init__.py'), '');
    writeFileSync(join(pkg, 'jobs', '__init__.py'), '');
    writeFileSync(
      join(pkg, 'jobs', 'job.py'),
      `from typing import List, Optional, Union
from typing_extensions import Annotated, Literal, TypeAlias, TypedDict
from pydantic import BaseModel

JobStatus: TypeAlias = Literal["queued", "failed"]

class LastError(BaseModel):
    code: Union[str, Literal["server_error"], None] = None

class Job(BaseModel):
    status: Optional[JobStatus] = None
    last_error: Optional[LastError] = None
    reason: List[Annotated[Literal["fine", "expired"], "meta"]] = []
    type: Literal["job"] = "job"
    model: Literal["failed"] = "failed"

class JobFailedEvent(BaseModel):
    type: Literal["job.failed"]

class JobCreatedEvent(BaseModel):
    type: Literal["job.created"]

JobEvent: TypeAlias = Annotated[Union[JobFailedEvent, JobCreatedEvent], "discriminator"]

class JobCreateParams(TypedDict):
    status: Literal["failed"]
`,
    );
    const out = execFileSync(
      join(packageRoot, '.venv', 'bin', 'python'),
      [join(packageRoot, 'test', 'audit', 'python_literals.py'), 'fakesdk'],
      {
        encoding: 'utf8',
        env: { ...process.env, PYTHONPATH: join(dir, 'py') },
      },
    );
    const v = JSON.parse(out) as SdkVocabulary & { fields: Record<string, { via?: string[] }> };
    expect(v.errors).toEqual([]);
    expect(Object.fromEntries(Object.entries(v.fields).map(([k, f]) => [k, [f.kind, f.values, f.open]]))).toEqual({
      'fakesdk.jobs.job.Job.reason': ['field', ['fine', 'expired'], false],
      'fakesdk.jobs.job.Job.status': ['field', ['queued', 'failed'], false],
      'fakesdk.jobs.job.LastError.code': ['field', ['server_error'], true],
      'fakesdk.jobs.job.JobEvent.type': ['union', ['job.failed', 'job.created'], false],
    });
    expect(v.fields['fakesdk.jobs.job.LastError.code']!.via).toEqual(['fakesdk.jobs.job.Job.last_error']);
  });
});
