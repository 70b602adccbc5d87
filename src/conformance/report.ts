// The report of one conformance run: a header, one record per case, a footer. Every reporter renders this.
import type { HarnessFailure } from './adapter-process.js';
import type { Mismatch } from './compare.js';
import type { AnswerResult, ImplementationInfo } from './protocol.js';
import { protocolSchema, type Group, type Level } from './schemas.js';
import type { Expected } from './vectors.js';

/**
 * pass; fail (a result that differs); error (the implementation said it failed on the case); skip (the adapter
 * skipped it, or does not implement its group); xfail (a failure the baseline expects); xpass (a vector the
 * baseline expects to fail passed).
 */
export type CaseStatus = 'pass' | 'fail' | 'error' | 'skip' | 'xfail' | 'xpass';
/** In the order of schemas/protocol/report.schema.json, which defines them. */
export const CASE_STATUSES = (protocolSchema('report').$defs as { status: { enum: CaseStatus[] } }).status.enum;
/** The statuses that make a run fail (exit 1). */
export const FAILING: ReadonlySet<CaseStatus> = new Set(['fail', 'error', 'xpass']);

export interface CaseRecord {
  type: 'case';
  /** A vector id, or `property:<n>` for the n-th property-based case of the seed. */
  id: string;
  group: Group;
  level: Level;
  status: CaseStatus;
  description?: string;
  /** Why: the error, the skip reason, the baseline's reason, or the differences. */
  message?: string;
  mismatches?: Mismatch[];
  observation?: unknown;
  expected?: Expected;
  actual?: AnswerResult;
}

export interface ReportHeader {
  type: 'header';
  runner: { name: string; version: string };
  protocol: number;
  contract_version: string;
  /** The profile the run classified under. */
  profile: string;
  adapter: string;
  implementation: ImplementationInfo | null;
  /** The groups the adapter implements (all when it did not say). */
  implemented_groups: Group[] | null;
  groups: Group[];
  levels: Level[];
  seed: number;
  runs: number;
  baseline: string | null;
}

export interface PropertyFinding {
  /** The smallest disagreeing observation found by shrinking with the adapter in the loop. */
  observation: unknown;
  expected: Expected;
  /** What the adapter answered for it. */
  answer: { result?: AnswerResult; error?: string; skipped?: string };
  mismatches: Mismatch[];
  /** fast-check's path of the counterexample: `--seed <seed> --replay <path>` replays it. */
  path: string;
  shrinks: number;
  replay: string;
}

export interface ReportFooter {
  type: 'footer';
  counts: Record<CaseStatus, number> & { total: number };
  by_group: Partial<Record<Group, Record<CaseStatus, number>>>;
  property: {
    generated: number;
    sent: number;
    /** Generated cases outside the groups run or implemented, not sent. */
    outside_groups: number;
    disagreements: number;
    finding: PropertyFinding | null;
    replayed: string | null;
  } | null;
  /** Baseline vector ids that no vector of the suite has. */
  unknown_baseline_ids: string[];
  /** Set when --max-fail stopped the run early. */
  stopped_after: number | null;
  harness_error: { failure: HarnessFailure | 'internal'; message: string } | null;
  duration_ms: number;
  exit_code: 0 | 1 | 2;
}

export interface Report {
  header: ReportHeader;
  cases: CaseRecord[];
  footer: ReportFooter;
}

export function emptyCounts(): Record<CaseStatus, number> {
  return Object.fromEntries(CASE_STATUSES.map((s) => [s, 0])) as Record<CaseStatus, number>;
}
