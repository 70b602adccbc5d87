// The reporters by name: each renders a whole report as text.
import type { Report } from '../report.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderPretty } from './pretty.js';
import { renderTap } from './tap.js';

export const REPORTERS = {
  pretty: (report: Report, color: boolean) => renderPretty(report, color),
  json: (report: Report) => renderJson(report),
  junit: (report: Report) => renderJunit(report),
  tap: (report: Report) => renderTap(report),
  markdown: (report: Report) => renderMarkdown(report),
} as const;

export type ReporterName = keyof typeof REPORTERS;
export const REPORTER_NAMES = Object.keys(REPORTERS) as ReporterName[];
