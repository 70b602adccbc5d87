import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';
import { allEntries } from '../../authoring/model.js';

/** A kind whose identical request can never succeed (a bad request, bad credentials, a truncation) cannot be retryable. */
export const retryableKind: LintCheck = {
  id: 'retryable-kind',
  description: 'No entry is retryable when its kind can never succeed unchanged, unless it is transient (a judgement).',
  check(spec) {
    const never = new Set(spec.kinds.filter((k) => !k.data.can_succeed_unchanged).map((k) => k.data.id));
    const findings: Finding[] = [];
    for (const entry of allEntries(spec)) {
      // A transient entry is the documented exception: its condition passes by itself, which is a judgement.
      if (entry.data.transient === true && entry.data.judgement !== true) {
        findings.push({
          rule: this.id,
          level: 'error',
          message: `entry ${entry.data.id} is transient, which is a judgement: set judgement: true and give the rationale`,
          position: entry.at('transient'),
        });
      }
      if (
        entry.data.retryable === true &&
        typeof entry.data.kind === 'string' &&
        never.has(entry.data.kind) &&
        entry.data.transient !== true
      ) {
        findings.push({
          rule: this.id,
          level: 'error',
          message: `entry ${entry.data.id} is retryable, but kind ${entry.data.kind} can never succeed unchanged`,
          position: entry.at('retryable'),
          tip: 'Choose a kind whose class callers retry, or make it not retryable.',
        });
      }
    }
    return findings;
  },
};
