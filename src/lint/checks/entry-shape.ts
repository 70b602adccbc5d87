import type { LintCheck } from '../check.js';
import type { Finding } from '../finding.js';

/** What each role's entries must carry for the procedure (spec/PROCEDURE.md) to have an answer. */
export const entryShape: LintCheck = {
  id: 'entry-shape',
  description:
    'Deciding entries have kind, retryable and http_status; status entries have an outcome; refined_by, delegate, envelope, relayed_status, partial_failure and yields_to appear only where the procedure reads them; count entries are >0; a vocabulary has no fallback.',
  check(spec) {
    const findings: Finding[] = [];
    for (const field of spec.fields) {
      const role = field.data.role;
      for (const entry of field.entries) {
        const e = entry.data;
        const report = (message: string, key?: string) =>
          findings.push({
            rule: this.id,
            level: 'error',
            message: `entry ${e.id}: ${message}`,
            position: entry.at(key),
          });
        // A delegating entry with a kind of its own decides when its key holds no object: it does not defer.
        const defers = e.refined_by !== undefined || (e.delegate !== undefined && e.kind === undefined);
        if (e.refined_by && e.delegate) report('has both refined_by and delegate', 'delegate');
        if (e.refined_by && role !== 'status' && role !== 'event')
          report('refined_by is read only on status and event entries', 'refined_by');
        if (e.delegate && role !== 'event' && role !== 'status')
          report('delegate is read only on event and status entries', 'delegate');
        if (e.envelope && role !== 'event' && role !== 'status')
          report('envelope is read only on event and status entries', 'envelope');
        if (e.relayed_status !== undefined && role !== 'reason' && role !== 'vocabulary')
          report('relayed_status is read only on reason and vocabulary entries (step 4)', 'relayed_status');
        if (e.partial_failure && (role !== 'status' || defers))
          report('partial_failure is read only on deciding status entries', 'partial_failure');
        // A completed status yields to its refined sibling; one value is read, so not on a field of several values.
        if (
          e.yields_to !== undefined &&
          (role !== 'status' || defers || e.envelope !== undefined || (field.data.path ?? '').includes('[]'))
        )
          report(
            'yields_to is read only on deciding status entries without an envelope, of a single-valued field',
            'yields_to',
          );
        if (role === 'vocabulary' && e.value === '*')
          report('a vocabulary has no fallback: each field that shares it keeps its own', 'value');
        if (defers) {
          for (const key of ['kind', 'retryable', 'http_status', 'throttling'] as const) {
            if (e[key] !== undefined) report(`${key} is never read on an entry that defers (refined_by/delegate)`, key);
          }
        } else {
          for (const key of ['kind', 'retryable', 'http_status'] as const) {
            if (e[key] === undefined)
              report(`missing "${key}" (a deciding entry gives the kind and the retry decision)`);
          }
        }
        const needsOutcome =
          role === 'observation' ||
          role === 'count' ||
          role === 'items' ||
          ((role === 'status' || role === 'event') && (e.delegate === undefined || e.kind !== undefined));
        if (needsOutcome && e.outcome === undefined)
          report(`missing "outcome" (entries of ${role} fields give the outcome)`);
        // Reason and vocabulary entries may replace the consulting entry's outcome (a steered Response is completed).
        if (!needsOutcome && e.outcome !== undefined && !['event', 'reason', 'vocabulary'].includes(role))
          report(`outcome is never read on ${role} entries (the status gives it)`, 'outcome');
        if (e.kind === null && e.outcome !== undefined && !['pending', 'completed'].includes(e.outcome))
          report(`outcome ${e.outcome} needs a kind (only pending and completed have none)`, 'kind');
        if (typeof e.kind === 'string' && (e.outcome === 'pending' || e.outcome === 'completed'))
          report(`outcome ${e.outcome} has no exception: kind must be null`, 'kind');
        if (role === 'count' && e.value !== '>0') report(`count entries have value ">0"`, 'value');
      }
    }
    return findings;
  },
};
