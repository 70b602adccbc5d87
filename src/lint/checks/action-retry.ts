import type { ActionsFile } from '../../../generated/authoring-types.js';
import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';

type Retry = ActionsFile['actions'][number]['retry'];

/** What each retry decision allows an action to say: an action never contradicts `retryable`. */
const ALLOWED: Record<'retryable' | 'not retryable', readonly Retry[]> = {
  retryable: ['in_run', 'later', 'partial'],
  'not retryable': ['no', 'partial'],
};

/** An action agrees with the retry decision it travels with, under every profile, and the policy's actions fit their role. */
export const actionRetry: LintCheck = {
  id: 'action-retry',
  description:
    "A deciding entry's action (its own or its kind's) retries exactly when the entry is retryable, also under each profile's overrides, and a message rule's when the rule is retryable; only deciding entries name an action; beyond_horizon is a `later` action, should_retry_true an `in_run` one, should_retry_false a `no` one.",
  check(spec) {
    const retryOf = new Map(spec.actions.data.actions.map((a) => [a.id, a.retry]));
    const kindAction = new Map(spec.kinds.map((k) => [k.data.id, k.data.action]));
    const findings: Finding[] = [];
    const resolved = (action: string | undefined, kind: string | null | undefined) =>
      action ?? (typeof kind === 'string' ? kindAction.get(kind) : spec.actions.data.no_kind);
    const agree = (
      action: string | undefined,
      retryable: boolean | undefined,
      what: string,
      position: Finding['position'],
    ) => {
      const retry = action === undefined ? undefined : retryOf.get(action);
      if (retry === undefined) return; // unknown-action reports it
      const decision = retryable === true ? 'retryable' : 'not retryable';
      if (!ALLOWED[decision].includes(retry)) {
        findings.push({
          rule: this.id,
          level: 'error',
          message: `${what} is ${decision}, but its action ${action} is a "${retry}" action`,
          position,
          tip: `A ${decision} entry takes an action whose retry is ${ALLOWED[decision].join(' or ')}.`,
        });
      }
    };
    const entries = new Map(spec.fields.flatMap((f) => f.entries).map((e) => [e.data.id, e]));
    for (const entry of entries.values()) {
      const e = entry.data;
      const defers = e.refined_by !== undefined || (e.delegate !== undefined && e.kind === undefined);
      if (defers) {
        if (e.action !== undefined)
          findings.push({
            rule: this.id,
            level: 'error',
            message: `entry ${e.id}: action is never read on an entry that defers (refined_by/delegate)`,
            position: entry.at('action'),
          });
        continue;
      }
      agree(
        resolved(e.action, e.kind),
        e.retryable,
        `entry ${e.id}`,
        entry.at(e.action !== undefined ? 'action' : 'retryable'),
      );
    }
    for (const profile of spec.profiles) {
      for (const [id, o] of Object.entries(profile.data.overrides ?? {})) {
        const e = entries.get(id)?.data;
        if (!e || (o.action === undefined && o.retryable === undefined && o.kind === undefined)) continue;
        const kind = o.kind !== undefined ? o.kind : e.kind;
        agree(
          o.action ?? resolved(e.action, kind),
          o.retryable ?? e.retryable,
          `entry ${id} under profile ${profile.data.name}`,
          profile.file.locate(['overrides', id], true),
        );
      }
    }
    // A message rule sets a result's action and retry decision together: they agree as an entry's do.
    (spec.actions.data.message_rules ?? []).forEach((r, i) =>
      agree(r.action, r.retryable, `message rule ${r.id}`, spec.actions.file.locate(['message_rules', i, 'action'])),
    );
    const policy = spec.actions.data.retry_policy;
    const role = (key: 'beyond_horizon' | 'should_retry_true' | 'should_retry_false', want: Retry) => {
      const retry = retryOf.get(policy[key]);
      if (retry !== undefined && retry !== want)
        findings.push({
          rule: this.id,
          level: 'error',
          message: `retry_policy.${key} must be an "${want}" action, ${policy[key]} is "${retry}"`,
          position: spec.actions.file.locate(['retry_policy', key]),
        });
    };
    role('beyond_horizon', 'later');
    role('should_retry_true', 'in_run');
    role('should_retry_false', 'no');
    return findings;
  },
};
