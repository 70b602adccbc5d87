import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';

/** A delay hint says exactly where its value is: a header by name, or a body path whose `[]` selects by `match`. */
export const hintShape: LintCheck = {
  id: 'hint-shape',
  description:
    'Hint ids are unique; a body path with `[]` has match and key (one `[]`, last), any other hint has neither; a text_delay hint is a body hint with `after`, and only it has `after`; pending hints are headers; a judgement hint has a rationale.',
  check(spec) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    spec.actions.data.hints.forEach((h, i) => {
      const at = (key?: string) =>
        spec.actions.file.locate(key === undefined ? ['hints', i] : ['hints', i, key], key !== undefined);
      const report = (message: string, key?: string) =>
        findings.push({ rule: this.id, level: 'error', message: `hint ${h.id}: ${message}`, position: at(key) });
      if (seen.has(h.id)) report('duplicate hint id', 'id');
      seen.add(h.id);
      const each = h.body?.split('.').filter((p) => p.endsWith('[]')).length ?? 0;
      if (each > 1 || (each === 1 && !h.body!.endsWith('[]')))
        report('a body path may select one array element, at its end', 'body');
      if (each === 1 && (h.match === undefined || h.key === undefined))
        report('a `[]` body path needs match and key', 'body');
      if (each === 0 && (h.match !== undefined || h.key !== undefined))
        report('match and key go only with a `[]` body path', h.match !== undefined ? 'match' : 'key');
      if (h.format === 'text_delay' && (h.body === undefined || h.after === undefined))
        report('a text_delay hint reads a body path and names the phrase the delay follows (after)', 'format');
      if (h.format !== 'text_delay' && h.after !== undefined) report('after goes only with format text_delay', 'after');
      if (h.applies_to === 'pending' && h.header === undefined) report('a poll hint is a header', 'applies_to');
      if (h.judgement === true && h.rationale === undefined) report('a judgement without a rationale', 'judgement');
    });
    const actions = new Set<string>();
    spec.actions.data.actions.forEach((a, i) => {
      if (actions.has(a.id))
        findings.push({
          rule: this.id,
          level: 'error',
          message: `duplicate action id "${a.id}"`,
          position: spec.actions.file.locate(['actions', i, 'id']),
        });
      actions.add(a.id);
    });
    return findings;
  },
};
