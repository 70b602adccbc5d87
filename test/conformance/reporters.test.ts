// The reporters, on a report with every case status, a property finding and awkward text (XML and TAP metacharacters,
// control characters, lone surrogates): JUnit parses as XML, TAP follows TAP 14, JSON lines follow the report shape.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/conformance/reporters/json.js';
import { renderJunit } from '../../src/conformance/reporters/junit.js';
import { renderMarkdown } from '../../src/conformance/reporters/markdown.js';
import { renderPretty } from '../../src/conformance/reporters/pretty.js';
import { renderTap } from '../../src/conformance/reporters/tap.js';
import { emptyCounts, type CaseRecord, type Report } from '../../src/conformance/report.js';
import { exitCodeOf } from '../../src/conformance/runner.js';

const expected = {
  outcome: 'failed' as const,
  kind: 'rate_limit_error',
  retryable: false,
  throttling: true,
  http_status: 429,
  entry: 'error.code/insufficient_quota',
};
const nasty = 'a <b> & "c" \'d\' # e \\ f\u0000g\u0007h\ud800i\n\rj ]]> k';

function sampleReport(harness = false): Report {
  const cases: CaseRecord[] = [
    { type: 'case', id: 'http.status/400', group: 'http', level: 'MUST', status: 'pass', description: 'plain' },
    {
      type: 'case',
      id: 'error.code/insufficient_quota',
      group: 'http',
      level: 'MUST',
      status: 'fail',
      description: nasty,
      message: `retryable: expected false, got true ${nasty}`,
      mismatches: [{ field: 'retryable', expected: false, actual: true }],
      observation: { http_status: 429, body: { error: { code: nasty } } },
      expected,
      actual: { ...expected, retryable: true },
    },
    {
      type: 'case',
      id: 'robustness:x#1',
      group: 'robustness',
      level: 'SHOULD',
      status: 'error',
      message: nasty,
      observation: null,
      expected,
    },
    { type: 'case', id: 'streams:y', group: 'streams', level: 'MUST', status: 'skip', message: `no streams ${nasty}` },
    {
      type: 'case',
      id: 'responses:z',
      group: 'responses',
      level: 'MUST',
      status: 'xfail',
      message: `expected failure: ${nasty}`,
    },
    {
      type: 'case',
      id: 'responses:w',
      group: 'responses',
      level: 'MUST',
      status: 'xpass',
      message: 'passed, but the baseline expects it to fail',
    },
    { type: 'case', id: 'property:17', group: 'http', level: 'MUST', status: 'pass' },
  ];
  const counts = { ...emptyCounts(), total: cases.length };
  const byGroup: Report['footer']['by_group'] = {};
  for (const c of cases) {
    counts[c.status]++;
    (byGroup[c.group] ??= emptyCounts())[c.status]++;
  }
  const footer: Report['footer'] = {
    type: 'footer',
    counts,
    by_group: byGroup,
    property: {
      generated: 10,
      sent: 1,
      outside_groups: 9,
      disagreements: 1,
      replayed: null,
      finding: {
        observation: { http_status: 429, body: { code: nasty } },
        expected,
        answer: { result: { ...expected, retryable: true } },
        mismatches: [{ field: 'retryable', expected: false, actual: true }],
        path: '3:1',
        shrinks: 2,
        replay: "error-contract conformance --adapter 'x' --seed 1 --replay 3:1",
      },
    },
    unknown_baseline_ids: ['gone'],
    stopped_after: null,
    harness_error: harness ? { failure: 'crash', message: `the adapter exited with code 3 ${nasty}` } : null,
    duration_ms: 12,
    exit_code: 1,
  };
  footer.exit_code = exitCodeOf(footer);
  return {
    header: {
      type: 'header',
      runner: { name: 'error-contract', version: '0.1.0' },
      protocol: 1,
      contract_version: '1.0.0',
      adapter: 'x',
      implementation: { name: `impl ${nasty}`, version: '1', language: 'go' },
      implemented_groups: null,
      groups: ['http'],
      levels: ['MUST', 'SHOULD'],
      seed: 1,
      runs: 10,
      baseline: null,
    },
    cases,
    footer,
  };
}

/** Parses XML with Python's strict parser (the standard library's expat): a well-formedness error fails. */
function parseXml(text: string): {
  suites: { name: string; tests: number; failures: number; errors: number; skipped: number; cases: number }[];
  root: Record<string, string>;
} {
  const script = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
print(json.dumps({"root": dict(root.attrib), "suites": [dict(name=s.get("name"), tests=int(s.get("tests")), failures=int(s.get("failures")), errors=int(s.get("errors")), skipped=int(s.get("skipped")), cases=len(s.findall("testcase"))) for s in root.findall("testsuite")]}))`;
  const r = spawnSync('python3', ['-c', script], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`not well-formed XML: ${r.stderr}`);
  return JSON.parse(r.stdout) as ReturnType<typeof parseXml>;
}

/** A strict reading of TAP version 14 (https://testanything.org/tap-version-14-specification.html). */
function checkTap14(text: string): { points: number; plan: number; bailed: boolean } {
  const lines = text.split('\n');
  expect(lines[0]).toBe('TAP version 14');
  expect(lines[lines.length - 1]).toBe('');
  let plan = -1;
  let points = 0;
  let bailed = false;
  let inYaml = false;
  let lastWasPoint = false;
  for (const line of lines.slice(1, -1)) {
    if (inYaml) {
      if (line === '  ...') inYaml = false;
      else expect(line.startsWith('  '), `YAML line not indented: ${line}`).toBe(true);
      continue;
    }
    if (line === '  ---') {
      expect(lastWasPoint, 'a YAML block must follow a test point').toBe(true);
      inYaml = true;
      lastWasPoint = false;
      continue;
    }
    lastWasPoint = false;
    const planMatch = /^1\.\.(\d+)$/.exec(line);
    if (planMatch) {
      expect(plan, 'one plan').toBe(-1);
      plan = Number(planMatch[1]);
      continue;
    }
    const point = /^(not )?ok (\d+)( - ((?:[^#\\]|\\.)*))?( # (SKIP|TODO)( .*)?)?$/i.exec(line);
    if (point) {
      points++;
      expect(Number(point[2]), 'test points are numbered in order').toBe(points);
      lastWasPoint = true;
      continue;
    }
    if (line.startsWith('Bail out!')) {
      bailed = true;
      continue;
    }
    expect(line.startsWith('#'), `not a TAP 14 line: ${JSON.stringify(line)}`).toBe(true);
  }
  expect(inYaml, 'every YAML block is closed').toBe(false);
  return { points, plan, bailed };
}

describe('JUnit', () => {
  it('parses as XML, with a testsuite per group and counts that add up', () => {
    const report = sampleReport();
    const parsed = parseXml(renderJunit(report));
    expect(parsed.root.tests).toBe('7');
    expect(parsed.root.failures).toBe('2');
    expect(parsed.root.errors).toBe('1');
    expect(parsed.root.skipped).toBe('2');
    for (const s of parsed.suites) expect(s.cases).toBe(s.tests);
    expect(parsed.suites.map((s) => s.name).sort()).toEqual(['http', 'responses', 'robustness', 'streams']);
  });

  it('reports a harness error as an errored testcase', () => {
    const parsed = parseXml(renderJunit(sampleReport(true)));
    expect(parsed.suites.find((s) => s.name === 'harness')).toMatchObject({ tests: 1, errors: 1 });
    expect(parsed.root.errors).toBe('2');
  });
});

describe('TAP', () => {
  it('follows TAP version 14: version line, plan, numbered points, YAML diagnostics, directives', () => {
    const text = renderTap(sampleReport());
    const { points, plan, bailed } = checkTap14(text);
    expect(points).toBe(7);
    expect(plan).toBe(7);
    expect(bailed).toBe(false);
    expect(text).toMatch(/^ok 4 - streams: streams:y # SKIP no streams/m);
    expect(text).toMatch(/^not ok 5 - responses: responses:z # TODO expected failure/m);
    expect(text).toMatch(/^not ok 3 - robustness: robustness:x\\#1$/m);
  });

  it('bails out on a harness error', () => {
    const { bailed } = checkTap14(renderTap(sampleReport(true)));
    expect(bailed).toBe(true);
  });
});

describe('JSON lines', () => {
  it('a header, one line per case, a footer; each line is JSON', () => {
    const report = sampleReport();
    const lines = renderJson(report)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(lines[0]!.type).toBe('header');
    expect(lines[lines.length - 1]!.type).toBe('footer');
    expect(lines.filter((l) => l.type === 'case')).toHaveLength(report.cases.length);
  });
});

describe('markdown and pretty', () => {
  it('markdown: a table per group, the failures and the replay command', () => {
    const text = renderMarkdown(sampleReport());
    expect(text).toContain('| group | pass | fail | error | skip | xfail | xpass |');
    expect(text).toContain('| http | 2 | 1 | 0 | 0 | 0 | 0 |');
    expect(text).toContain("error-contract conformance --adapter 'x' --seed 1 --replay 3:1");
    expect(text).toContain('❌ does not conform');
  });

  it('pretty: failures, the property finding with its replay, baseline ids not in the suite, the totals; no colour unless asked', () => {
    const text = renderPretty(sampleReport(), false);
    expect(text).not.toContain('\x1b[');
    expect(text).toContain('FAIL http: error.code/insufficient_quota');
    expect(text).toContain('UNEXPECTED PASS responses: responses:w');
    expect(text).toContain('replay:      error-contract conformance');
    expect(text).toContain('baseline ids not in the suite: gone');
    expect(text).toMatch(
      /2 passed, 1 failed, 1 errored, 1 skipped, 1 expected failures, 1 unexpected passes in 12 ms\n$/,
    );
    expect(renderPretty(sampleReport(), true)).toContain('\x1b[31m');
  });
});
