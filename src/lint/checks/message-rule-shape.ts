import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';

/**
 * A message rule names only kinds of kinds.yaml, never makes retryable a kind that can never succeed unchanged (as
 * retryable-kind says of entries), and has a unique id. Its action is checked by unknown-action, its sources by
 * missing-source.
 */
export const messageRuleShape: LintCheck = {
  id: 'message-rule-shape',
  description:
    'Message rule ids are unique; a rule names only kinds of kinds.yaml and makes none retryable that can never succeed unchanged.',
  check(spec) {
    const findings: Finding[] = [];
    const kinds = new Map(spec.kinds.map((k) => [k.data.id, k.data]));
    const seen = new Set<string>();
    (spec.actions.data.message_rules ?? []).forEach((r, i) => {
      const at = (...path: (string | number)[]) => spec.actions.file.locate(['message_rules', i, ...path], true);
      const report = (message: string, position: Finding['position']) =>
        findings.push({ rule: this.id, level: 'error', message: `message rule ${r.id}: ${message}`, position });
      if (seen.has(r.id)) report('duplicate message rule id', at('id'));
      seen.add(r.id);
      r.kinds.forEach((k, j) => {
        const kind = kinds.get(k);
        if (kind === undefined) report(`unknown kind "${k}"`, at('kinds', j));
        else if (r.retryable && !kind.can_succeed_unchanged)
          report(`kind ${k} can never succeed unchanged, so no rule makes it retryable`, at('retryable'));
      });
    });
    return findings;
  },
};
