import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';
import type { Located } from '../../authoring/model.js';

/** Data is only as good as its sources: every source id cited must be defined (sources.yaml, or an SDK's own). */
export const missingSource: LintCheck = {
  id: 'missing-source',
  description:
    'Every entry, field, kind, profile, delay hint and the retry policy (and each SDK cap it lists) cites at least one source, and every cited source is defined.',
  check(spec) {
    const known = new Set(Object.keys(spec.sources.data));
    const findings: Finding[] = [];
    const cited = (owner: string, item: Located<{ sources?: string[] }>) => {
      const sources = item.data.sources ?? [];
      if (sources.length === 0) {
        findings.push({ rule: this.id, level: 'error', message: `${owner} cites no source`, position: item.at() });
      }
      sources.forEach((id, i) => {
        if (!known.has(id)) {
          findings.push({
            rule: this.id,
            level: 'error',
            message: `${owner} cites unknown source "${id}"`,
            position: item.file.locate([...item.path, 'sources', i]),
            tip: "Define it in spec/sources.yaml (an SDK's own files: under the SDK's defines_sources in spec/sdks.yaml).",
          });
        }
      });
    };
    for (const field of spec.fields) {
      cited(`field ${field.data.field}`, field);
      for (const entry of field.entries) cited(`entry ${entry.data.id}`, entry);
    }
    for (const kind of spec.kinds) cited(`kind ${kind.data.id}`, kind);
    for (const profile of spec.profiles) cited(`profile ${profile.data.name}`, profile);
    const actions = spec.actions;
    const at = (path: (string | number)[]) => ({
      data: path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], actions.data) as {
        sources?: string[];
      },
      file: actions.file,
      path,
      at: () => actions.file.locate(path),
    });
    cited('retry_policy', at(['retry_policy']));
    actions.data.retry_policy.sdk_caps.forEach((c, i) =>
      cited(`retry_policy.sdk_caps ${c.sdk} ${c.version}`, at(['retry_policy', 'sdk_caps', i])),
    );
    actions.data.hints.forEach((h, i) => cited(`hint ${h.id}`, at(['hints', i])));
    (actions.data.message_rules ?? []).forEach((r, i) => cited(`message rule ${r.id}`, at(['message_rules', i])));
    return findings;
  },
};
