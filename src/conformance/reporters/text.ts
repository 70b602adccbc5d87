// Text helpers shared by the reporters.
import type { CaseRecord, Report } from '../report.js';

/** A value as one line of JSON, cut to `max` characters. */
export function brief(value: unknown, max = 300): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

export function implementationName(report: Report): string {
  const i = report.header.implementation;
  return i ? `${i.name} ${i.version} (${i.language})` : report.header.adapter;
}

/** The one-line summary every reporter ends with. */
export function countsLine(report: Report): string {
  const c = report.footer.counts;
  const parts = [`${c.pass} passed`, `${c.fail} failed`];
  if (c.error) parts.push(`${c.error} errored`);
  if (c.skip) parts.push(`${c.skip} skipped`);
  if (c.xfail) parts.push(`${c.xfail} expected failures`);
  if (c.xpass) parts.push(`${c.xpass} unexpected passes`);
  return parts.join(', ');
}

export function caseTitle(record: CaseRecord): string {
  return `${record.group}: ${record.id}`;
}
