import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';
import { allEntries } from '../../authoring/model.js';

/** Every kind named by an entry or a profile is one of spec/kinds.yaml. */
export const unknownKind: LintCheck = {
  id: 'unknown-kind',
  description: 'Entries and profile overrides name only kinds defined in kinds.yaml.',
  check(spec) {
    const known = new Set(spec.kinds.map((k) => k.data.id));
    const findings: Finding[] = [];
    const tip = `Known kinds: ${[...known].join(', ')}.`;
    for (const entry of allEntries(spec)) {
      const kind = entry.data.kind;
      if (typeof kind === 'string' && !known.has(kind)) {
        findings.push({
          rule: this.id,
          level: 'error',
          message: `unknown kind "${kind}"`,
          position: entry.at('kind'),
          tip,
        });
      }
    }
    for (const profile of spec.profiles) {
      for (const [id, override] of Object.entries(profile.data.overrides ?? {})) {
        if (typeof override.kind === 'string' && !known.has(override.kind)) {
          findings.push({
            rule: this.id,
            level: 'error',
            message: `unknown kind "${override.kind}" in the override of ${id}`,
            position: profile.file.locate(['overrides', id, 'kind']),
            tip,
          });
        }
      }
    }
    return findings;
  },
};
