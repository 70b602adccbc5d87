// One answer -> one case record: compare, then apply the baseline.
import { expectedFailure, type Baseline } from './baseline.js';
import { compareResult, formatMismatches, matches } from './compare.js';
import type { AnswerMessage } from '../../generated/conformance-types.js';
import type { CaseRecord } from './report.js';
import type { Group, Level } from './schemas.js';
import type { Expected } from './vectors.js';

interface CaseInput {
  id: string;
  group: Group;
  level: Level;
  description?: string;
  observation: unknown;
  expected: Expected;
  /** Whether a baseline may name this case by id (vectors), so that it can pass unexpectedly. */
  stableId: boolean;
}

export function evaluate(input: CaseInput, answer: AnswerMessage, baseline: Baseline | undefined): CaseRecord {
  // The common case first, allocating one small record: a result that matches and no baseline entry for it.
  if ('result' in answer && baseline === undefined && matches(input.expected, answer.result)) {
    return input.description === undefined
      ? { type: 'case', id: input.id, group: input.group, level: input.level, status: 'pass' }
      : {
          type: 'case',
          id: input.id,
          group: input.group,
          level: input.level,
          status: 'pass',
          description: input.description,
        };
  }
  const record: CaseRecord = { type: 'case', id: input.id, group: input.group, level: input.level, status: 'pass' };
  if (input.description !== undefined) record.description = input.description;
  if ('skipped' in answer) {
    record.status = 'skip';
    record.message = answer.skipped;
    return record;
  }
  const known = expectedFailure(
    baseline,
    input.stableId ? input.id : undefined,
    input.expected.entry,
    input.expected.rule,
  );
  if ('error' in answer) {
    record.status = known ? 'xfail' : 'error';
    record.message = known
      ? `expected failure: ${known.reason} (the implementation errored: ${answer.error})`
      : answer.error;
    record.observation = input.observation;
    record.expected = input.expected;
    return record;
  }
  const mismatches = compareResult(input.expected, answer.result);
  if (mismatches.length === 0) {
    if (known?.byId) {
      record.status = 'xpass';
      record.message = `passed, but the baseline expects it to fail (${known.reason}): remove it from ${baseline!.path}`;
    }
    return record;
  }
  record.status = known ? 'xfail' : 'fail';
  record.message = known ? `expected failure: ${known.reason}` : formatMismatches(mismatches);
  record.mismatches = mismatches;
  record.observation = input.observation;
  record.expected = input.expected;
  record.actual = answer.result;
  return record;
}
