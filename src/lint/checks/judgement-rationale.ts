import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';
import { allEntries } from '../../authoring/model.js';

/** Where no source states a mapping, the reader must be told why it was chosen. */
export const judgementRationale: LintCheck = {
  id: 'judgement-rationale',
  description: 'An entry marked `judgement: true` has a rationale.',
  check(spec) {
    const findings: Finding[] = [];
    for (const entry of allEntries(spec)) {
      if (entry.data.judgement === true && !entry.data.rationale) {
        findings.push({
          rule: this.id,
          level: 'error',
          message: `entry ${entry.data.id} is a judgement without a rationale`,
          position: entry.at('judgement'),
          tip: 'Say why this kind and why this retry decision.',
        });
      }
    }
    return findings;
  },
};
