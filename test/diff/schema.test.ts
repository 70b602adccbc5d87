// Published-schema changes: stricter is major, looser minor, wording patch; the id enums follow the data.
import { describe, expect, it } from 'vitest';
import { diffReleases } from '../../src/diff/diff.js';
import { diffSchemas } from '../../src/diff/schema-diff.js';
import { contract, schema } from './support.js';

function schemaDiff(edit: (s: Record<string, any>) => void) {
  const now = schema();
  edit(now);
  return diffSchemas(schema(), now, contract(), contract());
}

const bumps = (edit: (s: Record<string, any>) => void) => schemaDiff(edit).map((c) => c.bump);

describe('published schema', () => {
  it('is unchanged against itself', () => {
    expect(schemaDiff(() => {})).toEqual([]);
  });

  it('a newly required property is stricter: major', () => {
    const changes = schemaDiff((s) => s.$defs.entry.required.push('docs_url'));
    expect(changes).toEqual([
      expect.objectContaining({
        section: 'schema',
        id: '/$defs/entry',
        property: 'required',
        new: ['docs_url'],
        bump: 'major',
      }),
    ]);
  });

  it('a required property made optional is looser: minor', () => {
    expect(bumps((s) => s.$defs.entry.required.pop())).toEqual(['minor']);
  });

  it('an enum member removed is major, one added is minor', () => {
    expect(bumps((s) => s.$defs.outcome.enum.pop())).toEqual(['major']);
    expect(bumps((s) => s.$defs.outcome.enum.push('paused'))).toEqual(['minor']);
  });

  it('a new optional property of a closed object is minor; a removed one is major', () => {
    expect(bumps((s) => (s.$defs.entry.properties.docs_url = { type: 'string' }))).toEqual(['minor']);
    expect(bumps((s) => delete s.$defs.entry.properties.rationale)).toEqual(['major']);
  });

  it('narrower bounds and types are major, wider ones minor', () => {
    expect(bumps((s) => (s.$defs.entryId.minLength = 5))).toEqual(['major']);
    expect(bumps((s) => (s.$defs.entryId.minLength = 1))).toEqual(['minor']);
    expect(bumps((s) => (s.$defs.entry.properties.sources.maxItems = 20))).toEqual(['major']);
    expect(bumps((s) => (s.$defs.entryId.type = ['string', 'null']))).toEqual(['minor']);
  });

  it('a new oneOf alternative is major, unless it requires a property the closed object did not list: minor', () => {
    const withDispatch = (s: Record<string, any>) =>
      (s.$defs.dispatchProbe = {
        type: 'object',
        additionalProperties: false,
        oneOf: [{ required: ['object'] }],
        properties: { object: { type: 'string' }, shape: { type: 'array' } },
      });
    const changed = (alternative: object, listed: boolean) => {
      const before = schema();
      withDispatch(before);
      const now = schema();
      withDispatch(now);
      now.$defs.dispatchProbe.oneOf.push(alternative);
      if (listed) before.$defs.dispatchProbe.properties.type = { type: 'string' };
      now.$defs.dispatchProbe.properties.type = { type: 'string' };
      return diffSchemas(before, now, contract(), contract())
        .filter((c) => c.id.includes('/oneOf/'))
        .map((c) => c.bump);
    };
    // `type` was unlisted (rejected) before: nothing valid then matches the new branch.
    expect(changed({ required: ['type', 'shape'] }, false)).toEqual(['minor']);
    // `type` was already a property: a value carrying it and `object` would now match twice.
    expect(changed({ required: ['type', 'shape'] }, true)).toEqual(['major']);
    // A branch requiring only listed properties can match values valid before.
    expect(changed({ required: ['shape'] }, false)).toEqual(['major']);
  });

  it('a changed pattern or $ref cannot be judged, so it counts as stricter', () => {
    expect(bumps((s) => (s.$defs.semver.pattern = '^.*$'))).toEqual(['major']);
    expect(bumps((s) => (s.$defs.entry.properties.since = { type: 'string' }))).toContain('major');
  });

  it('inside `not`, stricter and looser trade places', () => {
    // A deciding entry must not have refined_by: forbidding one more key there makes the schema stricter.
    const branch = (s: Record<string, any>) => s.$defs.entry.oneOf[0].not.anyOf;
    expect(bumps((s) => branch(s).push({ required: ['partial_failure'] }))).toEqual(['major']);
    expect(bumps((s) => branch(s)[0].required.push('delegate'))).toEqual(['minor']);
  });

  it('titles and descriptions are patch', () => {
    expect(bumps((s) => (s.$defs.entry.description = 'An entry.'))).toEqual(['patch']);
  });

  it('the id enums are data: an entry removed is reported once, as an entry, not again as a schema change', () => {
    const [old, now] = [contract(), contract()];
    const removed = now.entries.pop()!;
    const [oldSchema, newSchema] = [schema(), schema()];
    newSchema.$defs.entryId.enum = newSchema.$defs.entryId.enum.filter((id: string) => id !== removed.id);
    const r = diffReleases({ contract: old, schema: oldSchema }, { contract: now, schema: newSchema });
    expect(r.changes).toEqual([expect.objectContaining({ section: 'entries', id: removed.id, change: 'removed' })]);
  });

  it('an enum that is not the set of ids is compared like any other', () => {
    const r = schemaDiff((s) => (s.$defs.entryId.enum = ['only/this']));
    expect(r.map((c) => c.bump)).toEqual(['major']);
  });
});
