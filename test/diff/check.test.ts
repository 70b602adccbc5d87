// The release gate and the changelog, on snapshots written to a temporary spec/releases/.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderChangelog } from '../../src/diff/changelog.js';
import { checkRelease } from '../../src/diff/check.js';
import { ReleaseExistsError, writeSnapshot } from '../../src/diff/cut.js';
import { listSnapshots, readSnapshot } from '../../src/diff/releases.js';
import { contract, deciding, entryWhere, schema, schemaFor, type Doc } from './support.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ec-releases-'));
  dirs.push(d);
  return d;
}

function at(version: string, edit: (d: Doc) => void = () => {}): Doc {
  const d = contract();
  d.meta.version = version;
  edit(d);
  return d;
}

const stable = (d: Doc) => entryWhere(d, (e) => e.stability === 'stable' && !e.deprecated, 'is stable');

describe('checkRelease', () => {
  it('passes anything before the first release is cut', () => {
    expect(checkRelease({ contract: at('1.0.0', (d) => d.entries.pop()) }, undefined).problems).toEqual([]);
  });

  it('passes an unchanged contract at the released version', () => {
    const r = checkRelease({ contract: at('1.0.0') }, { contract: at('1.0.0') });
    expect(r).toMatchObject({ problems: [], latest: '1.0.0', least: '1.0.0' });
  });

  it('fails a change without a version bump, and says which version is needed', () => {
    const r = checkRelease(
      { contract: at('1.0.0', (d) => (d.entries[0]!.summary += ' Edited.')) },
      { contract: at('1.0.0') },
    );
    expect(r.problems).toEqual([expect.stringContaining('set version to 1.0.1')]);
  });

  it('fails a flipped retryable flag released as a minor, passes it as a major', () => {
    const flip = (d: Doc) => {
      const e = entryWhere(d, deciding, 'decides');
      e.retryable = !e.retryable;
    };
    expect(checkRelease({ contract: at('1.1.0', flip) }, { contract: at('1.0.0') }).problems).toEqual([
      expect.stringMatching(/need a major bump \(at least 2\.0\.0\)/),
    ]);
    expect(checkRelease({ contract: at('2.0.0', flip) }, { contract: at('1.0.0') }).problems).toEqual([]);
  });

  it('fails a version lower than the latest release', () => {
    expect(checkRelease({ contract: at('0.9.0') }, { contract: at('1.0.0') }).problems).toEqual([
      expect.stringContaining('lower than the latest release 1.0.0'),
    ]);
  });

  it('fails a stable entry deleted without deprecation, even in a major release', () => {
    let id = '';
    const r = checkRelease(
      {
        contract: at('2.0.0', (d) => {
          id = stable(d).id;
          d.entries = d.entries.filter((e) => e.id !== id);
        }),
      },
      { contract: at('1.0.0') },
    );
    expect(r.problems).toEqual([expect.stringContaining(`stable entry ${id}`)]);
  });

  it('lets a stable entry deprecated in the latest release go in a major release', () => {
    let id = '';
    const released = at('1.1.0', (d) => {
      const e = stable(d);
      id = e.id;
      e.deprecated = { reason: 'obsoleted', note: 'No longer sent.' };
    });
    const next = at('2.0.0', (d) => (d.entries = d.entries.filter((e) => e.id !== id)));
    expect(checkRelease({ contract: next }, { contract: released }).problems).toEqual([]);
  });

  it('fails a new entry whose since is not after the latest release', () => {
    const add = (since: string) => (d: Doc) =>
      d.entries.push({
        ...entryWhere(d, deciding, 'decides'),
        id: 'response.error.code/zz_new',
        value: 'zz_new',
        since,
      });
    expect(checkRelease({ contract: at('1.1.0', add('1.0.0')) }, { contract: at('1.0.0') }).problems).toEqual([
      expect.stringContaining('set since: 1.1.0'),
    ]);
    expect(checkRelease({ contract: at('1.1.0', add('1.1.0')) }, { contract: at('1.0.0') }).problems).toEqual([]);
  });
});

describe('snapshots', () => {
  it('are written both or neither, never replaced with other content, and re-cutting the same is a no-op', () => {
    const dir = tempDir();
    const release = { contract: at('1.0.0'), schema: schema() };
    expect(writeSnapshot(dir, release).written.map((p) => p.slice(dir.length + 1))).toEqual([
      '1.0.0.json',
      '1.0.0.schema.json',
    ]);
    expect(JSON.parse(readFileSync(join(dir, '1.0.0.json'), 'utf8'))).toEqual(release.contract);
    expect(writeSnapshot(dir, release)).toEqual({ written: [], unchanged: true });
    expect(() =>
      writeSnapshot(dir, { contract: at('1.0.0', (d) => (d.entries[0]!.summary += '!')), schema: schema() }),
    ).toThrow(ReleaseExistsError);
  });

  it('are listed in version order (10 after 9), with their schemas', () => {
    const dir = tempDir();
    for (const v of ['1.10.0', '1.9.0', '1.0.0']) writeSnapshot(dir, { contract: at(v), schema: schema() });
    writeFileSync(join(dir, 'README.txt'), 'not a snapshot');
    const list = listSnapshots(dir);
    expect(list.map((s) => s.version)).toEqual(['1.0.0', '1.9.0', '1.10.0']);
    expect(list.every((s) => s.schemaPath?.endsWith(`${s.version}.schema.json`))).toBe(true);
    expect(listSnapshots(join(dir, 'absent'))).toEqual([]);
  });

  it('must say their own version and be named by one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '1.0.0.json'), JSON.stringify(at('1.2.0')));
    expect(() => readSnapshot(listSnapshots(dir)[0]!)).toThrow(/says version 1\.2\.0, not 1\.0\.0/);
    writeFileSync(join(dir, 'latest.json'), '{}');
    expect(() => listSnapshots(dir)).toThrow(/named <MAJOR\.MINOR\.PATCH>\.json/);
  });
});

describe('CHANGELOG.md', () => {
  it('before the first release: one unreleased section', () => {
    const text = renderChangelog({ contract: at('1.0.0') }, join(tempDir(), 'releases'));
    expect(text).toMatch(/## 1\.0\.0 \(unreleased\)\n\nThe first release: \d+ entries/);
  });

  it('lists every release newest first, each with its diff from the one before, and what is not released yet', () => {
    const dir = tempDir();
    const released = [
      at('1.0.0'),
      at('1.1.0', (d) =>
        d.entries.push({ ...d.entries[0]!, id: 'response.error.code/zz_new', value: 'zz_new', since: '1.1.0' }),
      ),
    ];
    for (const r of released) writeSnapshot(dir, { contract: r, schema: schemaFor(r) });
    const current = at('2.0.0', (d) => {
      d.entries.push({ ...d.entries[0]!, id: 'response.error.code/zz_new', value: 'zz_new', since: '1.1.0' });
      const e = entryWhere(d, deciding, 'decides');
      e.retryable = !e.retryable;
    });
    const text = renderChangelog({ contract: current, schema: schemaFor(current) }, dir);
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['2.0.0 (unreleased)', '1.1.0', '1.0.0']);
    expect(text).toContain('**Required bump: minor** (1.0.0 → 1.1.0');
    expect(text).toContain('- Entry `response.error.code/zz_new`: added');
    expect(text).toMatch(
      /### Breaking changes \(major\)\n\n- Entry `[^`]+`: `retryable` changed from `(true|false)` to `(true|false)`/,
    );
    // Deterministic: the same inputs give the same bytes.
    expect(renderChangelog({ contract: current, schema: schemaFor(current) }, dir)).toBe(text);
  });
});
