import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';

/**
 * An action is written once: the kind's default, or an entry's own where its meaning differs, and then the reader is
 * told why. An entry that repeats its kind's default is a second copy of the same fact.
 */
export const actionRationale: LintCheck = {
  id: 'action-rationale',
  description:
    "An entry names an action only where it differs from its kind's default (or no_kind), and then gives action_rationale; action_rationale goes only with an action.",
  check(spec) {
    const kindAction = new Map(spec.kinds.map((k) => [k.data.id, k.data.action]));
    const findings: Finding[] = [];
    for (const entry of spec.fields.flatMap((f) => f.entries)) {
      const e = entry.data;
      if (e.action === undefined) {
        if (e.action_rationale !== undefined)
          findings.push({
            rule: this.id,
            level: 'error',
            message: `entry ${e.id}: action_rationale without an action`,
            position: entry.at('action_rationale'),
          });
        continue;
      }
      const fallback = typeof e.kind === 'string' ? kindAction.get(e.kind) : spec.actions.data.no_kind;
      if (e.action === fallback) {
        findings.push({
          rule: this.id,
          level: 'error',
          message: `entry ${e.id}: action ${e.action} repeats its default (${typeof e.kind === 'string' ? `kind ${e.kind}` : 'no_kind'})`,
          position: entry.at('action'),
          tip: 'Remove it: the default applies.',
        });
      } else if (e.action_rationale === undefined) {
        findings.push({
          rule: this.id,
          level: 'error',
          message: `entry ${e.id}: action ${e.action} differs from its default ${fallback} without an action_rationale`,
          position: entry.at('action'),
          tip: 'Say why this entry needs another action than its kind.',
        });
      }
    }
    return findings;
  },
};
