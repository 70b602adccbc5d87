import type { SourcesFile } from '../../../generated/authoring-types.js';
import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';

/**
 * The kinds' bindings agree with how each SDK of spec/sdks.yaml dispatches HTTP statuses: a status with a class of
 * its own binds a class other than the fallback, exactly; any other status binds the fallback, exactly only when the
 * SDK tells statuses apart by a field (openai-go's one Error type and its StatusCode). Also: ids unique, sources known,
 * and a source an SDK defines (defines_sources) defined nowhere else.
 */
export const sdkBindings: LintCheck = {
  id: 'sdk-bindings',
  description:
    "Each kind's binding in an SDK matches that SDK's status classes and fallback; SDK ids are unique and cite known sources; a source an SDK defines is defined nowhere else.",
  check(spec) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    // Where each source id is defined: spec/sources.yaml, or the SDK that defines it.
    const definedBy = new Map(
      Object.keys((spec.sources.file.data as SourcesFile).sources).map((id) => [id, 'spec/sources.yaml']),
    );
    for (const sdk of spec.sdks) {
      const s = sdk.data;
      for (const id of Object.keys(s.defines_sources ?? {})) {
        const other = definedBy.get(id);
        if (other !== undefined)
          findings.push({
            rule: this.id,
            level: 'error',
            message: `SDK ${s.id}: source "${id}" is already defined in ${other}`,
            position: sdk.file.locate([...sdk.path, 'defines_sources', id], true),
          });
        else definedBy.set(id, `SDK ${s.id}`);
      }
      if (seen.has(s.id))
        findings.push({ rule: this.id, level: 'error', message: `duplicate SDK id "${s.id}"`, position: sdk.at('id') });
      seen.add(s.id);
      s.sources.forEach((id, i) => {
        if (!(id in spec.sources.data))
          findings.push({
            rule: this.id,
            level: 'error',
            message: `SDK ${s.id}: unknown source "${id}"`,
            position: sdk.file.locate([...sdk.path, 'sources', i]),
          });
      });
      for (const kind of spec.kinds) {
        const status = kind.data.http_status;
        if (status === null || status === undefined) continue;
        const binding = (kind.data as unknown as Record<string, { class: string; exact: boolean }>)[s.id];
        if (!binding) continue; // the schema reports a missing binding
        const own = status !== 'other' && (s.status_classes as (number | string)[]).includes(status);
        const at = kind.file.locate([...kind.path, s.id, 'class']);
        const where = `kind ${kind.data.id} (HTTP ${status}) in ${s.label}`;
        if (own && (binding.class === s.fallback || !binding.exact)) {
          findings.push({
            rule: this.id,
            level: 'error',
            message: `${where}: ${s.label} raises a class of its own for this status, so the binding must name it exactly, not ${binding.class}`,
            position: at,
            tip: 'Name the class, or remove the status from status_classes in sdks.yaml.',
          });
        } else if (!own && binding.class !== s.fallback) {
          findings.push({
            rule: this.id,
            level: 'error',
            message: `${where}: ${s.label} has no class of its own for this status and raises ${s.fallback}, not ${binding.class}`,
            position: at,
            tip: 'Bind the fallback class, or add the status to status_classes in sdks.yaml.',
          });
        } else if (!own && status !== 'other' && binding.exact !== (s.status_field !== undefined)) {
          findings.push({
            rule: this.id,
            level: 'error',
            message: `${where}: the fallback ${s.fallback} is exact only for an SDK that tells statuses apart by a status_field`,
            position: kind.file.locate([...kind.path, s.id, 'exact']),
          });
        }
      }
    }
    return findings;
  },
};
