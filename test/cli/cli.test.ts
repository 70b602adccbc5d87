// The error-contract CLI, run as a separate process: outputs, exit codes and messages.
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
  cpSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { generatedDir } from '../../src/paths.js';
import { MAX_DOCUMENT_BYTES } from '../../src/cli/io.js';
import { cliPath, runCli } from '../support/cli.js';
import { copySpec, type SpecCopy } from '../support/spec-fixture.js';

const failed = { object: 'response', status: 'failed', error: { code: 'rate_limit_exceeded', message: 'x' } };
let cleanup: (() => void)[] = [];
afterEach(() => {
  cleanup.forEach((f) => f());
  cleanup = [];
});

describe('classify', () => {
  it('prints the issue example: failed, rate_limit_error, retryable', () => {
    const r = runCli(['classify'], JSON.stringify(failed));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'failed', kind: 'rate_limit_error', retryable: true });
  });

  it('reads a FILE, and - for stdin', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ec-cli-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
      join(dir, 'obs.json'),
      JSON.stringify({ http_status: 429, body: { error: { code: 'insufficient_quota' } } }),
    );
    expect(JSON.parse(runCli(['classify', join(dir, 'obs.json')]).stdout)).toMatchObject({
      retryable: false,
      entry: 'error.code/insufficient_quota',
    });
    expect(JSON.parse(runCli(['classify', '-'], '42').stdout).outcome).toBe('invalid');
  });

  it('input that is not JSON is an error with exit 2', () => {
    const r = runCli(['classify'], '{"object":');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/standard input is not JSON/);
    expect(r.stdout).toBe('');
  });

  it('a single document over 512 MiB is refused with a message and exit 2: a sparse FILE, before reading it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ec-cli-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'huge.json');
    // Sparse: no disk used, and the CLI refuses it by its size alone.
    writeFileSync(path, '');
    truncateSync(path, MAX_DOCUMENT_BYTES + 1);
    const r = runCli(['classify', path]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/huge\.json is larger than 536870888 bytes \(512 MiB\)/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it(
    'a single document over 512 MiB on stdin is refused with a message and exit 2, once it passes the limit',
    { timeout: 120_000 },
    async () => {
      // Generated on the fly, 1 MiB a write, so that this process never holds it.
      const child = spawn(process.execPath, [cliPath, 'classify'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (text: string) => (stderr += text));
      child.stdin.on('error', () => {}); // EPIPE once the CLI has given up
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      const chunk = Buffer.alloc(1 << 20, 0x20);
      let written = 0;
      const limit = MAX_DOCUMENT_BYTES + 2 * chunk.length;
      while (written < limit && child.exitCode === null && child.stdin.writable) {
        written += chunk.length;
        if (!child.stdin.write(chunk))
          await new Promise<void>((resolve) => child.stdin.once('drain', resolve).once('close', resolve));
      }
      child.stdin.end();
      expect(await exited).toBe(2);
      expect(stderr).toMatch(/standard input is larger than 536870888 bytes \(512 MiB\)/);
      expect(stderr).not.toMatch(/internal error/);
    },
  );

  it(
    '--jsonl reads a 100 MB line in linear time (it was quadratic: 101 s), and the lines around it',
    { timeout: 120_000 },
    async () => {
      const child = spawn(process.execPath, [cliPath, 'classify', '--jsonl'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (text: string) => (stdout += text));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      const started = performance.now();
      const write = (text: string) =>
        child.stdin.write(text)
          ? Promise.resolve()
          : new Promise<void>((resolve) => child.stdin.once('drain', resolve));
      await write('{"http_status":500}\n{"http_status":429,"body":{"pad":"');
      // 100 MB in 64 KiB writes: the reader sees the line arrive in many chunks, as from any pipe.
      const piece = 'x'.repeat(1 << 16);
      for (let i = 0; i < 1526; i++) await write(piece);
      await write('","error":{"code":"insufficient_quota"}}}\r\n{"http_status":400}');
      child.stdin.end();
      expect(await exited).toBe(0);
      // Generous: the failure mode is minutes.
      expect(performance.now() - started).toBeLessThan(45_000);
      expect(
        stdout
          .trimEnd()
          .split('\n')
          .map((l) => (JSON.parse(l) as { entry: string }).entry),
      ).toEqual(['http.status/>=500', 'error.code/insufficient_quota', 'http.status/400']);
    },
  );

  it('--jsonl answers each line in order, names a bad line, and goes on', () => {
    const lines = [
      JSON.stringify(failed),
      'not json',
      '',
      JSON.stringify({ type: 'response.output_text.delta' }),
      '{"http_status": 503}\r',
    ];
    const r = runCli(['classify', '--jsonl'], lines.join('\n'));
    expect(r.status).toBe(0);
    const out = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((o) => o.outcome)).toEqual(['failed', 'invalid', 'pending', 'failed']);
    expect(out[1].message).toMatch(/^line 2: not JSON/);
    expect(out[3].kind).toBe('internal_server_error');
  });

  it('--jsonl gives the same results as the library, for many lines', () => {
    const observations = Array.from({ length: 5000 }, (_, i) =>
      i % 3 === 0 ? failed : i % 3 === 1 ? { http_status: 400 + (i % 100) } : { object: 'batch', status: 'expired' },
    );
    const r = runCli(['classify', '--jsonl'], observations.map((o) => JSON.stringify(o)).join('\n') + '\n');
    const out = r.stdout.trimEnd().split('\n');
    expect(out.length).toBe(observations.length);
    out.forEach((line, i) => expect(JSON.parse(line)).toEqual(classify(observations[i])));
  });

  it('--profile selects a profile; an unknown one is a usage error', () => {
    const body = JSON.stringify({ object: 'response', status: 'failed', error: { type: 'guardrail_violation' } });
    expect(JSON.parse(runCli(['classify', '--profile', 'openai'], body).stdout).entry).toBe('response.error.code/*');
    const r = runCli(['classify', '--profile', 'nope'], body);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown profile "nope"/);
  });

  it('a missing FILE and an unknown option exit 2 with a message', () => {
    expect(runCli(['classify', '/no/such/file.json'])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/no such file/i),
    });
    expect(runCli(['classify', '--frobnicate'], '{}')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/Unknown option/i),
    });
  });
});

describe('top level', () => {
  it('--version prints package and contract versions', () => {
    expect(runCli(['--version']).stdout).toMatch(/^error-contract \d+\.\d+\.\d+ \(contract \d+\.\d+\.\d+\)$/m);
  });
  it('--help lists every command; no command exits 2; unknown command exits 2', () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    for (const name of ['classify', 'validate', 'generate']) expect(help.stdout).toContain(name);
    expect(runCli([]).status).toBe(2);
    expect(runCli(['frobnicate'])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/unknown command "frobnicate"/),
    });
    expect(runCli(['classify', '--help']).stdout).toMatch(/Usage: error-contract classify/);
  });
  it('every command in the help loads and answers its own --help', () => {
    const names = [...runCli(['--help']).stdout.matchAll(/^ {2}([a-z]+) {2}/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const name of names)
      expect(runCli([name, '--help']).stdout, name).toMatch(new RegExp(`^Usage: error-contract ${name}\\b`));
  });
});

describe('validate and generate', () => {
  let spec: SpecCopy;
  afterEach(() => spec?.remove());

  it('validate passes on spec/ and fails with file:line:col on a broken copy', () => {
    expect(runCli(['validate'])).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/^ok: \d+ entries in \d+ fields/),
    });
    spec = copySpec();
    spec.replace('fields/response.status.yaml', 'kind: api_user_abort_error', 'kind: nope_error');
    const r = runCli(['validate', spec.dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/response\.status\.yaml:\d+:\d+: error \[unknown-kind\] unknown kind "nope_error"/);
    expect(runCli(['validate', '/no/such/dir']).status).toBe(2);
  });

  // Each once ended as an internal error (exit 70 and a stack trace), was accepted with U+FFFD in contract.json,
  // hung for ever (a FIFO), or gave a bare EISDIR: now each is a finding naming the file, and nothing is written.
  for (const [name, breakIt, status, message] of [
    [
      'an alias bomb',
      (spec: SpecCopy) => {
        let text = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n';
        for (let i = 1; i < 9; i++)
          text += `${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(10)
            .fill(`*${'abcdefghij'[i - 1]}`)
            .join(',')}]\n`;
        spec.write('fields/bomb.yaml', text);
      },
      1,
      /fields\/bomb\.yaml:2:8: error \[yaml-aliases\] Excessive alias count/,
    ],
    [
      'a symbolic link loop',
      (spec: SpecCopy) => symlinkSync('loop.yaml', join(spec.dir, 'fields', 'loop.yaml')),
      2,
      /fields\/loop\.yaml: cannot be read: a symbolic link loop/,
    ],
    [
      'a byte that is not UTF-8',
      (spec: SpecCopy) => {
        const path = join(spec.dir, 'fields', 'response.status.yaml');
        const bytes = readFileSync(path);
        const at = bytes.indexOf('summary:') + 'summary: '.length + 2;
        writeFileSync(path, Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at)]));
      },
      1,
      /fields\/response\.status\.yaml:\d+:\d+: error \[encoding\] not UTF-8: byte 0xff/,
    ],
    [
      'a FIFO',
      (spec: SpecCopy) => execFileSync('mkfifo', [join(spec.dir, 'fields', 'fifo.yaml')]),
      2,
      /fields\/fifo\.yaml: cannot be read: a FIFO, not a file/,
    ],
    [
      'a directory',
      (spec: SpecCopy) => mkdirSync(join(spec.dir, 'fields', 'dir.yaml')),
      2,
      /fields\/dir\.yaml: cannot be read: a directory, not a file/,
    ],
  ] as const) {
    it(`${name} in spec/ is a finding naming the file, a non-zero exit, and nothing written`, () => {
      spec = copySpec();
      breakIt(spec);
      const validated = runCli(['validate', spec.dir]);
      expect(validated.status).toBe(status);
      expect(validated.stderr).toMatch(message);
      expect(validated.stderr).not.toMatch(/internal error|\n\s+at /);
      const out = mkdtempSync(join(tmpdir(), 'ec-gen-'));
      cleanup.push(() => rmSync(out, { recursive: true, force: true }));
      const generated = runCli(['generate', '--spec', spec.dir, '--out', out]);
      expect(generated.status).toBe(status);
      expect(generated.stderr).toMatch(message);
      expect(readdirSync(out)).toEqual([]);
    });
  }

  it('the position of a byte that is not UTF-8 is its line and column', () => {
    spec = copySpec();
    const path = join(spec.dir, 'fields', 'response.status.yaml');
    const text = readFileSync(path, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('summary:'));
    const col = text.split('\n')[line]!.indexOf('summary:') + 1;
    const at =
      Buffer.byteLength(text.split('\n').slice(0, line).join('\n')) +
      1 +
      Buffer.byteLength(text.split('\n')[line]!.slice(0, col - 1));
    const bytes = readFileSync(path);
    writeFileSync(path, Buffer.concat([bytes.subarray(0, at), Buffer.from([0xc3, 0x28]), bytes.subarray(at)]));
    expect(runCli(['validate', spec.dir]).stderr).toContain(
      `response.status.yaml:${line + 1}:${col}: error [encoding] not UTF-8: byte 0xc3`,
    );
  });

  it('generate --check is clean on the committed generated/', () => {
    const r = runCli(['generate', '--check']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('generate is byte-identical on re-run, and --check notices a stale file', () => {
    const out = mkdtempSync(join(tmpdir(), 'ec-gen-'));
    cleanup.push(() => rmSync(out, { recursive: true, force: true }));
    expect(runCli(['generate', '--out', out]).status).toBe(0);
    const files = readdirSync(out, { recursive: true }) as string[];
    const first = new Map(
      files.map((f) => [f, existsSync(join(out, f)) && !f.includes('.') ? '' : readFileSync(join(out, f), 'utf8')]),
    );
    expect(runCli(['generate', '--out', out]).stdout).toMatch(/\(0 changed\)/);
    for (const [f, content] of first) if (content) expect(readFileSync(join(out, f), 'utf8')).toBe(content);
    expect(readFileSync(join(out, 'contract.json'), 'utf8')).toBe(
      readFileSync(join(generatedDir, 'contract.json'), 'utf8'),
    );
    writeFileSync(join(out, 'ENTRIES.md'), 'edited by hand\n');
    const check = runCli(['generate', '--check', '--out', out]);
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/changed: ENTRIES\.md/);
    // Three full builds of the spec (each derives every vector): generous on a busy machine.
  }, 240_000);

  it('generate writes nothing when the spec has an error', () => {
    const out = mkdtempSync(join(tmpdir(), 'ec-gen-'));
    cleanup.push(() => rmSync(out, { recursive: true, force: true }));
    cpSync(generatedDir, out, { recursive: true });
    const before = readFileSync(join(out, 'contract.json'), 'utf8');
    spec = copySpec();
    spec.replace(
      'fields/response.status.yaml',
      "    value: '*'\n    outcome: invalid",
      "    value: '*'\n    outcome: nope",
    );
    const r = runCli(['generate', '--spec', spec.dir, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/response\.status\.yaml:\d+:\d+: error \[schema\].*nothing was written/s);
    expect(readFileSync(join(out, 'contract.json'), 'utf8')).toBe(before);
  });
});
