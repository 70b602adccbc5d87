// The CLI for people: classify --format text, explain, invalid results that say why, suggestions, help COMMAND.
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { runCli } from '../support/cli.js';

const quota = { object: 'response', status: 'failed', error: { code: 'insufficient_quota', message: 'x' } };

describe('classify --format text', () => {
  it('prints the outcome, the SDK classes, the retry advice and the remedy, without colour off a terminal', () => {
    const r = runCli(['classify', '--format', 'text'], JSON.stringify(quota));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^failed: rate_limit_error \(HTTP 429\)\n/);
    expect(r.stdout).toMatch(/raises: +openai\.RateLimitError \(Python\), RateLimitError \(Node\)/);
    expect(r.stdout).toMatch(/retry: +no: /);
    expect(r.stdout).toMatch(/remedy: +Stop retrying/);
    expect(r.stdout).toMatch(/entry: +error\.code\/insufficient_quota/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stdout.split('\n').length).toBeLessThan(10);
  });

  it('colours when asked to (FORCE_COLOR), as on a terminal', () => {
    const r = runCli(['classify', '--format', 'text'], JSON.stringify(quota), packageRoot, { FORCE_COLOR: '1' });
    expect(r.stdout).toMatch(/\x1b\[1m/);
  });

  it('JSON stays the default, and a retryable code says so', () => {
    const limited = JSON.stringify({ ...quota, error: { code: 'rate_limit_exceeded' } });
    expect(JSON.parse(runCli(['classify'], limited).stdout)).toMatchObject({
      kind: 'rate_limit_error',
      retryable: true,
    });
    expect(runCli(['classify', '--format', 'text'], limited).stdout).toMatch(/retry: +yes, with backoff/);
  });

  it('works with --jsonl: one block a line, separated by a blank line', () => {
    const r = runCli(['classify', '--jsonl', '--format', 'text'], `${JSON.stringify(quota)}\n{}\n`);
    expect(r.status).toBe(0);
    const blocks = r.stdout.trim().split('\n\n');
    expect(blocks).toHaveLength(2);
    expect(blocks[1]).toMatch(/^invalid: .*\n {2}why: +line 2: no object or type key/);
  });

  it('refuses an unknown format', () => {
    const r = runCli(['classify', '--format', 'yaml'], '{}');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown format "yaml"/);
  });
});

describe('an invalid result says why in its message', () => {
  const cases: [unknown, RegExp][] = [
    [{}, /^no object or type key/],
    [{ object: 'x' }, /^unknown object "x"$/],
    [{ object: 'response' }, /^status missing/],
    [{ object: 'response', status: 'weird' }, /^status "weird" is not a known status of object "response"/],
    [{ object: 1 }, /^"object" is the number 1, not a string/],
    [42, /^not an object: the number 42/],
    [[], /^not an object: an array/],
    [{ http_status: 'x' }, /^http_status is the string "x", not an integer from 100 to 999/],
    [{ http_status: 200 }, /^a 200 envelope without a body/],
    [{ http_status: 200, body: { object: 'y' } }, /^body: unknown object "y"/],
  ];
  for (const [observation, message] of cases) {
    it(JSON.stringify(observation), () => {
      const r = runCli(['classify'], JSON.stringify(observation));
      expect(r.status).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result.outcome).toBe('invalid');
      expect(result.message).toMatch(message);
    });
  }

  it('a valid result has no message, in a document and in --jsonl alike', () => {
    expect(JSON.parse(runCli(['classify'], JSON.stringify(quota)).stdout)).not.toHaveProperty('message');
    const lines = runCli(['classify', '--jsonl'], `${JSON.stringify(quota)}\n{"object":"x"}\n`)
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).not.toHaveProperty('message');
    expect(lines[1].message).toBe('line 2: unknown object "x"');
  });
});

describe('explain', () => {
  it('finds every entry of a code across fields: the vocabularies, the fields that read them, the aliases', () => {
    const r = runCli(['explain', 'insufficient_quota']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^3 entries match "insufficient_quota"/);
    expect(r.stdout).toMatch(/^error\.code\/insufficient_quota /m);
    expect(r.stdout).toMatch(/^error\.type\/insufficient_quota /m);
    expect(r.stdout).toMatch(/read by: .*response\.error\.code/);
    expect(r.stdout).toMatch(/alias: +takes no part in classification; error\.code\/insufficient_quota decides/);
    expect(r.stdout).toMatch(/profile: +openai: not read in response\.error\.type/);
    expect(r.stdout).toMatch(/remedy: +Stop retrying/);
    // The deciding entries come before the aliases.
    expect(r.stdout.indexOf('http.error.code/insufficient_quota')).toBeGreaterThan(
      r.stdout.indexOf('error.type/insufficient_quota'),
    );
  });

  it('shows one entry by its id, and answers JSON', () => {
    const r = runCli(['explain', 'error.code/insufficient_quota', '--format', 'json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.matches).toHaveLength(1);
    expect(out.matches[0].entry).toMatchObject({ id: 'error.code/insufficient_quota', retryable: false });
    expect(out.matches[0].shared_by).toContain('response.error.code');
  });

  it('an unknown code exits 1 with the nearest values', () => {
    const r = runCli(['explain', 'insuficient_quota']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no entry has the value or id "insuficient_quota"; did you mean "insufficient_quota"/);
  });

  it('needs exactly one argument', () => {
    expect(runCli(['explain']).status).toBe(2);
  });
});

describe('suggestions and help', () => {
  it('a mistyped command gets a suggestion', () => {
    const r = runCli(['clasify']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error-contract: unknown command "clasify"; did you mean "classify"\?/);
  });

  it("a mistyped option gets a suggestion, not Node's parser message", () => {
    const r = runCli(['classify', '--jsnol'], '{}');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'error-contract classify: unknown option "--jsnol"; did you mean "--jsonl"?\nRun "error-contract help classify" for usage.\n',
    );
    const far = runCli(['validate', '--zzzzzz']);
    expect(far.status).toBe(2);
    expect(far.stderr).toMatch(/unknown option "--zzzzzz" \(it takes no options\)/);
    expect(far.stderr).not.toMatch(/positional argument/);
  });

  it('an option without its value says so', () => {
    const r = runCli(['classify', '--profile']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/option --profile needs a value/);
  });

  it("help COMMAND prints that command's usage; help alone the list", () => {
    const r = runCli(['help', 'classify']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: error-contract classify /);
    expect(runCli(['help', 'explain']).stdout).toMatch(/^Usage: error-contract explain /);
    expect(runCli(['help']).stdout).toMatch(/explain +Explain a code/);
    const bad = runCli(['help', 'clasify']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/did you mean "classify"/);
  });
});
