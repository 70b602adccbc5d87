// `error-contract diff` and `error-contract release` as a user runs them (the built CLI, a separate process).
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { contractPath, generatedDir } from '../../src/paths.js';
import { runCli } from '../support/cli.js';
import { copySpec, type SpecCopy } from '../support/spec-fixture.js';
import { contract, deciding, entryWhere, type Doc } from './support.js';

let cleanup: (() => void)[] = [];
afterEach(() => {
  cleanup.forEach((f) => f());
  cleanup = [];
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ec-diff-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** OLD = the published contract, NEW = it with one edit; returns the paths. */
function pair(edit: (d: Doc) => void): [string, string] {
  const dir = tempDir();
  const now = contract();
  edit(now);
  writeFileSync(join(dir, 'old.json'), JSON.stringify(contract()));
  writeFileSync(join(dir, 'new.json'), JSON.stringify(now));
  return [join(dir, 'old.json'), join(dir, 'new.json')];
}

function diffJson(edit: (d: Doc) => void) {
  const r = runCli(['diff', ...pair(edit), '--format', 'json']);
  expect(r.stderr).not.toContain('internal error');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as { bump: string; changes: Record<string, unknown>[] };
}

describe('error-contract diff OLD NEW', () => {
  it('one retryable flag flipped: major', () => {
    const out = diffJson((d) => {
      const e = entryWhere(d, deciding, 'decides');
      e.retryable = !e.retryable;
    });
    expect(out.bump).toBe('major');
    expect(out.changes).toEqual([expect.objectContaining({ change: 'changed', property: 'retryable', bump: 'major' })]);
  });

  it('one entry added: minor', () => {
    const out = diffJson((d) =>
      d.entries.push({ ...entryWhere(d, deciding, 'decides'), id: 'response.error.code/zz_added', value: 'zz_added' }),
    );
    expect(out).toEqual({
      bump: 'minor',
      changes: [expect.objectContaining({ id: 'response.error.code/zz_added', change: 'added', bump: 'minor' })],
    });
  });

  it('one summary edited: patch', () => {
    const out = diffJson((d) => (d.entries[0]!.summary += ' Edited.'));
    expect(out).toEqual({
      bump: 'patch',
      changes: [expect.objectContaining({ property: 'summary', change: 'changed', bump: 'patch' })],
    });
  });

  it('no change: none', () => {
    expect(diffJson(() => {})).toEqual({ bump: 'none', changes: [] });
  });

  it('text and markdown say the same thing for people', () => {
    const files = pair((d) => {
      const e = entryWhere(d, deciding, 'decides');
      e.retryable = !e.retryable;
    });
    const text = runCli(['diff', ...files]);
    expect(text.status).toBe(0);
    // The versions are the published contract's own (both sides of the pair), never a literal of this test.
    const version = contract().meta.version;
    const nextMajor = `${Number(version.split('.')[0]) + 1}.0.0`;
    const escape = (v: string) => v.replace(/\./g, '\\.');
    expect(text.stdout).toMatch(
      new RegExp(
        `^bump: major \\(${escape(version)} -> ${escape(version)}; a major change needs at least ${escape(nextMajor)}\\)\nmajor  entry \\S+: retryable changed from (true|false) to (true|false)`,
      ),
    );
    const md = runCli(['diff', ...files, '--format', 'markdown']);
    expect(md.stdout).toMatch(
      /^\*\*Required bump: major\*\*[^\n]*\n\n### Breaking changes \(major\)\n\n- Entry `[^`]+`: `retryable` changed/,
    );
  });

  it('NEW defaults to the published contract, and the schemas next to both files are compared', () => {
    const dir = tempDir();
    copyFileSync(contractPath, join(dir, 'contract.json'));
    const schema = JSON.parse(readFileSync(join(generatedDir, 'contract.schema.json'), 'utf8'));
    schema.$defs.entry.properties.docs_url = { type: 'string' };
    writeFileSync(join(dir, 'contract.schema.json'), JSON.stringify(schema));
    const r = runCli(['diff', join(dir, 'contract.json'), '--format', 'json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    // The old schema allows docs_url and the published one does not: the published one is stricter.
    expect(JSON.parse(r.stdout)).toEqual({
      bump: 'major',
      changes: [expect.objectContaining({ section: 'schema', id: '/$defs/entry/properties/docs_url', bump: 'major' })],
    });
  });

  it('bad input: a clear message and a non-zero exit, nothing on stdout', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.json'), '{"meta":');
    writeFileSync(
      join(dir, 'twice.json'),
      JSON.stringify({ ...contract(), entries: [contract().entries[0], contract().entries[0]] }),
    );
    const cases: [string[], number, RegExp][] = [
      [['diff', join(dir, 'broken.json'), contractPath], 1, /broken\.json: not JSON/],
      [
        ['diff', join(dir, 'twice.json'), contractPath],
        1,
        /twice\.json: not a contract\.json: entry id "[^"]+" occurs twice/,
      ],
      [['diff', join(dir, 'absent.json'), contractPath], 2, /ENOENT|no such file/],
      [['diff', contractPath, contractPath, '--format', 'yaml'], 2, /--format must be one of text, json, markdown/],
      [['diff'], 2, /OLD and optionally NEW/],
      [['diff', contractPath, '--check'], 2, /takes no files/],
    ];
    for (const [args, status, message] of cases) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(status);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});

describe('error-contract diff --check and release', () => {
  /** Edits one YAML file of the spec copy through its syntax tree, so that the edit does not depend on its layout. */
  function editYaml(spec: SpecCopy, file: string, edit: (doc: ReturnType<typeof parseDocument>) => void): void {
    const doc = parseDocument(spec.read(file));
    edit(doc);
    spec.write(file, String(doc));
  }

  function setVersion(spec: SpecCopy, version: string): void {
    editYaml(spec, 'contract.yaml', (doc) => doc.set('version', version));
  }

  /** A field file with a deciding, non-fallback entry whose retryable flag can be flipped: [file, entry index]. */
  function decidingEntry(spec: SpecCopy): [string, number] {
    for (const name of readdirSync(join(spec.dir, 'fields')).sort()) {
      const entries = parseDocument(spec.read(`fields/${name}`)).toJS().entries as Record<string, unknown>[];
      // One whose retry decision can flip without contradicting its action (lint: action-retry): a partial action.
      const i = entries.findIndex(
        (e) => typeof e.retryable === 'boolean' && e.value !== '*' && e.action === 'resubmit_failed_items',
      );
      if (i >= 0) return [`fields/${name}`, i];
    }
    throw new Error('fixture: no field file has a deciding entry');
  }

  function freshSpec(): SpecCopy {
    const spec = copySpec();
    cleanup.push(() => spec.remove());
    rmSync(join(spec.dir, 'releases'), { recursive: true, force: true });
    setVersion(spec, '1.0.0');
    return spec;
  }

  it('passes before the first release; release cuts it; then every change needs its bump', () => {
    const spec = freshSpec();
    const check = () => runCli(['diff', '--check', '--spec', spec.dir]);

    let r = check();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no release snapshot');

    r = runCli(['release', '--spec', spec.dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(spec.dir, 'releases')).sort()).toEqual(['1.0.0.json', '1.0.0.schema.json']);
    expect(runCli(['release', '--spec', spec.dir]).stdout).toContain('already cut');
    expect(check().status).toBe(0);

    // A wording change at the same version fails, and says what to do.
    const [file, index] = decidingEntry(spec);
    editYaml(spec, file, (doc) => doc.setIn(['entries', index, 'remedy'], 'A new remedy.'));
    r = check();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('set version to 1.0.1');
    setVersion(spec, '1.0.1');
    expect(check().status).toBe(0);

    // A flipped retry decision needs a major release.
    editYaml(spec, file, (doc) =>
      doc.setIn(['entries', index, 'retryable'], !doc.getIn(['entries', index, 'retryable'])),
    );
    r = check();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('need a major bump (at least 2.0.0)');
    expect(runCli(['release', '--spec', spec.dir]).status).toBe(1);
    expect(existsSync(join(spec.dir, 'releases', '1.0.1.json'))).toBe(false);
    setVersion(spec, '2.0.0');
    r = runCli(['diff', '--check', '--spec', spec.dir, '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      version: '2.0.0',
      latest_release: '1.0.0',
      bump: 'major',
      problems: [],
    });
    // A dozen CLI runs, each building the spec: generous on a busy machine.
  }, 180_000);

  it('fails when a stable entry is deleted instead of deprecated', () => {
    const spec = freshSpec();
    expect(runCli(['release', '--spec', spec.dir]).status).toBe(0);
    setVersion(spec, '2.0.0');
    // A stable entry that nothing else names, so that the spec stays valid without it.
    const all = readdirSync(join(spec.dir, 'fields')).map((n) => `fields/${n}`);
    const text =
      all.map((f) => spec.read(f)).join('\n') +
      readdirSync(spec.dir)
        .filter((n) => n.endsWith('.yaml'))
        .map((n) => spec.read(n))
        .join('\n');
    let removed = '';
    for (const file of all.sort()) {
      const entries = parseDocument(spec.read(file)).toJS().entries as {
        id: string;
        value: string;
        stability?: string;
      }[];
      if (entries.length < 3) continue; // a field keeps at least one entry besides its fallback
      const i = entries.findIndex((e) => e.stability === 'stable' && e.value !== '*' && text.split(e.id).length === 2);
      if (i < 0) continue;
      removed = entries[i]!.id;
      editYaml(spec, file, (doc) => doc.deleteIn(['entries', i]));
      break;
    }
    expect(removed).not.toBe('');
    const r = runCli(['diff', '--check', '--spec', spec.dir]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain(`stable entry ${removed} (release 1.0.0) was deleted: deprecate it first`);
  }, 120_000);
});
