import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';
import { allEntries } from '../../authoring/model.js';

/** An entry's http_status is the status whose SDK class is the entry's kind. */
export const httpStatusKind: LintCheck = {
  id: 'http-status-kind',
  description:
    'http_status agrees with the kind: its own status, >=500 for internal_server_error, an unowned status (or null: any) for api_status_error, null for kinds without HTTP.',
  check(spec) {
    const kinds = new Map(spec.kinds.map((k) => [k.data.id, k.data]));
    const owned = new Set(spec.kinds.map((k) => k.data.http_status).filter((s): s is number => typeof s === 'number'));
    const findings: Finding[] = [];
    for (const entry of allEntries(spec)) {
      const { kind, http_status: status } = entry.data;
      if (typeof kind !== 'string' || status === undefined) continue;
      const expected = kinds.get(kind)?.http_status;
      if (expected === undefined) continue; // unknown-kind reports it
      let problem: string | undefined;
      if (typeof expected === 'number' && status !== expected) problem = `must be ${expected}`;
      else if (expected === '>=500' && (status === null || status < 500)) problem = 'must be a status >= 500';
      else if (expected === 'other' && status !== null && (status < 300 || owned.has(status) || status >= 500))
        problem = `must be null (any such status) or a non-2xx status below 500 that no other kind owns (owned: ${[...owned].sort().join(', ')})`;
      else if (expected === null && status !== null) problem = 'must be null (the kind has no HTTP status)';
      if (problem) {
        findings.push({
          rule: this.id,
          level: 'error',
          message: `entry ${entry.data.id}: http_status ${status} ${problem} for kind ${kind}`,
          position: entry.at('http_status'),
        });
      }
    }
    return findings;
  },
};
