// Authoring model -> the published contract: defaults applied, keys in a fixed order, entries sorted by id.
import type {
  Action,
  ActionId,
  Contract,
  DelayHint,
  MessageRule,
  Entry,
  Field,
  Kind,
  Profile,
  RetryPolicy,
  SdkBinding,
  Source,
} from '../../generated/types.js';
import { byCodeUnit } from '../json-text.js';
import { qualifiedName } from '../sdks.js';
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

/**
 * A deciding entry's action: its own where it names one, else its kind's default, else (no kind: nothing is raised)
 * actions.yaml's no_kind. Written once in the data, published on every entry that can decide a result.
 */
function actionOf(e: AuthoringEntryData, spec: AuthoringSpec): ActionId {
  if (e.action !== undefined) return e.action as ActionId;
  if (typeof e.kind === 'string') return spec.kinds.find((k) => k.data.id === e.kind)!.data.action as ActionId;
  return spec.actions.data.no_kind as ActionId;
}

function resolveEntry(e: AuthoringEntryData, field: string, spec: AuthoringSpec): Entry {
  const deciding = e.refined_by === undefined && (e.delegate === undefined || e.kind !== undefined);
  return {
    id: e.id,
    field,
    value: e.value,
    ...pick(e, ['outcome', 'kind', 'retryable']),
    ...(deciding ? { throttling: e.throttling ?? false } : {}),
    ...pick(e, ['http_status']),
    ...(deciding ? { action: actionOf(e, spec) } : {}),
    ...pick(e, [
      'action_rationale',
      'refined_by',
      'delegate',
      'delegate_object',
      'delegate_status',
      'relayed_status',
      'envelope',
      'partial_failure',
      'yields_to',
    ]),
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
  const sdks = spec.sdks.map(({ data }) => data);
  return {
    meta: { name: c.name, version: c.version, description: c.description },
    sdks: Object.fromEntries(
      sdks.map(({ id, ...s }) => [
        id,
        pick(s, [
          'label',
          'package',
          'since',
          'qualified',
          'import',
          'status_classes',
          'status_field',
          'fallback',
          'sources',
        ]),
      ]),
    ) as Contract['sdks'],
    kinds: Object.fromEntries(
      spec.kinds.map(({ data: k }): [string, Kind] => {
        // One binding per SDK, in the registry's order, each with its class as code writes it.
        const bindings = sdks.map((s) => {
          const b = (k as unknown as Record<string, SdkBinding>)[s.id]!;
          return [s.id, { ...pick(b, ['class', 'module', 'exact', 'note']), qualified: qualifiedName(s.qualified, b) }];
        });
        return [
          k.id,
          {
            summary: k.summary,
            http_status: k.http_status,
            can_succeed_unchanged: k.can_succeed_unchanged,
            action: k.action as ActionId,
            ...(k.action_rationale !== undefined ? { action_rationale: k.action_rationale } : {}),
            ...Object.fromEntries(bindings),
            sources: [...k.sources],
          } as Kind,
        ];
      }),
    ),
    fields: sortedRecord(
      spec.fields.map(({ data: f }): [string, Field] => [
        f.field,
        pick(f, [
          'role',
          'dispatch',
          'path',
          'reported_error',
          'error_object',
          'severity',
          'filter_results',
          'shares_values_with',
          'integer_status',
          'description',
          'sources',
        ]) as Field,
      ]),
    ),
    profiles: sortedRecord(
      spec.profiles.map(({ data: p }): [string, Profile] => [
        p.name,
        {
          description: p.description,
          sources: [...p.sources],
          exclude_fields: [...(p.exclude_fields ?? [])] as Profile['exclude_fields'],
          overrides: sortedRecord(
            Object.entries(p.overrides ?? {}).map(([id, o]) => [
              id,
              pick(o, ['kind', 'retryable', 'throttling', 'action', 'rationale']),
            ]),
          ) as Profile['overrides'],
          ...(p.lifecycle
            ? { lifecycle: pick(p.lifecycle, ['create_status', 'id_prefix', 'initial_status']) as Profile['lifecycle'] }
            : {}),
        },
      ]),
    ),
    sources: sortedRecord(
      Object.entries(spec.sources.data).map(([id, s]): [string, Source] => [
        id,
        pick(s, ['type', 'title', 'url', 'note']) as Source,
      ]),
    ),
    ...resolveActions(spec),
    entries: spec.fields
      .flatMap((f) => f.entries.map((e) => resolveEntry(e.data, f.data.field, spec)))
      .sort((a, b) => byCodeUnit(a.id, b.id)),
  };
}

/** spec/actions.yaml, published: the actions by id, the retry policy, and the delay hints and message rules by id with their precedence. */
function resolveActions(spec: AuthoringSpec): Pick<Contract, 'actions' | 'retry_policy' | 'hints' | 'message_rules'> {
  const a = spec.actions.data;
  const policy = a.retry_policy;
  return {
    actions: sortedRecord(
      a.actions.map((x): [string, Action] => [x.id, { summary: x.summary, meaning: x.meaning, retry: x.retry }]),
    ),
    retry_policy: {
      ...pick(policy, [
        'horizon_ms',
        'beyond_horizon',
        'should_retry_true',
        'should_retry_false',
        'max_delay_ms',
        'rationale',
      ]),
      sources: [...policy.sources],
      sdk_caps: policy.sdk_caps.map((c) => ({
        sdk: c.sdk,
        version: c.version,
        cap_ms: c.cap_ms,
        behaviour: c.behaviour,
        sources: [...c.sources],
      })),
    } as RetryPolicy,
    hints: sortedRecord(
      a.hints.map((h, i): [string, DelayHint] => [
        h.id,
        {
          precedence: i + 1,
          ...pick(h, ['applies_to', 'header', 'body', 'match', 'key', 'after', 'format', 'description']),
          judgement: h.judgement ?? false,
          ...pick(h, ['rationale']),
          sources: [...h.sources],
        } as DelayHint,
      ]),
    ),
    message_rules: sortedRecord(
      (a.message_rules ?? []).map((r, i): [string, MessageRule] => [
        r.id,
        {
          precedence: i + 1,
          kinds: [...r.kinds],
          test: r.test,
          ...(r.phrases ? { phrases: [...r.phrases] } : {}),
          ...(r.scope ? { scope: r.scope } : {}),
          ...pick(r, ['kind', 'retryable', 'transient', 'throttling', 'action', 'rationale']),
          sources: [...r.sources],
        } as MessageRule,
      ]),
    ),
  };
}
