import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';
import type { Position } from '../../authoring/located.js';

/** Ids are how consumers refer to entries, kinds, fields and profiles: each must name exactly one thing. */
export const duplicateId: LintCheck = {
  id: 'duplicate-id',
  description: 'Entry, kind, field and profile ids are unique.',
  check(spec) {
    const findings: Finding[] = [];
    const unique = (what: string, items: { id: string; at: Position }[]) => {
      const first = new Map<string, Position>();
      for (const { id, at } of items) {
        const seen = first.get(id);
        if (seen) {
          findings.push({
            rule: this.id,
            level: 'error',
            message: `duplicate ${what} "${id}" (first at ${seen.file}:${seen.line}:${seen.col})`,
            position: at,
          });
        } else first.set(id, at);
      }
    };
    unique(
      'entry id',
      spec.fields.flatMap((f) => f.entries.map((e) => ({ id: e.data.id, at: e.at('id') }))),
    );
    unique(
      'kind id',
      spec.kinds.map((k) => ({ id: k.data.id, at: k.at('id') })),
    );
    unique(
      'field',
      spec.fields.map((f) => ({ id: f.data.field, at: f.at('field') })),
    );
    unique(
      'profile',
      spec.profiles.map((p) => ({ id: p.data.name, at: p.at('name') })),
    );
    return findings;
  },
};
