// The bump each kind of data change requires: the semver policy of the contract, change by change.
import { describe, expect, it } from 'vitest';
import { diffReleases } from '../../src/diff/diff.js';
import { contract, deciding, entryWhere, type Doc } from './support.js';

function diffOf(edit: (doc: Doc) => void) {
  const old = contract();
  const now = contract();
  edit(now);
  return diffReleases({ contract: old }, { contract: now });
}

describe('entries', () => {
  it('finds nothing between a contract and itself', () => {
    expect(diffOf(() => {})).toEqual({ bump: 'none', changes: [] });
  });

  it('a flipped retryable flag is major, with the old and new value', () => {
    let id = '';
    const r = diffOf((d) => {
      const e = entryWhere(d, deciding, 'decides');
      id = e.id;
      e.retryable = !e.retryable;
    });
    expect(r.bump).toBe('major');
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({
      section: 'entries',
      id,
      change: 'changed',
      property: 'retryable',
      bump: 'major',
    });
    expect(r.changes[0]!.new).toBe(!r.changes[0]!.old);
  });

  it.each([
    ['throttling', (e: any) => (e.throttling = !e.throttling)],
    ['kind', (e: any) => (e.kind = e.kind === 'api_error' ? 'bad_request_error' : 'api_error')],
    ['http_status', (e: any) => (e.http_status = e.http_status === 418 ? 419 : 418)],
  ])('a changed %s is major', (property, edit) => {
    const r = diffOf((d) => edit(entryWhere(d, deciding, 'decides')));
    expect(r.bump).toBe('major');
    expect(r.changes.map((c) => c.property)).toEqual([property]);
  });

  it('a relayed status stated where there was none is minor; read from another key, or no longer read, major', () => {
    const relayed = (d: Doc) => entryWhere(d, (e: any) => e.relayed_status !== undefined, 'relays a status');
    const moved = diffOf((d) => (relayed(d).relayed_status = 'status'));
    expect(moved).toMatchObject({ bump: 'major', changes: [{ property: 'relayed_status', change: 'changed' }] });
    const dropped = diffOf((d) => delete relayed(d).relayed_status);
    expect(dropped.bump).toBe('major');
    const plain = (e: any) => deciding(e) && e.relayed_status === undefined;
    const stated = diffOf((d) => (entryWhere(d, plain, 'decides alone').relayed_status = 'param'));
    expect(stated).toMatchObject({ bump: 'minor', changes: [{ property: 'relayed_status', bump: 'minor' }] });
  });

  it('reason fields appended to refined_by are minor; any other change to it is major', () => {
    const refining = (e: any) => Array.isArray(e.refined_by) && e.refined_by.length > 0;
    const appended = diffOf((d) => entryWhere(d, refining, 'is refined').refined_by.push('zz.new.reason'));
    expect(appended).toMatchObject({ bump: 'minor', changes: [{ property: 'refined_by', bump: 'minor' }] });
    const prepended = diffOf((d) => entryWhere(d, refining, 'is refined').refined_by.unshift('zz.new.reason'));
    expect(prepended).toMatchObject({ bump: 'major', changes: [{ property: 'refined_by', bump: 'major' }] });
    const replaced = diffOf((d) => {
      const e = entryWhere(d, refining, 'is refined');
      e.refined_by = ['zz.new.reason'];
    });
    expect(replaced).toMatchObject({ bump: 'major', changes: [{ property: 'refined_by', bump: 'major' }] });
  });

  it('a removed entry is major', () => {
    const r = diffOf((d) => d.entries.pop());
    expect(r).toMatchObject({ bump: 'major', changes: [{ change: 'removed', bump: 'major' }] });
  });

  it('an added entry is minor', () => {
    const r = diffOf((d) =>
      d.entries.push({ ...entryWhere(d, deciding, 'decides'), id: 'response.error.code/zz_new', value: 'zz_new' }),
    );
    expect(r).toMatchObject({
      bump: 'minor',
      changes: [{ id: 'response.error.code/zz_new', change: 'added', bump: 'minor' }],
    });
  });

  it.each(['summary', 'remedy', 'rationale'])('an edited %s is patch', (property) => {
    const r = diffOf((d) => {
      const e = entryWhere(d, (x) => typeof x[property] === 'string', `has a ${property}`);
      e[property] = `${e[property]} Edited.`;
    });
    expect(r).toMatchObject({ bump: 'patch', changes: [{ property, change: 'changed', bump: 'patch' }] });
  });

  it('sources: a new source is patch; the same sources in another order are no change', () => {
    expect(diffOf((d) => d.entries[0]!.sources.push('openapi')).bump).toBe('patch');
    expect(diffOf((d) => d.entries.forEach((e: any) => e.sources.reverse()))).toEqual({ bump: 'none', changes: [] });
  });

  it('deprecating an entry is minor and names the replacement', () => {
    const r = diffOf((d) => {
      const [a, b] = d.entries.filter((e) => !e.deprecated);
      a!.deprecated = { reason: 'renamed', note: 'Renamed.', replaced_by: b!.id };
    });
    expect(r.bump).toBe('minor');
    expect(r.changes).toEqual([
      expect.objectContaining({
        change: 'deprecated',
        bump: 'minor',
        new: expect.objectContaining({ replaced_by: expect.any(String) }),
      }),
    ]);
  });

  it('experimental -> stable is minor; stable -> experimental is major', () => {
    expect(
      diffOf((d) => (entryWhere(d, (e) => e.stability === 'experimental', 'is experimental').stability = 'stable'))
        .bump,
    ).toBe('minor');
    expect(
      diffOf((d) => (entryWhere(d, (e) => e.stability === 'stable', 'is stable').stability = 'experimental')).bump,
    ).toBe('major');
  });

  it('a property no rule names: added is minor, changed is major', () => {
    expect(diffOf((d) => (d.entries[0]!.docs_url = 'https://example.invalid/x')).bump).toBe('minor');
    const old = contract();
    old.entries[0]!.docs_url = 'a';
    const now = contract();
    now.entries[0]!.docs_url = 'b';
    expect(diffReleases({ contract: old }, { contract: now }).bump).toBe('major');
  });
});

describe('kinds, fields, profiles, sources, meta', () => {
  it("a kind's Python class is major; its note and summary are patch", () => {
    const id = Object.keys(contract().kinds)[0]!;
    expect(diffOf((d) => (d.kinds[id].python.class = 'Renamed')).changes).toEqual([
      expect.objectContaining({ section: 'kinds', id, property: 'python.class', bump: 'major' }),
    ]);
    expect(diffOf((d) => (d.kinds[id].node.note = 'A note.')).bump).toBe('patch');
    expect(diffOf((d) => (d.kinds[id].summary += ' Edited.')).bump).toBe('patch');
  });

  it("an SDK's binding, from the registry: changed or removed is major, newly stated is minor; a new SDK is minor", () => {
    const id = Object.keys(contract().kinds)[0]!;
    const javaClass = diffOf((d) => (d.kinds[id].java.class = 'Renamed')).changes;
    expect(javaClass).toEqual([
      expect.objectContaining({ id, property: 'java.class', bump: 'major', why: 'the Java exception class changes' }),
    ]);
    expect(diffOf((d) => delete d.kinds[id].go).bump).toBe('major');
    expect(diffOf((d) => (d.kinds[id].go.qualified = 'errors.Other')).bump).toBe('major');
    // The other way round: the older side lacks what the newer one states.
    const withoutGo = contract();
    for (const kind of Object.values(withoutGo.kinds) as Record<string, unknown>[]) delete kind.go;
    delete withoutGo.sdks.go;
    const added = diffReleases({ contract: withoutGo }, { contract: contract() });
    expect(added.bump).toBe('minor');
    expect(added.changes.find((c) => c.section === 'kinds')).toMatchObject({ property: 'go', bump: 'minor' });
    expect(added.changes.find((c) => c.section === 'sdks')).toMatchObject({ id: 'go', change: 'added', bump: 'minor' });
    const qualifiedAdded = contract();
    delete qualifiedAdded.kinds[id].python.qualified;
    expect(diffReleases({ contract: qualifiedAdded }, { contract: contract() }).changes).toEqual([
      expect.objectContaining({ property: 'python.qualified', bump: 'minor' }),
    ]);
    expect(diffOf((d) => (d.sdks.java.qualified = '{class}')).changes).toEqual([
      expect.objectContaining({ section: 'sdks', id: 'java', property: 'qualified', bump: 'major' }),
    ]);
    expect(diffOf((d) => (d.sdks.java.package.version = '9.9.9')).bump).toBe('patch');
  });

  it('an added field is minor; a removed one major; a changed path major; a description patch', () => {
    const [id, field] = Object.entries(contract().fields)[0]!;
    expect(diffOf((d) => (d.fields['zz.new.field'] = field)).changes).toEqual([
      expect.objectContaining({ section: 'fields', id: 'zz.new.field', change: 'added', bump: 'minor' }),
    ]);
    expect(diffOf((d) => delete d.fields[id]).bump).toBe('major');
    expect(diffOf((d) => (d.fields[id].path = 'elsewhere')).bump).toBe('major');
    expect(diffOf((d) => (d.fields[id].description += ' Edited.')).bump).toBe('patch');
  });

  it('object aliases where a field had none are minor (invalid bodies now named); a changed list or dispatch major', () => {
    const chat = 'chat.completion.finish_reason';
    expect(diffOf((d: any) => delete d.fields[chat].dispatch.object_aliases).bump).toBe('major');
    expect(diffOf((d: any) => (d.fields['response.status'].dispatch.object_aliases = ['response.v2'])).bump).toBe(
      'minor',
    );
    expect(diffOf((d: any) => d.fields[chat].dispatch.object_aliases.push('chat.completion.v2')).bump).toBe('major');
    expect(diffOf((d: any) => (d.fields[chat].dispatch.object = 'chat.completions')).bump).toBe('major');
  });

  it('values appended to a severity are minor (ranked after the existing ones); any other change to it is major', () => {
    const chat = 'chat.completion.finish_reason';
    expect(diffOf((d: any) => d.fields[chat].severity.push('zz_new_reason'))).toMatchObject({
      bump: 'minor',
      changes: [{ section: 'fields', id: chat, property: 'severity', bump: 'minor' }],
    });
    expect(diffOf((d: any) => d.fields[chat].severity.unshift('zz_new_reason')).bump).toBe('major');
    expect(diffOf((d: any) => d.fields[chat].severity.reverse()).bump).toBe('major');
    expect(diffOf((d: any) => d.fields[chat].severity.pop()).bump).toBe('major');
  });

  it("a profile override's retry decision is major, its rationale patch; keys with dots stay readable", () => {
    const target = contract().entries[0]!.id;
    const withOverride = () => {
      const d = contract();
      const [name] = Object.keys(d.profiles);
      d.profiles[name!] ??= { description: 'p', sources: [], exclude_fields: [], overrides: {} };
      d.profiles[name!].overrides[target] = { retryable: true, rationale: 'Because.' };
      return { doc: d, name: name! };
    };
    const old = withOverride();
    const edited = (edit: (o: any) => void) => {
      const now = withOverride();
      edit(now.doc.profiles[now.name].overrides[target]);
      return diffReleases({ contract: old.doc }, { contract: now.doc });
    };
    expect(edited((o) => (o.rationale += ' Edited.'))).toMatchObject({
      bump: 'patch',
      changes: [{ section: 'profiles', id: old.name, property: `overrides[${JSON.stringify(target)}].rationale` }],
    });
    expect(edited((o) => (o.retryable = false))).toMatchObject({
      bump: 'major',
      changes: [{ property: `overrides[${JSON.stringify(target)}].retryable` }],
    });
    expect(
      diffOf((d) => (d.profiles[Object.keys(d.profiles)[0]!].overrides[target] = { kind: null, rationale: 'x' })).bump,
    ).toBe('major');
  });

  it('sources come and go as patches; the version itself is not a change', () => {
    expect(
      diffOf((d) => (d.sources['zz-new'] = { type: 'guide', title: 'New', url: 'https://example.invalid/' })).bump,
    ).toBe('patch');
    expect(diffOf((d) => (d.meta.version = '9.9.9'))).toEqual({ bump: 'none', changes: [] });
    expect(diffOf((d) => (d.meta.description += ' Edited.')).bump).toBe('patch');
  });

  it('lists changes in a fixed order: sections, then ids in code-unit order', () => {
    const r = diffOf((d) => {
      d.entries.reverse();
      d.entries[0]!.summary += '!';
      d.entries.at(-1)!.summary += '!';
      d.sources['zz-new'] = { type: 'guide', title: 'New', url: 'https://example.invalid/' };
    });
    expect(r.changes.map((c) => c.section)).toEqual(['sources', 'entries', 'entries']);
    expect(r.changes[1]!.id < r.changes[2]!.id).toBe(true);
  });
});

describe('actions, the retry policy and the delay hints (since 3.0.0)', () => {
  const actionOf = (doc: Doc) => entryWhere(doc, (e) => typeof e.action === 'string', 'has an action');

  it('an action added to entries that had none is minor (a new property); a changed one is major', () => {
    const added = diffOf((d) => {
      for (const e of d.entries) delete e.action;
    });
    // Reversed: the old document lacks the actions, as release 2.0.0 does.
    const adding = diffReleases(
      {
        contract: (() => {
          const d = contract();
          for (const e of d.entries) delete e.action;
          return d;
        })(),
      },
      { contract: contract() },
    );
    expect(added.bump).toBe('major');
    expect(adding.bump).toBe('minor');
    expect(
      adding.changes.every(
        (c) => c.property === 'action' && c.bump === 'minor' && /stated where there was none/.test(c.why),
      ),
    ).toBe(true);
    const changed = diffOf((d) => {
      const e = actionOf(d);
      e.action = e.action === 'stop_and_alert' ? 'fix_request' : 'stop_and_alert';
    });
    expect(changed).toMatchObject({
      bump: 'major',
      changes: [{ section: 'entries', property: 'action', bump: 'major' }],
    });
  });

  it("a kind's default action changed is major; its rationale reworded is a patch", () => {
    expect(diffOf((d) => (d.kinds.api_error.action = 'fix_request')).bump).toBe('major');
    expect(diffOf((d) => (d.kinds.api_error.action_rationale += ' Edited.')).bump).toBe('patch');
  });

  it("an action's meaning reworded is a patch, its retry class changed is major, a new action is minor", () => {
    expect(diffOf((d: any) => (d.actions.stop_and_alert.meaning += ' Edited.'))).toMatchObject({
      bump: 'patch',
      changes: [{ section: 'actions', id: 'stop_and_alert', property: 'meaning' }],
    });
    expect(diffOf((d: any) => (d.actions.stop_and_alert.retry = 'later')).bump).toBe('major');
    expect(diffOf((d: any) => (d.actions.zz_new = { summary: 'x', meaning: 'y', retry: 'no' }))).toMatchObject({
      bump: 'minor',
      changes: [{ section: 'actions', change: 'added' }],
    });
  });

  it('the retry policy is one item: its rationale and the SDK caps are patches, the horizon and its actions major', () => {
    expect(diffOf((d: any) => (d.retry_policy.rationale += ' Edited.'))).toMatchObject({
      bump: 'patch',
      changes: [{ section: 'retry_policy', id: '', property: 'rationale' }],
    });
    expect(diffOf((d: any) => (d.retry_policy.sdk_caps[0].behaviour += ' Edited.')).bump).toBe('patch');
    expect(diffOf((d: any) => (d.retry_policy.horizon_ms = 60000))).toMatchObject({
      bump: 'major',
      changes: [{ property: 'horizon_ms', old: 120000, new: 60000 }],
    });
    expect(diffOf((d: any) => (d.retry_policy.beyond_horizon = 'stop_and_alert')).bump).toBe('major');
  });

  it("a hint's description is a patch; its precedence, place or format major; a new hint minor", () => {
    expect(diffOf((d: any) => (d.hints['retry-after'].description += ' Edited.')).bump).toBe('patch');
    expect(diffOf((d: any) => (d.hints['retry-after'].precedence = 9)).bump).toBe('major');
    expect(diffOf((d: any) => (d.hints['retry-after'].format = 'decimal_ms')).bump).toBe('major');
    expect(
      diffOf((d: any) => (d.hints['zz-new'] = { ...d.hints['retry-after'], header: 'x-retry', precedence: 9 })).bump,
    ).toBe('minor');
    expect(diffOf((d: any) => (d.hints['message-retry-after'].after = 'retry in ')).bump).toBe('major');
  });

  it("a message rule's rationale is a patch; what it applies to or sets major; a new rule minor", () => {
    const rule = 'request-above-limit';
    expect(diffOf((d: any) => (d.message_rules[rule].rationale += ' Edited.')).bump).toBe('patch');
    expect(diffOf((d: any) => (d.message_rules[rule].retryable = true)).bump).toBe('major');
    expect(diffOf((d: any) => (d.message_rules[rule].action = 'fix_request')).bump).toBe('major');
    expect(diffOf((d: any) => d.message_rules[rule].kinds.push('internal_server_error')).bump).toBe('major');
    expect(diffOf((d: any) => (d.message_rules['zz-new'] = { ...d.message_rules[rule], precedence: 2 })).bump).toBe(
      'minor',
    );
    // A phrase rule: its phrases (in any order), scope and kind say what it applies to and gives.
    const phrases = 'server-error-message';
    expect(diffOf((d: any) => d.message_rules[phrases].phrases.reverse()).bump).toBe('none');
    expect(diffOf((d: any) => d.message_rules[phrases].phrases.push('server exploded')).bump).toBe('major');
    expect(diffOf((d: any) => (d.message_rules[phrases].scope = 'any')).bump).toBe('major');
    expect(diffOf((d: any) => (d.message_rules[phrases].kind = 'rate_limit_error')).bump).toBe('major');
  });
});
