// TAP version 14: one test point per case; skips as # SKIP, expected failures as # TODO, harness errors as Bail out!
import type { CaseRecord, Report } from '../report.js';
import { countsLine, implementationName } from './text.js';

/** A test point description may not contain an unescaped # (it starts a directive) or a line break. */
const description = (text: string) =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/#/g, '\\#')
    .replace(/[\r\n]+/g, ' ');
const directive = (text: string) => text.replace(/[\r\n]+/g, ' ');

/** The YAML diagnostics block; JSON is valid YAML flow, so every value is written as JSON. */
function diagnostics(record: CaseRecord): string[] {
  const fields: [string, unknown][] = [
    ['message', record.message],
    ['severity', record.status],
    ['expected', record.expected],
    ['actual', record.actual],
    ['observation', record.observation],
  ];
  const lines = fields.filter(([, v]) => v !== undefined).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`);
  return lines.length > 0 ? ['  ---', ...lines, '  ...'] : [];
}

export function renderTap(report: Report): string {
  const out = [
    'TAP version 14',
    `# conformance of ${directive(implementationName(report))}, contract ${report.header.contract_version}, seed ${report.header.seed}`,
  ];
  out.push(`1..${report.cases.length}`);
  report.cases.forEach((record, i) => {
    const title = `${i + 1} - ${description(`${record.group}: ${record.id}`)}`;
    switch (record.status) {
      case 'pass':
        out.push(`ok ${title}`);
        break;
      case 'skip':
        out.push(`ok ${title} # SKIP ${directive(record.message ?? '')}`);
        break;
      case 'xfail':
        out.push(`not ok ${title} # TODO ${directive(record.message ?? 'expected failure')}`, ...diagnostics(record));
        break;
      default:
        out.push(`not ok ${title}`, ...diagnostics(record));
    }
  });
  const finding = report.footer.property?.finding;
  if (finding)
    out.push(
      `# minimal property-based disagreement: ${JSON.stringify(finding.observation)}`,
      `# replay: ${finding.replay}`,
    );
  if (report.footer.harness_error) out.push(`Bail out! ${directive(report.footer.harness_error.message)}`);
  out.push(`# ${countsLine(report)}`);
  return out.join('\n') + '\n';
}
