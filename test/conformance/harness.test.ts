// Broken adapters: each way of breaking the protocol gives its documented exit code and message (PROTOCOL.md),
// the runner never hangs, and the adapter (and anything it started) is always reaped.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { runConformance, type RunOptions } from '../../src/conformance/runner.js';
import { cliPath } from '../support/cli.js';

const fixture = join(packageRoot, 'test', 'conformance', 'fixtures', 'broken-adapter.mjs');
const broken = (mode: string, ...args: string[]) =>
  [process.execPath, fixture, mode, ...args].map((w) => `'${w}'`).join(' ');
const run = (adapter: string, options: Partial<RunOptions> = {}) =>
  runConformance({ adapter, runs: 300, seed: 7, timeoutMs: 5000, ...options });

let dir = '';
beforeAll(() => {
  if (!existsSync(cliPath)) throw new Error('dist/ is missing: run npm run build first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'ec-harness-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The pid a fixture wrote to `file`, once it is there whole: the file exists before its content is written. */
const pidIn = (file: string): number | undefined => {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return /^[1-9][0-9]*$/.test(text) ? Number(text) : undefined;
};

/** Whether a process runs; a zombie (killed, not yet reaped by an init that may never reap it) does not. */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('a correct adapter', () => {
  it('passes: exit 0, every vector and property case answered', async () => {
    const report = await run(broken('ok'));
    expect(report.footer.harness_error).toBeNull();
    expect(report.footer.exit_code).toBe(0);
    expect(report.footer.counts.fail + report.footer.counts.error).toBe(0);
    expect(report.footer.property?.sent).toBe(300);
    expect(report.header.implementation?.name).toBe('broken-ok');
  });

  it('that floods stderr still passes (the runner drains it)', async () => {
    const report = await run(broken('stderr-noisy'));
    expect(report.footer.harness_error).toBeNull();
    expect(report.footer.exit_code).toBe(0);
  });
});

describe('harness errors: exit 2, a named failure, a clear message', () => {
  // The timeout leaves a loaded two-core machine time to start node (the start itself must answer within it).
  const cases: [string, string, RegExp, Partial<RunOptions>?][] = [
    ['crash', 'crash', /^the adapter exited with code 3 with \d+ answer\(s\) outstanding \(last answered seq: 4\)/],
    ['hang', 'timeout', /^timed out after 5000 ms waiting for the answer to seq 0/, { timeoutMs: 5000 }],
    ['hang-at-start', 'timeout', /^timed out after 5000 ms waiting for the answer to start/, { timeoutMs: 5000 }],
    [
      'garbage',
      'garbage',
      /^the adapter wrote something that is not a protocol message on stdout \(line \d+: not JSON\): "debug: classifying"; logs belong on stderr/,
    ],
    ['wrong-seq', 'seq', /^the adapter answered seq 1 where seq 0 was due/],
    ['skip-seq-later', 'seq', /^the adapter answered seq 50 where seq 49 was due/],
    ['duplicate-later', 'seq', /^the adapter answered seq 49 where seq 50 was due/],
    ['early-exit', 'crash', /^the adapter exited with code 0 with \d+ answer\(s\) outstanding/],
    ['refuse', 'refused', /^the adapter refused to start: this adapter speaks protocol 2 only/],
    [
      'no-exit-after-stop',
      'timeout',
      /^timed out after 5000 ms waiting for the adapter to exit after stop/,
      { timeoutMs: 5000 },
    ],
    ['exit-1-after-stop', 'exit', /^the adapter exited with code 1 after stop \(expected exit code 0\)/],
    ['missing-retryable', 'garbage', /not an answer: \/result must have required property 'retryable'/],
    // Bytes that are not answers are not progress: the timeout is per expected answer.
    ['trickle-space', 'timeout', /^timed out after 5000 ms waiting for the answer to seq 0/, { timeoutMs: 5000 }],
    ['trickle-blank', 'timeout', /^timed out after 5000 ms waiting for the answer to seq 0/, { timeoutMs: 5000 }],
    // A line has a maximum length: past it the run ends, without buffering the rest.
    [
      'flood',
      'garbage',
      /^the adapter wrote something that is not a protocol message on stdout \(line 2: longer than 1048576 characters, the longest line the protocol allows\): "x{20}/,
    ],
    [
      'huge-answer',
      'garbage',
      /^the adapter wrote something that is not a protocol message on stdout \(line 2: longer than 1048576 characters, the longest line the protocol allows\): "\{\\"seq\\":0/,
    ],
  ];
  for (const [mode, failure, message, options] of cases) {
    it(mode, async () => {
      const report = await run(broken(mode), options);
      expect(report.footer.harness_error?.failure).toBe(failure);
      expect(report.footer.harness_error?.message).toMatch(message);
      expect(report.footer.exit_code).toBe(2);
    });
  }

  it('a command that does not exist', async () => {
    const report = await run('definitely-not-an-adapter-command --x');
    expect(report.footer.harness_error?.failure).toBe('start');
    expect(report.footer.harness_error?.message).toMatch(
      /^the adapter exited with code 127 before answering start \(command not found\?\)\nadapter stderr \(last lines\):\n.*not found/,
    );
    expect(report.footer.exit_code).toBe(2);
  });

  it('keeps the answers that arrived before the crash', async () => {
    const report = await run(broken('crash'));
    expect(report.cases.length).toBe(5);
    expect(report.cases.every((c) => c.status === 'pass')).toBe(true);
  });
});

describe('reaping', () => {
  it('kills everything the adapter started, even after a clean run', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const report = await run(broken('grandchild', pidFile));
    expect(report.footer.exit_code).toBe(0);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    // SIGKILL to the group is delivered at once; give the kernel a moment to reap the zombie.
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(pid)).toBe(false);
  });

  it('kills the adapter when the runner is interrupted (SIGINT), and exits 130', async () => {
    const pidFile = join(dir, 'interrupted.pid');
    const cli = spawn(
      process.execPath,
      [
        cliPath,
        'conformance',
        '--adapter',
        broken('grandchild+hang', pidFile),
        '--runs',
        '10',
        '--timeout-ms',
        '60000',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    cli.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // Wait (bounded) until the adapter has started its own child, then interrupt the runner.
    for (let i = 0; i < 250 && pidIn(pidFile) === undefined; i++) await new Promise((r) => setTimeout(r, 20));
    const grandchild = pidIn(pidFile)!;
    cli.kill('SIGINT');
    const status = await new Promise((resolve) => cli.on('close', resolve));
    expect(status).toBe(130);
    expect(stderr).toMatch(/interrupted by SIGINT/);
    for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchild)).toBe(false);
  });

  it('kills what the adapter started in a session of its own (setsid), even after a clean run', async () => {
    const pidFile = join(dir, 'setsid.pid');
    const report = await run(broken('setsid-grandchild', pidFile));
    expect(report.footer.exit_code).toBe(0);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    try {
      for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
      expect(alive(pid)).toBe(false);
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  for (const [signal, code] of [
    ['SIGHUP', 129],
    ['SIGQUIT', 131],
    ['SIGTERM', 143],
    ['SIGUSR2', 140],
  ] as const) {
    it(`kills the adapter and what it started, in its group or not, when the runner gets ${signal}, and exits ${code}`, async () => {
      const pidFile = join(dir, `${signal}.pid`);
      const setsidFile = join(dir, `${signal}-setsid.pid`);
      // Two adapters in one shell: one in the background (its stdin is /dev/null, so it ends at once and leaves its
      // setsid child to init), and one that answers start and then never answers.
      const adapter = `${broken('setsid-grandchild+hang', setsidFile)} & ${broken('grandchild+hang', pidFile)}`;
      const cli = spawn(
        process.execPath,
        [cliPath, 'conformance', '--adapter', adapter, '--runs', '10', '--timeout-ms', '60000'],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      cli.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      for (let i = 0; i < 250 && (pidIn(pidFile) === undefined || pidIn(setsidFile) === undefined); i++)
        await new Promise((r) => setTimeout(r, 20));
      const pids = [pidIn(pidFile)!, pidIn(setsidFile)!];
      try {
        expect(pids.every(alive)).toBe(true);
        cli.kill(signal);
        const status = await new Promise((resolve) => cli.on('close', resolve));
        expect(status).toBe(code);
        expect(stderr).toMatch(new RegExp(`interrupted by ${signal}`));
        for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 20));
        expect(pids.filter(alive)).toEqual([]);
      } finally {
        for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
      }
    });
  }

  it('kills a hanging adapter and returns within the timeout', async () => {
    const started = performance.now();
    const report = await run(broken('hang'), { timeoutMs: 1000 });
    expect(report.footer.harness_error?.failure).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});

describe('case failures: exit 1', () => {
  it('a wrong result fails its vector and the property-based phase reports a shrunk, replayable disagreement', async () => {
    const report = await run(broken('wrong-quota'), { runs: 3000 });
    expect(report.footer.exit_code).toBe(1);
    expect(report.cases.find((c) => c.id.startsWith('error.code/insufficient_quota@'))?.status).toBe('fail');
    const finding = report.footer.property?.finding;
    expect(finding).toBeTruthy();
    expect(finding!.expected.entry).toBe('error.code/insufficient_quota');
    expect(finding!.mismatches).toEqual([{ field: 'retryable', expected: false, actual: true }]);
    expect(finding!.replay).toContain(`--seed 7 --replay ${finding!.path}`);
    // The replay finds the same minimal observation again, and nothing else runs.
    const replayed = await run(broken('wrong-quota'), { replay: finding!.path });
    expect(replayed.footer.property?.finding?.observation).toEqual(finding!.observation);
    expect(replayed.cases.map((c) => c.id)).toEqual([`property:${finding!.path}`]);
    expect(replayed.footer.exit_code).toBe(1);
  });

  it('an error answer is an errored case', async () => {
    const report = await run(broken('error-on-proto'), { runs: 0 });
    expect(report.footer.counts.error).toBeGreaterThan(0);
    expect(report.cases.find((c) => c.status === 'error')?.message).toBe('cannot handle __proto__');
    expect(report.footer.exit_code).toBe(1);
  });

  it('skipped answers are reported, not failed', async () => {
    const report = await run(broken('skip-http'), { runs: 0 });
    expect(report.cases.filter((c) => c.group === 'http').every((c) => c.status === 'skip')).toBe(true);
    expect(report.footer.exit_code).toBe(0);
  });

  it('--max-fail stops after N failures', async () => {
    const report = await run(broken('error-on-proto'), { runs: 0, maxFail: 2 });
    expect(report.footer.counts.error).toBe(2);
    expect(report.footer.stopped_after).toBe(2);
  });
});
