// The human reporter: what ran, what failed and why, how to replay, and the totals.
import { FAILING, type CaseRecord, type Report } from '../report.js';
import { brief, caseTitle, countsLine, implementationName } from './text.js';

const MAX_LISTED = 25;

export function renderPretty(report: Report, color: boolean): string {
  const paint = (code: number) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const red = paint(31);
  const green = paint(32);
  const yellow = paint(33);
  const dim = paint(2);
  const bold = paint(1);
  const { header, footer } = report;
  const out: string[] = [];
  out.push(bold(`conformance of ${implementationName(report)}`));
  out.push(
    dim(
      `contract ${header.contract_version} · protocol ${header.protocol} · groups ${header.groups.join(', ')} · levels ${header.levels.join(', ')} · seed ${header.seed}` +
        (header.implemented_groups ? ` · the adapter implements ${header.implemented_groups.join(', ')}` : '') +
        (header.baseline ? ` · baseline ${header.baseline}` : ''),
    ),
  );
  const failing = report.cases.filter((c) => FAILING.has(c.status));
  const show = (c: CaseRecord) => {
    const tag = c.status === 'xpass' ? yellow('UNEXPECTED PASS') : c.status === 'error' ? red('ERROR') : red('FAIL');
    out.push(`  ${tag} ${caseTitle(c)}${c.description ? dim(` — ${c.description}`) : ''}`);
    if (c.message) out.push(`       ${c.message}`);
    if (c.status !== 'xpass' && c.observation !== undefined)
      out.push(dim(`       observation: ${brief(c.observation)}`));
  };
  if (failing.length > 0) {
    out.push('');
    failing.slice(0, MAX_LISTED).forEach(show);
    if (failing.length > MAX_LISTED)
      out.push(dim(`  … and ${failing.length - MAX_LISTED} more (use --reporter json for every case)`));
  }
  const property = footer.property;
  if (property) {
    out.push('');
    if (property.replayed !== null) out.push(`property-based: replayed ${property.replayed}`);
    else if (footer.harness_error)
      out.push(
        `property-based: ${property.sent} of ${property.generated - property.outside_groups} cases answered before the harness error`,
      );
    else
      out.push(
        `property-based: ${property.sent} cases sent (${property.generated} generated, ${property.outside_groups} outside the groups run), ${property.disagreements === 0 ? green('no disagreement') : red(`${property.disagreements} disagreement(s)`)}`,
      );
    const f = property.finding;
    if (f) {
      out.push(red(`  minimal disagreement (after ${f.shrinks} shrinks):`));
      out.push(`    observation: ${brief(f.observation, 2000)}`);
      out.push(`    expected:    ${brief(f.expected)}`);
      out.push(`    answered:    ${brief(f.answer)}`);
      out.push(`    replay:      ${f.replay}`);
    } else if (property.replayed !== null) out.push(green('  the replayed case agrees'));
  }
  const total = footer.counts.total ?? 0;
  if (total > 0 && footer.counts.skip === total && !footer.harness_error) {
    out.push(
      yellow(
        'every case was skipped: the adapter implements none of the cases asked for (see --group and the groups it declares)',
      ),
    );
  }
  if (footer.unknown_baseline_ids.length > 0)
    out.push(yellow(`baseline ids not in the suite: ${footer.unknown_baseline_ids.join(', ')}`));
  if (footer.stopped_after !== null) out.push(yellow(`stopped after ${footer.stopped_after} failure(s) (--max-fail)`));
  if (footer.harness_error) {
    out.push('');
    out.push(red(bold(`harness error (${footer.harness_error.failure}): `)) + footer.harness_error.message);
  }
  out.push('');
  const summary = `${countsLine(report)} in ${footer.duration_ms} ms`;
  out.push(footer.exit_code === 0 ? green(summary) : red(summary));
  return out.join('\n') + '\n';
}
