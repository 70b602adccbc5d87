import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';

/** Every action named by a kind, an entry, a profile override, a message rule or the retry policy is one of spec/actions.yaml. */
export const unknownAction: LintCheck = {
  id: 'unknown-action',
  description:
    'Kinds, entries, profile overrides, message rules, no_kind and the retry policy name only actions defined in actions.yaml.',
  check(spec) {
    const known = new Set(spec.actions.data.actions.map((a) => a.id));
    const tip = `Known actions: ${[...known].join(', ')}.`;
    const findings: Finding[] = [];
    const expect = (action: string | undefined, where: string, position: Finding['position']) => {
      if (action !== undefined && !known.has(action))
        findings.push({ rule: this.id, level: 'error', message: `unknown action "${action}"${where}`, position, tip });
    };
    for (const kind of spec.kinds) expect(kind.data.action, ` (kind ${kind.data.id})`, kind.at('action'));
    for (const entry of spec.fields.flatMap((f) => f.entries))
      expect(entry.data.action, ` (entry ${entry.data.id})`, entry.at('action'));
    for (const profile of spec.profiles) {
      for (const [id, override] of Object.entries(profile.data.overrides ?? {})) {
        expect(override.action, ` in the override of ${id}`, profile.file.locate(['overrides', id, 'action']));
      }
    }
    const actions = spec.actions;
    expect(actions.data.no_kind, ' (no_kind)', actions.at('no_kind'));
    (actions.data.message_rules ?? []).forEach((r, i) =>
      expect(r.action, ` (message rule ${r.id})`, actions.file.locate(['message_rules', i, 'action'])),
    );
    for (const key of ['beyond_horizon', 'should_retry_true', 'should_retry_false'] as const) {
      expect(actions.data.retry_policy[key], ` (retry_policy.${key})`, actions.file.locate(['retry_policy', key]));
    }
    return findings;
  },
};
