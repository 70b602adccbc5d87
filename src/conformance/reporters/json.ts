// JSON lines: the header, one line per case, the footer (schemas/protocol/report.schema.json).
import type { Report } from '../report.js';

export function renderJson(report: Report): string {
  const lines = [JSON.stringify(report.header)];
  for (const record of report.cases) lines.push(JSON.stringify(record));
  lines.push(JSON.stringify(report.footer));
  return lines.join('\n') + '\n';
}
