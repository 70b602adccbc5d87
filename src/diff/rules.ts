// How much each kind of change to contract.json breaks its consumers: the semver policy of the data, as a table.
import type { Bump } from './semver.js';

type Level = Exclude<Bump, 'none'>;

export interface Rule {
  /** Property path inside an item; `*` matches any one segment. A rule applies to its path and everything below. */
  path: readonly string[];
  bump: Level;
  why: string;
  /** Arrays whose order means nothing: compared as sets. */
  unordered?: boolean;
  /** The bump (and why) when the property appears where it was absent, if that differs: nothing that existed changes. */
  added?: { bump: Level; why: string };
  /** The bump (and why) when an array only gains elements at its end, if that differs (the old ones keep precedence). */
  appended?: { bump: Level; why: string };
}

const TEXT = 'wording only';
const SOURCES = 'evidence only';

/** Per section of contract.json. Properties no rule names are treated as breaking when changed or removed. */
export const RULES: Record<string, readonly Rule[]> = {
  meta: [
    { path: ['description'], bump: 'patch', why: TEXT },
    { path: ['name'], bump: 'major', why: 'the data set is renamed' },
  ],
  entries: [
    { path: ['kind'], bump: 'major', why: 'the exception kind changes' },
    { path: ['retryable'], bump: 'major', why: 'the retry decision flips' },
    { path: ['throttling'], bump: 'major', why: 'the throttling flag flips' },
    { path: ['http_status'], bump: 'major', why: 'the HTTP-status equivalent changes' },
    {
      path: ['action'],
      bump: 'major',
      added: { bump: 'minor', why: 'an action stated where there was none' },
      why: 'what the caller is told to do changes',
    },
    { path: ['action_rationale'], bump: 'patch', why: TEXT },
    { path: ['outcome'], bump: 'major', why: 'the outcome changes' },
    {
      path: ['refined_by'],
      bump: 'major',
      why: 'a different field decides',
      appended: {
        bump: 'minor',
        why: 'reason fields consulted after the existing ones: only values none of those lists decide by a new entry',
      },
    },
    { path: ['delegate'], bump: 'major', why: 'a different object decides' },
    {
      path: ['delegate_object'],
      bump: 'major',
      why: 'an embedded object without `object` is read as another object',
      added: { bump: 'minor', why: 'an embedded object without `object` is read as the object the event names' },
    },
    {
      path: ['relayed_status'],
      bump: 'major',
      added: { bump: 'minor', why: 'a relayed status is read where the entry alone decided' },
      why: 'the relayed status is read from another key, or no longer read',
    },
    { path: ['partial_failure'], bump: 'major', why: 'partial failures are detected differently' },
    {
      path: ['yields_to'],
      bump: 'major',
      why: 'another entry decides beside this status',
      added: { bump: 'minor', why: 'a reason the status did not read now decides beside it' },
    },
    { path: ['field'], bump: 'major', why: 'the entry moves to another field' },
    { path: ['value'], bump: 'major', why: 'the matched value changes' },
    { path: ['summary'], bump: 'patch', why: TEXT },
    { path: ['remedy'], bump: 'patch', why: TEXT },
    { path: ['rationale'], bump: 'patch', why: TEXT },
    { path: ['sources'], bump: 'patch', why: SOURCES, unordered: true },
    { path: ['judgement'], bump: 'patch', why: SOURCES },
    { path: ['since'], bump: 'patch', why: 'bookkeeping only' },
    { path: ['deprecated', 'replaced_by'], bump: 'minor', why: 'a new replacement is named' },
    { path: ['deprecated', 'reason'], bump: 'patch', why: TEXT },
    { path: ['deprecated', 'note'], bump: 'patch', why: TEXT },
  ],
  kinds: [
    { path: ['http_status'], bump: 'major', why: "the kind's HTTP status changes" },
    { path: ['can_succeed_unchanged'], bump: 'major', why: 'the retry meaning of the kind flips' },
    {
      path: ['action'],
      bump: 'major',
      added: { bump: 'minor', why: 'a default action stated where there was none' },
      why: "the default action of the kind's entries changes",
    },
    { path: ['action_rationale'], bump: 'patch', why: TEXT },
    { path: ['*', 'note'], bump: 'patch', why: TEXT },
    { path: ['summary'], bump: 'patch', why: TEXT },
    { path: ['sources'], bump: 'patch', why: SOURCES, unordered: true },
    // Then one rule per SDK of the contracts' `sdks` (sdkRules).
  ],
  sdks: [
    { path: ['label'], bump: 'patch', why: TEXT },
    { path: ['package', 'version'], bump: 'patch', why: 'the class names re-checked against another release' },
    { path: ['since'], bump: 'patch', why: 'bookkeeping only' },
    { path: ['import'], bump: 'patch', why: 'documentation of how a class is imported' },
    { path: ['sources'], bump: 'patch', why: SOURCES, unordered: true },
    { path: ['qualified'], bump: 'major', why: "the class names in results' sdk object change" },
  ],
  fields: [
    { path: ['role'], bump: 'major', why: 'the field is read differently' },
    { path: ['path'], bump: 'major', why: 'the field is read from another place' },
    {
      path: ['dispatch', 'object_aliases'],
      bump: 'major',
      why: 'other objects select the field',
      unordered: true,
      added: { bump: 'minor', why: 'object names that were invalid now select the field' },
    },
    { path: ['dispatch'], bump: 'major', why: 'other objects select the field' },
    {
      path: ['reported_error'],
      bump: 'major',
      why: 'other bodies are decided by an error they report',
      added: { bump: 'minor', why: 'bodies that report an error beside their status are decided by it' },
    },
    {
      path: ['error_object'],
      bump: 'major',
      why: 'other typed bodies are read as error objects',
      added: { bump: 'minor', why: 'typed bodies that were stream events of no listed type are read as error objects' },
    },
    {
      path: ['severity'],
      bump: 'major',
      why: 'another value decides among choices that end differently',
      added: { bump: 'minor', why: 'the most severe of several values decides, instead of the first that settles' },
      // Every settling value is ranked (the references lint), so a value appended was not settling before: the
      // ranking of the existing values stays, and only a choice ending with the new value decides differently.
      appended: {
        bump: 'minor',
        why: 'values ranked after the existing ones: only choices ending with them decide anew',
      },
    },
    {
      path: ['filter_results'],
      bump: 'major',
      why: 'other content filter results stop a choice',
      added: { bump: 'minor', why: 'a choice that the content filter flags reads as filtered' },
    },
    { path: ['shares_values_with'], bump: 'major', why: 'other values match' },
    { path: ['description'], bump: 'patch', why: TEXT },
    { path: ['sources'], bump: 'patch', why: SOURCES, unordered: true },
  ],
  profiles: [
    { path: ['overrides', '*', 'rationale'], bump: 'patch', why: TEXT },
    { path: ['overrides'], bump: 'major', why: 'results under the profile change' },
    { path: ['exclude_fields'], bump: 'major', why: 'results under the profile change', unordered: true },
    { path: ['lifecycle'], bump: 'major', why: "the profile's job lifecycle changes" },
    { path: ['description'], bump: 'patch', why: TEXT },
    { path: ['sources'], bump: 'patch', why: SOURCES, unordered: true },
  ],
  sources: [{ path: [], bump: 'patch', why: SOURCES }],
  actions: [
    { path: ['summary'], bump: 'patch', why: TEXT },
    { path: ['meaning'], bump: 'patch', why: TEXT },
    { path: ['retry'], bump: 'major', why: 'whether the action retries changes' },
  ],
  retry_policy: [
    { path: ['horizon_ms'], bump: 'major', why: 'the horizon moves: retryable results take another action' },
    { path: ['beyond_horizon'], bump: 'major', why: 'results beyond the horizon take another action' },
    { path: ['should_retry_true'], bump: 'major', why: 'results x-should-retry reverses take another action' },
    { path: ['should_retry_false'], bump: 'major', why: 'results x-should-retry reverses take another action' },
    { path: ['max_delay_ms'], bump: 'major', why: 'long delays read differently' },
    { path: ['rationale'], bump: 'patch', why: TEXT },
    { path: ['sources'], bump: 'patch', why: SOURCES, unordered: true },
    { path: ['sdk_caps'], bump: 'patch', why: 'what the SDKs do, for reference: evidence only' },
  ],
  hints: [
    { path: ['description'], bump: 'patch', why: TEXT },
    { path: ['rationale'], bump: 'patch', why: TEXT },
    { path: ['judgement'], bump: 'patch', why: SOURCES },
    { path: ['sources'], bump: 'patch', why: SOURCES, unordered: true },
    { path: ['precedence'], bump: 'major', why: 'another hint wins' },
    { path: ['applies_to'], bump: 'major', why: 'the hint is read for other results' },
    { path: ['header'], bump: 'major', why: 'the hint is read from another place' },
    { path: ['body'], bump: 'major', why: 'the hint is read from another place' },
    { path: ['match'], bump: 'major', why: 'the hint is read from another place' },
    { path: ['key'], bump: 'major', why: 'the hint is read from another place' },
    { path: ['after'], bump: 'major', why: 'the hint is read from another place' },
    { path: ['format'], bump: 'major', why: 'the hint is parsed differently' },
  ],
  message_rules: [
    { path: ['rationale'], bump: 'patch', why: TEXT },
    { path: ['sources'], bump: 'patch', why: SOURCES, unordered: true },
    { path: ['precedence'], bump: 'major', why: 'another rule applies' },
    { path: ['kinds'], bump: 'major', why: 'the rule applies to other results' },
    { path: ['test'], bump: 'major', why: 'the rule applies to other messages' },
    { path: ['phrases'], bump: 'major', why: 'the rule applies to other messages', unordered: true },
    { path: ['scope'], bump: 'major', why: 'the rule applies to other results' },
    { path: ['kind'], bump: 'major', why: 'bare bodies the rule applies to take another kind' },
    {
      path: ['transient'],
      bump: 'patch',
      why: 'why a retryable rule may name a kind that never succeeds unchanged: evidence only',
    },
    { path: ['retryable'], bump: 'major', why: 'results the rule applies to retry differently' },
    { path: ['throttling'], bump: 'major', why: 'results the rule applies to throttle differently' },
    { path: ['action'], bump: 'major', why: 'results the rule applies to take another action' },
  ],
};

/** Sections that are one object, compared property by property as one item (as meta is). */
export const SINGLE_ITEM_SECTIONS: readonly string[] = ['meta', 'retry_policy'];

/** What an item's change of a property no rule names needs: new data is an addition, anything else may break. */
export const UNKNOWN_ADDED: Rule = { path: [], bump: 'minor', why: 'a new property' };
export const UNKNOWN_CHANGED: Rule = { path: [], bump: 'major', why: 'a property with no stated policy changed' };

/** Whole items (an entry, a kind, a field, a profile) appearing or disappearing. */
export const ITEM_ADDED: Record<string, Rule> = {
  sources: { path: [], bump: 'patch', why: 'a new source' },
  default: { path: [], bump: 'minor', why: 'new; nothing that existed changes' },
};
export const ITEM_REMOVED: Record<string, Rule> = {
  sources: { path: [], bump: 'patch', why: 'a source no longer cited' },
  default: { path: [], bump: 'major', why: 'consumers may depend on it' },
};

export const DEPRECATED: Rule = { path: ['deprecated'], bump: 'minor', why: 'deprecation announced' };
export const UNDEPRECATED: Rule = { path: ['deprecated'], bump: 'minor', why: 'deprecation withdrawn' };
export const PROMOTED: Rule = { path: ['stability'], bump: 'minor', why: 'now stable' };
export const DEMOTED: Rule = { path: ['stability'], bump: 'major', why: 'no longer stable' };

/**
 * A kind's binding in each SDK: its class (or how code writes it) changing breaks whoever catches it; a binding, or a
 * part of one, that appears where there was none only adds (a new SDK, a `qualified` name).
 */
export function sdkRules(sdks: Record<string, { label?: unknown }>): Rule[] {
  return Object.entries(sdks).map(([id, s]): Rule => {
    const label = typeof s.label === 'string' ? s.label : id;
    return {
      path: [id],
      bump: 'major',
      why: `the ${label} exception class changes`,
      added: { bump: 'minor', why: `${label}: a binding, or how its class is written, newly stated` },
    };
  });
}

export function ruleFor(section: string, path: readonly string[], extra: readonly Rule[] = []): Rule | undefined {
  const matches = (r: Rule) => r.path.length <= path.length && r.path.every((seg, i) => seg === '*' || seg === path[i]);
  return RULES[section]?.find(matches) ?? extra.find(matches);
}
