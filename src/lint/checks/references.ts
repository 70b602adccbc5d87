import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';

/** Names that point elsewhere (refined_by, shares_values_with, partial_failure, yields_to, replaced_by, profile overrides) resolve, to the right role. */
export const references: LintCheck = {
  id: 'references',
  description:
    'refined_by names reason fields, delegate_object a dispatched object, partial_failure a count or items field, yields_to a refined entry of the same field, severity ranks every settling value of a field of several values and filter_results names a ranked one, shares_values_with a vocabulary; replaced_by and profile overrides name entries; exclude_fields names fields; dispatch objects, keys, types, listed_by fields and the otherwise field are unique, shapes go with an object or a type, listed_by names a reason field read at keys of the body (no [] and not $) that refines an entry of the field; reported_error names an entry of its status field; error_object, on the event field, names a vocabulary and a dispatched object; only vocabularies have no path.',
  check(spec) {
    const fields = new Map(spec.fields.map((f) => [f.data.field, f.data]));
    const entryIds = new Set(spec.fields.flatMap((f) => f.entries.map((e) => e.data.id)));
    const findings: Finding[] = [];
    const expectRole = (name: string, role: string | string[], report: (m: string) => void) => {
      const target = fields.get(name);
      const roles = typeof role === 'string' ? [role] : role;
      if (!target) report(`unknown field "${name}"`);
      else if (!roles.includes(target.role))
        report(`field "${name}" has role ${target.role}, expected ${roles.join(' or ')}`);
    };
    const dispatched = new Map<string, string>();
    // The object names a delegated value may be read as (delegate_object): those a status field is dispatched on.
    const dispatchedObjects = new Set(
      spec.fields.flatMap((o) =>
        o.data.role === 'status' && o.data.dispatch?.object !== undefined
          ? [o.data.dispatch.object, ...(o.data.dispatch.object_aliases ?? [])]
          : [],
      ),
    );
    for (const field of spec.fields) {
      const f = field.data;
      // An error at one key of the field, its message prefixed as given.
      const reportAt =
        (key: string, prefix = '') =>
        (message: string) =>
          findings.push({ rule: this.id, level: 'error', message: prefix + message, position: field.at(key) });
      if (f.shares_values_with)
        expectRole(f.shares_values_with, 'vocabulary', reportAt('shares_values_with', 'shares_values_with: '));
      const reported = f.reported_error;
      if (
        reported !== undefined &&
        (f.role !== 'status' || !field.entries.some((e) => e.data.value === reported.value))
      )
        findings.push({
          rule: this.id,
          level: 'error',
          message:
            f.role !== 'status'
              ? 'reported_error is read only on status fields'
              : `reported_error: the field has no entry for "${reported.value}"`,
          position: field.at('reported_error'),
        });
      const errorObject = f.error_object;
      if (errorObject !== undefined) {
        const report = reportAt('error_object');
        if (f.role !== 'event') report('error_object is read only on the event field');
        expectRole(errorObject.types, 'vocabulary', (m) => report(`error_object.types: ${m}`));
        if (!spec.fields.some((o) => o.data.role === 'status' && o.data.dispatch?.object === errorObject.object))
          report(`error_object.object: no status field is dispatched on object "${errorObject.object}"`);
      }
      if (f.integer_status && f.role !== 'vocabulary')
        findings.push({
          rule: this.id,
          level: 'error',
          message: `integer_status is read only on vocabulary fields`,
          position: field.at('integer_status'),
        });
      const severity = f.severity;
      if (severity !== undefined) {
        // The order of the values that settle an outcome, for a field that reads several: every such value, once.
        const report = reportAt('severity', 'severity: ');
        const settles = (e: { value: string; outcome?: string }) =>
          e.value !== '*' && e.outcome !== 'completed' && e.outcome !== 'pending';
        const settling = new Set(field.entries.filter((e) => settles(e.data)).map((e) => e.data.value));
        if (f.role !== 'status' || !(f.path ?? '').includes('[]'))
          report('is read only on status fields whose path reads several values ([])');
        for (const value of severity)
          if (!settling.has(value)) report(`"${value}" is no value of the field whose entry settles an outcome`);
        for (const value of settling)
          if (!severity.includes(value)) report(`the settling value "${value}" is not ranked`);
      }
      const filterResults = f.filter_results;
      if (filterResults !== undefined) {
        // A flagged element reads as one more value, ranked by severity: only where several values are read.
        const report = reportAt('filter_results', 'filter_results: ');
        if (f.role !== 'status' || !(f.path ?? '').includes('[]') || !filterResults.path.includes('[]'))
          report('is read only on status fields whose path reads several values ([]), at a [] path');
        if (!(f.severity ?? []).includes(filterResults.value))
          report(`the value "${filterResults.value}" is not one the field's severity ranks`);
      }
      if ((f.path === undefined) !== (f.role === 'vocabulary'))
        findings.push({
          rule: this.id,
          level: 'error',
          message:
            f.role === 'vocabulary'
              ? `a vocabulary has no path: the fields that share it read it`
              : `field ${f.field} needs a path`,
          position: field.at('field'),
        });
      if (f.dispatch) {
        const name =
          f.dispatch.object !== undefined
            ? `object "${f.dispatch.object}"`
            : f.dispatch.key !== undefined
              ? `key "${f.dispatch.key}"`
              : f.dispatch.type !== undefined
                ? `type "${f.dispatch.type}"`
                : f.dispatch.listed_by !== undefined
                  ? `listed_by "${f.dispatch.listed_by}"`
                  : 'otherwise';
        // Every name that selects this field (its object or key, its aliases, its id prefix) selects no other.
        const claims = [
          name,
          ...(f.dispatch.object_aliases ?? []).map((alias) => `object "${alias}"`),
          ...(f.dispatch.id_prefix !== undefined ? [`id prefix "${f.dispatch.id_prefix}"`] : []),
        ];
        for (const claimed of claims) {
          const other = dispatched.get(claimed);
          if (other)
            findings.push({
              rule: this.id,
              level: 'error',
              message: `${claimed} is already dispatched to field ${other}`,
              position: field.at('dispatch'),
            });
          dispatched.set(claimed, f.field);
        }
      }
      if (f.dispatch?.id_prefix !== undefined) {
        if (f.dispatch.object === undefined)
          findings.push({
            rule: this.id,
            level: 'error',
            message: `id_prefix goes with dispatch.object`,
            position: field.at('dispatch'),
          });
      }
      if (f.dispatch?.shape !== undefined && f.dispatch.object === undefined && f.dispatch.type === undefined)
        findings.push({
          rule: this.id,
          level: 'error',
          message: `shape goes with dispatch.object or dispatch.type`,
          position: field.at('dispatch'),
        });
      const listedBy = f.dispatch?.listed_by;
      if (listedBy !== undefined) {
        const report = reportAt('dispatch', 'dispatch.listed_by: ');
        expectRole(listedBy, 'reason', report);
        const path = fields.get(listedBy)?.path;
        if (path !== undefined && (path === '$' || path.includes('[]')))
          report(`field "${listedBy}" reads ${path}, not keys of the body (no [] and not $)`);
        if (!field.entries.some((e) => e.data.refined_by?.includes(listedBy)))
          report(`no entry of ${f.field} is refined by "${listedBy}"`);
      }
      if (f.role === 'status' && !f.dispatch)
        findings.push({
          rule: this.id,
          level: 'error',
          message: `status field ${f.field} needs dispatch (object, key, type, listed_by or otherwise)`,
          position: field.at('field'),
        });
      if (f.role !== 'status' && f.dispatch)
        findings.push({
          rule: this.id,
          level: 'error',
          message: `only status fields are dispatched on object`,
          position: field.at('dispatch'),
        });
      for (const entry of field.entries) {
        const e = entry.data;
        e.refined_by?.forEach((name, i) =>
          expectRole(name, 'reason', (m) =>
            findings.push({
              rule: this.id,
              level: 'error',
              message: `entry ${e.id}: refined_by: ${m}`,
              position: entry.file.locate([...entry.path, 'refined_by', i]),
            }),
          ),
        );
        for (const key of ['delegate_status', 'delegate_object'] as const)
          if (e[key] !== undefined && e.delegate === undefined)
            findings.push({
              rule: this.id,
              level: 'error',
              message: `entry ${e.id}: ${key} goes with delegate`,
              position: entry.at(key),
            });
        if (e.delegate_object !== undefined && !dispatchedObjects.has(e.delegate_object))
          findings.push({
            rule: this.id,
            level: 'error',
            message: `entry ${e.id}: delegate_object ${e.delegate_object} is no object a status field is dispatched on`,
            position: entry.at('delegate_object'),
          });
        if (e.partial_failure)
          expectRole(e.partial_failure, ['count', 'items'], (m) =>
            findings.push({
              rule: this.id,
              level: 'error',
              message: `entry ${e.id}: partial_failure: ${m}`,
              position: entry.at('partial_failure'),
            }),
          );
        if (e.yields_to !== undefined) {
          // The entry yielded to reads its reason fields beside this one: it is of the same field, and refined.
          const target = field.entries.find((other) => other.data.id === e.yields_to)?.data;
          const problem =
            target === undefined
              ? entryIds.has(e.yields_to)
                ? `names "${e.yields_to}", an entry of another field`
                : `names unknown entry "${e.yields_to}"`
              : target.refined_by === undefined
                ? `names "${e.yields_to}", which has no refined_by`
                : undefined;
          if (problem !== undefined)
            findings.push({
              rule: this.id,
              level: 'error',
              message: `entry ${e.id}: yields_to ${problem}`,
              position: entry.at('yields_to'),
            });
        }
        if (e.deprecated?.replaced_by && !entryIds.has(e.deprecated.replaced_by)) {
          findings.push({
            rule: this.id,
            level: 'error',
            message: `entry ${e.id}: replaced_by names unknown entry "${e.deprecated.replaced_by}"`,
            position: entry.file.locate([...entry.path, 'deprecated', 'replaced_by']),
          });
        }
      }
    }
    for (const profile of spec.profiles) {
      for (const id of Object.keys(profile.data.overrides ?? {})) {
        if (!entryIds.has(id))
          findings.push({
            rule: this.id,
            level: 'error',
            message: `profile ${profile.data.name} overrides unknown entry "${id}"`,
            position: profile.file.locate(['overrides', id], true),
          });
      }
      (profile.data.exclude_fields ?? []).forEach((name, i) => {
        if (!fields.has(name))
          findings.push({
            rule: this.id,
            level: 'error',
            message: `profile ${profile.data.name} excludes unknown field "${name}"`,
            position: profile.file.locate(['exclude_fields', i]),
          });
      });
    }
    return findings;
  },
};
