// Authoring model -> the published contract: defaults applied, keys in a fixed order, entries sorted by id.
import type { Contract, Entry, Field, Kind, Profile, Source } from '../../generated/types.js';
import { byCodeUnit } from '../json-text.js';
import type { AuthoringEntryData, AuthoringSpec } from '../authoring/model.js';

function sortedRecord<T>(pairs: [string, T][]): Record<string, T> {
  return Object.fromEntries([...pairs].sort(([a], [b]) => byCodeUnit(a, b)));
}

/** Copies `keys` of `from` that are defined, in the order given: the published key order. */
function pick<T extends object>(from: T, keys: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

function resolveEntry(e: AuthoringEntryData, field: string): Entry {
  const deciding = e.refined_by === undefined && (e.delegate === undefined || e.kind !== undefined);
  return {
    id: e.id,
    field,
    value: e.value,
    ...pick(e, ['outcome', 'kind', 'retryable']),
    ...(deciding ? { throttling: e.throttling ?? false } : {}),
    ...pick(e, ['http_status', 'refined_by', 'delegate', 'delegate_status', 'envelope', 'partial_failure']),
    judgement: e.judgement ?? false,
    summary: e.summary,
    remedy: e.remedy,
    ...pick(e, ['rationale']),
    sources: [...e.sources],
    since: e.since,
    stability: e.stability ?? 'experimental',
    ...(e.deprecated ? { deprecated: pick(e.deprecated, ['reason', 'note', 'replaced_by']) } : {}),
  } as Entry;
}

export function resolve(spec: AuthoringSpec): Contract {
  const c = spec.contract.data;
  return {
    meta: { name: c.name, version: c.version, description: c.description },
    kinds: Object.fromEntries(
      spec.kinds.map(({ data: k }): [string, Kind] => [
        k.id,
        {
          summary: k.summary,
          http_status: k.http_status,
          can_succeed_unchanged: k.can_succeed_unchanged,
          python: pick(k.python, ['class', 'module', 'exact', 'note']) as Kind['python'],
          node: pick(k.node, ['class', 'module', 'exact', 'note']) as Kind['node'],
          sources: [...k.sources],
        },
      ]),
    ),
    fields: sortedRecord(
      spec.fields.map(({ data: f }): [string, Field] => [
        f.field,
        pick(f, ['role', 'dispatch', 'path', 'shares_values_with', 'integer_status', 'description', 'sources']) as Field,
      ]),
    ),
    profiles: sortedRecord(
      spec.profiles.map(({ data: p }): [string, Profile] => [
        p.name,
        {
          description: p.description,
          sources: [...p.sources],
          exclude_fields: [...(p.exclude_fields ?? [])] as Profile["exclude_fields"],
          overrides: sortedRecord(Object.entries(p.overrides ?? {}).map(([id, o]) => [id, pick(o, ['kind', 'retryable', 'throttling', 'rationale'])])) as Profile['overrides'],
          ...(p.lifecycle ? { lifecycle: pick(p.lifecycle, ['create_status', 'id_prefix', 'initial_status']) as Profile['lifecycle'] } : {}),
        },
      ]),
    ),
    sources: sortedRecord(Object.entries(spec.sources.data).map(([id, s]): [string, Source] => [id, pick(s, ['type', 'title', 'url', 'note']) as Source])),
    entries: spec.fields.flatMap((f) => f.entries.map((e) => resolveEntry(e.data, f.data.field))).sort((a, b) => byCodeUnit(a.id, b.id)),
  };
}
