// Markdown for a CI step summary ($GITHUB_STEP_SUMMARY): a table of counts per group, failures, the property finding.
import { CASE_STATUSES, FAILING, type Report } from '../report.js';
import { brief, countsLine, implementationName } from './text.js';

const MAX_LISTED = 50;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) =>
  text.includes('`') ? `<code>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</code>` : `\`${text}\``;

export function renderMarkdown(report: Report): string {
  const { header, footer } = report;
  const verdict =
    footer.exit_code === 0 ? '✅ conforms' : footer.exit_code === 1 ? '❌ does not conform' : '⚠️ could not be run';
  const out: string[] = [];
  out.push(`## Conformance: ${cell(implementationName(report))} ${verdict}`, '');
  out.push(
    `Contract ${header.contract_version}, protocol ${header.protocol}, seed ${header.seed}${header.baseline ? `, baseline ${code(header.baseline)}` : ''}.`,
    '',
  );
  out.push(`| group | ${CASE_STATUSES.join(' | ')} |`, `|---|${CASE_STATUSES.map(() => '---:').join('|')}|`);
  for (const [group, counts] of Object.entries(footer.by_group))
    out.push(`| ${group} | ${CASE_STATUSES.map((s) => counts[s]).join(' | ')} |`);
  out.push(`| **total** | ${CASE_STATUSES.map((s) => `**${footer.counts[s]}**`).join(' | ')} |`, '');
  const failing = report.cases.filter((c) => FAILING.has(c.status));
  if (failing.length > 0) {
    out.push('| case | status | why |', '|---|---|---|');
    for (const c of failing.slice(0, MAX_LISTED))
      out.push(`| ${code(c.id)} | ${c.status} | ${cell(c.message ?? '')} |`);
    if (failing.length > MAX_LISTED) out.push(`| … | | ${failing.length - MAX_LISTED} more |`);
    out.push('');
  }
  const f = footer.property?.finding;
  if (f) {
    out.push('**Minimal property-based disagreement**', '', '```json', brief(f.observation, 4000), '```', '');
    out.push(
      `Expected \`${brief(f.expected)}\`, answered \`${brief(f.answer)}\`. Replay:`,
      '',
      '```sh',
      f.replay,
      '```',
      '',
    );
  }
  if (footer.harness_error)
    out.push(`**Harness error (${footer.harness_error.failure})**`, '', '```', footer.harness_error.message, '```', '');
  out.push(`${countsLine(report)} in ${footer.duration_ms} ms.`);
  return out.join('\n') + '\n';
}
