// The human format of the CLI: a result (and its entry) on a few lines, coloured only on a terminal.
import type { Contract, Entry, Result } from '../../generated/types.js';
import { classesText } from '../sdks.js';

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

const plain: Style = { bold: (t) => t, dim: (t) => t, red: (t) => t, green: (t) => t, yellow: (t) => t };
const sgr = (open: number, close: number) => (t: string) => `\x1b[${open}m${t}\x1b[${close}m`;
const ansi: Style = { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39) };

/** Colour when the stream is a terminal and NO_COLOR is unset (or FORCE_COLOR is set to other than 0). */
export function styleFor(stream: NodeJS.WriteStream): Style {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force === '0' ? plain : ansi;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return plain;
  return stream.isTTY ? ansi : plain;
}

/** What to do about retrying, in words. */
export function retryAdvice(retryable: boolean, throttling: boolean): string {
  if (retryable && throttling) return 'yes, with backoff: a rate-limit signal, wait longer than for other errors';
  if (retryable) return 'yes: the same request can succeed later (back off exponentially)';
  if (throttling) return 'no: a quota signal that waiting does not clear';
  return 'no: the same request fails again';
}

const OUTCOME_NOTE: Record<string, string> = {
  completed: 'finished without a failure',
  pending: 'not finished: poll again',
  invalid: 'not an observation the contract recognises',
};

export function formatResult(result: Result & { message?: string }, contract: Contract, style: Style = plain): string {
  const entry: Entry | undefined = contract.entries.find((e) => e.id === result.entry);
  const lines: string[] = [];
  const outcome =
    result.outcome === 'invalid'
      ? style.red(result.outcome)
      : result.outcome === 'completed'
        ? style.green(result.outcome)
        : result.outcome === 'pending'
          ? result.outcome
          : style.yellow(result.outcome);
  const head = result.kind
    ? `${style.bold(result.kind)}${result.http_status !== null ? ` (HTTP ${result.http_status})` : ''}`
    : (OUTCOME_NOTE[result.outcome] ?? 'no exception');
  lines.push(`${style.bold(outcome)}: ${head}`);
  if (result.message) lines.push(`  why:       ${result.message}`);
  if (result.sdk) lines.push(`  raises:    ${classesText(contract, result.sdk)}`);
  if (result.outcome !== 'completed' && result.outcome !== 'pending') {
    const advice = retryAdvice(result.retryable, result.throttling);
    lines.push(`  retry:     ${result.retryable ? style.green(advice) : style.red(advice)}`);
  }
  const action = result.action === null ? undefined : contract.actions?.[result.action];
  if (action) lines.push(`  action:    ${style.bold(result.action!)}: ${action.summary}`);
  if (result.retry_after_ms !== null) {
    const horizon = contract.retry_policy?.horizon_ms;
    const beyond =
      horizon !== undefined && result.retry_after_ms > horizon ? `, beyond the ${horizon / 1000} s horizon` : '';
    lines.push(`  wait:      ${result.retry_after_ms} ms (retry_after_ms: the server's delay${beyond})`);
  }
  if (entry && result.outcome !== 'invalid') lines.push(`  means:     ${entry.summary}`);
  if (entry && result.outcome !== 'completed') lines.push(`  remedy:    ${entry.remedy}`);
  lines.push(style.dim(`  entry:     ${result.entry} (contract ${result.contract_version})`));
  return lines.join('\n') + '\n';
}
