// The conformance CLI as CI runs it: the reference adapters pass the whole suite, the SDK truth checks pass against
// their baselines (and disagree exactly where the baselines say without them), and bad usage exits 2.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { cliPath, runCli } from '../support/cli.js';

const python = join(packageRoot, '.venv', 'bin', 'python');
const node = (...args: string[]) => [process.execPath, ...args].map((w) => `'${w}'`).join(' ');
const tsAdapter = node(cliPath, 'adapter');
const pyAdapter = `'${python}' '${join(packageRoot, 'conformance', 'adapters', 'python', 'adapter.py')}'`;
const sdkNode = node(join(packageRoot, 'conformance', 'adapters', 'sdk-node', 'adapter.mjs'));
const sdkPython = `'${python}' '${join(packageRoot, 'conformance', 'adapters', 'sdk-python', 'adapter.py')}'`;
const baseline = (name: string) => join(packageRoot, 'conformance', 'baselines', `${name}.json`);

let dir = '';
beforeAll(() => {
  if (!existsSync(cliPath)) throw new Error('dist/ is missing: run npm run build first (npm test does)');
  if (!existsSync(python)) throw new Error('.venv is missing: run npm run setup (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'ec-conf-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Line = {
  type: string;
  status?: string;
  id?: string;
  expected?: { entry: string; rule?: string };
  implementation?: { name: string };
  counts?: Record<string, number>;
  exit_code?: number;
};
function jsonReport(args: string[]): { status: number | null; lines: Line[]; stderr: string } {
  const output = join(dir, `report-${Math.random().toString(36).slice(2)}.jsonl`);
  const r = runCli(['conformance', '--reporter', 'json', '--output', output, ...args]);
  const lines = existsSync(output)
    ? readFileSync(output, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Line)
    : [];
  return { status: r.status, lines, stderr: r.stderr };
}

describe('the reference adapters pass the whole suite', () => {
  for (const [name, adapter, implementation] of [
    ['error-contract adapter', tsAdapter, 'error-contract'],
    ['the Python adapter', pyAdapter, 'error-contract-python'],
  ] as const) {
    it(name, () => {
      const { status, lines, stderr } = jsonReport(['--adapter', adapter, '--seed', '42', '--runs', '5000']);
      expect(status, stderr).toBe(0);
      expect(lines[0]!.implementation?.name).toBe(implementation);
      const footer = lines[lines.length - 1]!;
      expect(footer.counts).toMatchObject({ fail: 0, error: 0, skip: 0, xpass: 0 });
      expect(footer.counts!.pass).toBeGreaterThan(5000);
      expect(stderr).toMatch(/report written to/);
    });
  }

  it('npx error-contract adapter (the command the README shows)', () => {
    const r = runCli([
      'conformance',
      '--adapter',
      'npx --no-install error-contract adapter',
      '--runs',
      '500',
      '--seed',
      '1',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/conformance of error-contract \d+\.\d+\.\d+ \(typescript\)/);
  });
});

describe('SDK truth checks (the http group)', () => {
  for (const [name, adapter] of [
    ['sdk-node', sdkNode],
    ['sdk-python', sdkPython],
  ] as const) {
    it(`${name}: passes against its baseline, every disagreement being one the baseline lists`, () => {
      const listed = JSON.parse(readFileSync(baseline(name), 'utf8')) as {
        vectors?: Record<string, string>;
        rules?: Record<string, string>;
        entries?: Record<string, string>;
      };
      const withBaseline = jsonReport([
        '--adapter',
        adapter,
        '--group',
        'http',
        '--seed',
        '3',
        '--runs',
        '3000',
        '--baseline',
        baseline(name),
      ]);
      expect(withBaseline.status, withBaseline.stderr).toBe(0);
      expect(withBaseline.lines.filter((l) => l.status === 'xfail').length).toBeGreaterThan(0);

      const without = jsonReport(['--adapter', adapter, '--group', 'http', '--seed', '3', '--runs', '3000']);
      expect(without.status).toBe(1);
      const failing = without.lines.filter((l) => l.status === 'fail' || l.status === 'error');
      for (const l of failing) {
        const known =
          Object.hasOwn(listed.vectors ?? {}, l.id!) ||
          (l.expected!.rule !== undefined && Object.hasOwn(listed.rules ?? {}, l.expected!.rule)) ||
          Object.hasOwn(listed.entries ?? {}, l.expected!.entry);
        expect(known, `${l.id} (${l.expected?.entry}) disagrees but is not in the baseline`).toBe(true);
      }
      // Every reason in the baseline is still needed.
      const failingEntries = new Set(failing.map((l) => l.expected!.entry));
      for (const entry of Object.keys(listed.entries ?? {}))
        expect(failingEntries.has(entry), `${entry} no longer disagrees`).toBe(true);
      const failingRules = new Set(failing.map((l) => l.expected!.rule));
      for (const rule of Object.keys(listed.rules ?? {}))
        expect(failingRules.has(rule), `message rule ${rule} no longer disagrees`).toBe(true);
      for (const id of Object.keys(listed.vectors ?? {}))
        expect(
          failing.some((l) => l.id === id),
          `${id} no longer disagrees`,
        ).toBe(true);
    });
  }
});

describe('selection', () => {
  it('--level MUST leaves out the SHOULD vectors; --group keeps to its groups', () => {
    const { status, lines } = jsonReport([
      '--adapter',
      tsAdapter,
      '--runs',
      '0',
      '--level',
      'MUST',
      '--group',
      'robustness,http',
    ]);
    expect(status).toBe(0);
    const cases = lines.filter((l) => l.type === 'case') as (Line & { level: string; group: string })[];
    expect(cases.length).toBeGreaterThan(50);
    expect(cases.every((c) => c.level === 'MUST')).toBe(true);
    expect(new Set(cases.map((c) => c.group))).toEqual(new Set(['robustness', 'http']));
  });
});

describe('baselines', () => {
  it('a listed vector that passes is an unexpected pass: exit 1', () => {
    const file = join(dir, 'baseline.json');
    writeFileSync(
      file,
      JSON.stringify({ vectors: { 'http.status/400': 'pretend it fails', 'no-such-vector': 'stale' } }),
    );
    const { status, lines } = jsonReport([
      '--adapter',
      tsAdapter,
      '--group',
      'http',
      '--runs',
      '0',
      '--baseline',
      file,
    ]);
    expect(status).toBe(1);
    expect(lines.find((l) => l.id === 'http.status/400')?.status).toBe('xpass');
    expect((lines[lines.length - 1] as { unknown_baseline_ids?: string[] }).unknown_baseline_ids).toEqual([
      'no-such-vector',
    ]);
  });
});

describe('usage errors exit 2', () => {
  const cases: [string[], RegExp][] = [
    [[], /--adapter "<command line>" is required/],
    [['--adapter', 'x', '--group', 'nope'], /unknown group "nope"/],
    [['--adapter', 'x', '--level', 'MAY'], /unknown level "MAY"/],
    [['--adapter', 'x', '--runs=-1'], /--runs must be an integer >= 0, not "-1"/],
    [['--adapter', 'x', '--timeout-ms', 'soon'], /--timeout-ms must be an integer >= 1/],
    [['--adapter', 'x', '--reporter', 'xml'], /unknown reporter "xml"/],
    [['--adapter', 'x', '--replay', '3:1'], /--replay needs the --seed/],
    [['--adapter', 'x', '--baseline', '/nonexistent/baseline.json'], /baseline \/nonexistent\/baseline\.json/],
  ];
  for (const [args, message] of cases) {
    it(args.join(' ') || '(no arguments)', () => {
      const r = runCli(['conformance', ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  }

  it('a harness error exits 2 and names the failure, and --output still gets the whole report', () => {
    const output = join(dir, 'harness.xml');
    const r = runCli(['conformance', '--adapter', 'exit 5', '--reporter', 'junit', '--output', output]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/harness error \(start\): the adapter exited with code 5 before answering start/);
    expect(readFileSync(output, 'utf8')).toContain('<testsuite name="harness"');
  });
});

describe('--output', () => {
  it('writes into an existing special file (a FIFO here, /dev/null in practice) instead of replacing it', async () => {
    const fifo = join(dir, 'report.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // The reader must be open before the writer: cat drains the FIFO while the CLI writes.
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    let received = '';
    reader.stdout.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const cli = spawn(
      process.execPath,
      [
        cliPath,
        'conformance',
        '--adapter',
        tsAdapter,
        '--runs',
        '0',
        '--group',
        'http',
        '--reporter',
        'tap',
        '--output',
        fifo,
      ],
      { stdio: 'ignore' },
    );
    const [status] = await Promise.all([
      new Promise((resolve) => cli.on('close', resolve)),
      new Promise((resolve) => reader.on('close', resolve)),
    ]);
    expect(status).toBe(0);
    expect(received).toMatch(/^TAP version 14\n/);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });
});

describe('profiles', () => {
  it('both reference adapters pass under every profile, told so in start; an adapter that ignores the profile fails', () => {
    const profiles = Object.keys(
      (JSON.parse(readFileSync(join(packageRoot, 'generated', 'contract.json'), 'utf8')) as { profiles: object })
        .profiles,
    );
    expect(profiles.length).toBeGreaterThan(0);
    for (const profile of profiles) {
      for (const adapter of [tsAdapter, pyAdapter]) {
        const r = jsonReport(['--adapter', adapter, '--profile', profile, '--runs', '2000', '--seed', '3']);
        expect(r.status, `${profile}: ${r.stderr}`).toBe(0);
        expect(r.lines[0]).toMatchObject({ type: 'header', profile });
      }
    }
    // The broken-adapter fixture in mode ok classifies under the default profile whatever start says.
    const ignoring = jsonReport([
      '--adapter',
      node(join(packageRoot, 'test', 'conformance', 'fixtures', 'broken-adapter.mjs'), 'ok'),
      '--profile',
      'openai',
      '--runs',
      '0',
    ]);
    expect(ignoring.status).toBe(1);
    expect(ignoring.lines.at(-1)!.counts!.fail).toBeGreaterThan(0);
  }, 180_000);

  it('an unknown profile is a usage error naming the known ones; the adapters refuse one in start', () => {
    const r = runCli(['conformance', '--adapter', tsAdapter, '--profile', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown profile "nope" \(profiles: default, /);
    const start = '{"cmd":"start","protocol":1,"contract_version":"2.0.0","profile":"nope"}\n';
    expect(JSON.parse(runCli(['adapter'], start).stdout)).toMatchObject({ ok: false });
    const py = spawnSync(python, [join(packageRoot, 'conformance', 'adapters', 'python', 'adapter.py')], {
      input: start,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(JSON.parse(py.stdout)).toMatchObject({ ok: false });
  });
});

describe('error-contract adapter', () => {
  it('answers pipelined commands in order, and refuses another protocol version', () => {
    const input = [
      '{"cmd":"start","protocol":1}',
      '{"cmd":"classify","seq":0,"observation":null}',
      '{"cmd":"classify","seq":1,"observation":{"http_status":429}}',
      '{"cmd":"stop"}',
      '',
    ].join('\n');
    const r = runCli(['adapter'], input);
    expect(r.status).toBe(0);
    const [started, a0, a1, ...rest] = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(started).toMatchObject({ ok: true, implementation: { name: 'error-contract', language: 'typescript' } });
    expect(a0).toMatchObject({ seq: 0, result: { outcome: 'invalid' } });
    expect(a1).toMatchObject({ seq: 1, result: { kind: 'rate_limit_error', retryable: true } });
    expect(rest).toEqual([]);
    expect(JSON.parse(runCli(['adapter'], '{"cmd":"start","protocol":2}\n').stdout)).toMatchObject({ ok: false });
  });

  it('exits 2 on a line that is not a command', () => {
    const r = runCli(['adapter'], '{"cmd":"start","protocol":1}\nhello\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/line 2 is not JSON/);
  });

  it('answers a classify line it cannot parse with an error for its seq', () => {
    const r = runCli(['adapter'], '{"cmd":"classify","seq":7,"observation":{oops}\n');
    expect(JSON.parse(r.stdout)).toMatchObject({ seq: 7, error: expect.stringMatching(/^not JSON/) as unknown });
  });
});

describe('the Python reference adapter', () => {
  it('answers an observation nested 100,000 deep with an error for its seq (it overflowed the C stack: exit 139), then goes on', () => {
    const depth = 100_000;
    const input = [
      '{"cmd":"start","protocol":1}',
      `{"cmd":"classify","seq":0,"observation":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
      `{"cmd":"classify","seq":1,"observation":{"object":"response","status":"failed","error":{"code":"server_error"},"metadata":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
      '{"cmd":"stop"}',
      '',
    ].join('\n');
    const r = spawnSync(python, [join(packageRoot, 'conformance', 'adapters', 'python', 'adapter.py')], {
      input,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const [started, deep, shallower, ...rest] = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(started).toMatchObject({ ok: true });
    expect(deep).toEqual({ seq: 0, error: 'cannot parse: nested more than 10000 levels deep' });
    expect(shallower).toMatchObject({ seq: 1, result: { entry: 'error.code/server_error' } });
    expect(rest).toEqual([]);
  });
});

describe('the README', () => {
  it("shows an adapter that passes the suite as it is written (around the Python reference's classify)", () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Writing an adapter'));
    const code = /```python\n([\s\S]*?)```/.exec(section)![1]!;
    writeFileSync(join(dir, 'readme_adapter.py'), code);
    writeFileSync(
      join(dir, 'my_library.py'),
      `import sys\nsys.path.insert(0, ${JSON.stringify(join(packageRoot, 'src', 'python'))})\nfrom error_contract import Contract\nclassify = Contract.load(${JSON.stringify(join(packageRoot, 'generated', 'contract.json'))}).classify\n`,
    );
    const r = runCli([
      'conformance',
      '--adapter',
      `cd '${dir}' && '${python}' readme_adapter.py`,
      '--runs',
      '2000',
      '--seed',
      '9',
    ]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});

describe('the Python helper raises the real openai classes', () => {
  it('for every kind of the contract, with the result attached', () => {
    const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(join(packageRoot, 'src', 'python'))})
from error_contract import Contract
import openai
c = Contract.load(${JSON.stringify(join(packageRoot, 'generated', 'contract.json'))})
out = {}
for kind_id, kind in c.kinds.items():
    result = {"outcome": "failed", "kind": kind_id, "retryable": True, "throttling": False, "http_status": kind.get("http_status") if type(kind.get("http_status")) is int else None, "entry": "x"}
    err = c.exception_for(result, body={"error": {"code": "x"}})
    out[kind_id] = [type(err).__name__, isinstance(err, getattr(openai, kind["python"]["class"])), err.retryable, err.contract_result is result]
quota = c.classify({"http_status": 429, "body": {"error": {"code": "insufficient_quota", "message": "m"}}})
try:
    c.raise_for_result(quota)
except openai.RateLimitError as e:
    out["raised"] = [e.status_code, e.retryable]
out["none"] = c.exception_for(c.classify({"object": "response", "status": "completed"})) is None
print(json.dumps(out))`;
    const r = spawnSync(python, ['-c', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    const contract = JSON.parse(readFileSync(join(packageRoot, 'generated', 'contract.json'), 'utf8')) as {
      kinds: Record<string, { python: { class: string } }>;
    };
    for (const [id, kind] of Object.entries(contract.kinds))
      expect(out[id], id).toEqual([kind.python.class, true, true, true]);
    expect(out.raised).toEqual([429, false]);
    expect(out.none).toBe(true);
  });
});
