// JUnit XML: a testsuite per group, a testcase per case; failures and errors as such, skips and expected failures
// as <skipped>, a harness error as an errored testcase of its own.
import { GROUPS } from '../schemas.js';
import type { CaseRecord, Report } from '../report.js';
import { brief } from './text.js';

/** Escapes text for XML 1.0, replacing the characters XML cannot hold at all. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function details(record: CaseRecord): string {
  const lines: string[] = [];
  if (record.description) lines.push(record.description);
  if (record.expected) lines.push(`expected: ${brief(record.expected, 2000)}`);
  if (record.actual) lines.push(`actual: ${brief(record.actual, 2000)}`);
  if (record.observation !== undefined) lines.push(`observation: ${brief(record.observation, 4000)}`);
  return xml(lines.join('\n'));
}

function testcase(record: CaseRecord): string {
  const open = `    <testcase classname="conformance.${xml(record.group)}" name="${xml(record.id)}" time="0"`;
  const message = xml(record.message ?? '');
  switch (record.status) {
    case 'pass':
      return `${open}/>`;
    case 'skip':
    case 'xfail':
      return `${open}>\n      <skipped message="${message}"/>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error message="${message}" type="error">${details(record)}</error>\n    </testcase>`;
    default:
      return `${open}>\n      <failure message="${message}" type="${record.status}">${details(record)}</failure>\n    </testcase>`;
  }
}

export function renderJunit(report: Report): string {
  const { footer } = report;
  const seconds = (footer.duration_ms / 1000).toFixed(3);
  const suites: string[] = [];
  const count = (cases: CaseRecord[], ...statuses: string[]) => cases.filter((c) => statuses.includes(c.status)).length;
  for (const group of GROUPS) {
    const cases = report.cases.filter((c) => c.group === group);
    if (cases.length === 0) continue;
    suites.push(
      `  <testsuite name="${group}" tests="${cases.length}" failures="${count(cases, 'fail', 'xpass')}" errors="${count(cases, 'error')}" skipped="${count(cases, 'skip', 'xfail')}" time="0">`,
      ...cases.map(testcase),
      '  </testsuite>',
    );
  }
  let total = report.cases.length;
  if (footer.harness_error) {
    total++;
    suites.push(
      `  <testsuite name="harness" tests="1" failures="0" errors="1" skipped="0" time="0">`,
      `    <testcase classname="conformance.harness" name="run the adapter" time="0">`,
      `      <error message="${xml(footer.harness_error.failure)}" type="harness">${xml(footer.harness_error.message)}</error>`,
      '    </testcase>',
      '  </testsuite>',
    );
  }
  const failures = footer.counts.fail + footer.counts.xpass;
  const errors = footer.counts.error + (footer.harness_error ? 1 : 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="error-contract conformance" tests="${total}" failures="${failures}" errors="${errors}" skipped="${footer.counts.skip + footer.counts.xfail}" time="${seconds}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
