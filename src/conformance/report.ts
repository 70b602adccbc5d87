// The report of one conformance run: a header, one record per case, a footer. Every reporter renders this. The
// lines' types are generated from schemas/protocol/report.schema.json (generated/conformance-types.ts).
import type { CaseRecord, CaseStatus, ReportFooter, ReportHeader } from '../../generated/conformance-types.js';
import { protocolSchema } from './schemas.js';

export type { CaseRecord, CaseStatus, ReportFooter, ReportHeader };

/** In the order of schemas/protocol/report.schema.json, which defines them. */
export const CASE_STATUSES = (protocolSchema('report').$defs as { status: { enum: CaseStatus[] } }).status.enum;
/** The statuses that make a run fail (exit 1). */
export const FAILING: ReadonlySet<CaseStatus> = new Set(['fail', 'error', 'xpass']);

/** The smallest disagreement the property-based cases found, shrunk with the adapter in the loop. */
export type PropertyFinding = NonNullable<NonNullable<ReportFooter['property']>['finding']>;

export interface Report {
  header: ReportHeader;
  cases: CaseRecord[];
  footer: ReportFooter;
}

export function emptyCounts(): Record<CaseStatus, number> {
  return Object.fromEntries(CASE_STATUSES.map((s) => [s, 0])) as Record<CaseStatus, number>;
}
