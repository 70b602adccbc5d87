import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';

const ROLES_WITH_FALLBACK = new Set(['observation', 'status', 'reason', 'event', 'http']);

/** Totality: every field says what an unlisted, null or missing value means. */
export const fallbackMissing: LintCheck = {
  id: 'fallback-missing',
  description:
    'Every observation, status, reason, event and http field has a fallback entry <field>/*, except a reason field a listed_by dispatch reads (only the values it lists select its body).',
  check(spec) {
    const findings: Finding[] = [];
    // A reason field that a listed_by dispatch reads selects its body only by a value it lists: no fallback decides.
    const listedOnly = new Set(
      spec.fields.flatMap((f) => (f.data.dispatch?.listed_by ? [f.data.dispatch.listed_by] : [])),
    );
    for (const field of spec.fields) {
      if (!ROLES_WITH_FALLBACK.has(field.data.role) || listedOnly.has(field.data.field)) continue;
      if (!field.entries.some((e) => e.data.value === '*')) {
        findings.push({
          rule: this.id,
          level: 'error',
          message: `field ${field.data.field} has no fallback entry ${field.data.field}/*`,
          position: field.at('entries'),
          tip: "Add an entry with value '*' saying what an unlisted, null or missing value means.",
        });
      }
    }
    return findings;
  },
};
