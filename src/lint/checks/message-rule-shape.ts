import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';

/**
 * A message rule names only kinds of kinds.yaml, never makes retryable a kind that can never succeed unchanged unless
 * it is transient (as retryable-kind says of entries), and has a unique id. Its action is checked by unknown-action, its sources by
 * missing-source.
 */
export const messageRuleShape: LintCheck = {
  id: 'message-rule-shape',
  description:
    'Message rule ids are unique; a rule names only kinds of kinds.yaml and makes none retryable that can never succeed unchanged, unless transient.',
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
      // The kinds a result the rule gives can have: each listed kind (an envelope's stays), and the rule's own.
      const given: [string, (string | number)[]][] = r.kinds.map((k, j) => [k, ['kinds', j]]);
      if (r.kind !== undefined) given.push([r.kind, ['kind']]);
      for (const [k, path] of given) {
        const kind = kinds.get(k);
        if (kind === undefined) report(`unknown kind "${k}"`, at(...path));
        else if (r.retryable && !kind.can_succeed_unchanged && r.transient !== true)
          report(
            `kind ${k} can never succeed unchanged, so the rule makes it retryable only when transient (its condition passes by itself)`,
            at('retryable'),
          );
      }
      if (r.transient === true && !r.retryable) report('a transient rule is retryable', at('transient'));
      if (r.kind !== undefined && r.kinds.length === 1 && r.kinds[0] === r.kind)
        report(`kind ${r.kind} is the kind the rule applies to: leave it out`, at('kind'));
    });
    return findings;
  },
};
