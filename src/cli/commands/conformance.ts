import { constants as osConstants } from 'node:os';
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AdapterProcess } from '../../conformance/adapter-process.js';
import { BaselineError, loadBaseline, type Baseline } from '../../conformance/baseline.js';
import { progressOn } from '../../conformance/progress.js';
import { REPORTER_NAMES, REPORTERS, type ReporterName } from '../../conformance/reporters/index.js';
import { countsLine } from '../../conformance/reporters/text.js';
import { GROUPS, LEVELS, type Group, type Level } from '../../conformance/schemas.js';
import { UsageError, type Command } from '../command.js';
import { writeOut } from '../io.js';
import { publishedContract } from '../../contract.js';

const DEFAULT_RUNS = 10_000;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Every signal whose default action ends the process and that a listener can safely catch. Not listed: SIGKILL and
 * SIGSTOP (no listener possible), SIGSEGV, SIGBUS, SIGFPE and SIGILL (a real fault cannot run JavaScript), SIGUSR1
 * (Node's debugger), SIGPROF (V8's profiler), SIGPIPE (ignored by Node).
 */
const FATAL_SIGNALS: NodeJS.Signals[] = [
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGTRAP',
  'SIGABRT',
  'SIGUSR2',
  'SIGALRM',
  'SIGTERM',
  'SIGSTKFLT',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
];

export const conformanceCommand: Command = {
  name: 'conformance',
  summary: 'Run the conformance suite (vectors and property-based cases) against an adapter.',
  usage: `Usage: error-contract conformance --adapter "<command line>" [options]

Starts the adapter (run with /bin/sh -c), speaks conformance/PROTOCOL.md to it on stdin/stdout, sends every
selected vector of generated/vectors/, then --runs property-based cases generated from the contract, and compares
each answer with the reference classifier. A disagreement found by the property-based phase is shrunk with the
adapter in the loop and reported with its seed and a command that replays it.

  --adapter CMD        the adapter's command line (required), e.g. "npx error-contract adapter"
  --group G            only this group (repeatable, or comma-separated): ${GROUPS.join(', ')}
  --level L            the weakest level to run: ${LEVELS.join(' or ')} (default: ${LEVELS[LEVELS.length - 1]}, i.e. all)
  --runs N             property-based cases (default ${DEFAULT_RUNS}; 0: none)
  --seed S             the property-based seed (default: random; printed in every report)
  --profile P          classify under profile P (default, or one of the contract's profiles); the adapter is told
                       so in start, and the vectors are checked against the reference under that profile
  --replay PATH        replay one property-based case (the path a report printed) with --seed, instead of the suite
  --timeout-ms MS      the longest wait for any one answer, for start and for exit (default ${DEFAULT_TIMEOUT_MS});
                       bytes that are not an answer do not count
  --reporter R         ${REPORTER_NAMES.join(' | ')} (default: pretty)
  --output FILE        write the report to FILE (atomically) instead of standard output
  --baseline FILE      expected failures by vector id or entry id, with reasons (schemas/protocol/baseline.schema.json);
                       a listed vector that passes is reported as an unexpected pass
  --max-fail N         stop after N failures
  --verbose            copy the adapter's stderr to stderr as it arrives

Exit: 0 every expected case passed; 1 a case failed, errored or passed unexpectedly; 2 usage error, or the harness
could not run the adapter (it did not start, crashed, hung past --timeout-ms, wrote something that is not a
protocol message or a line over 1 MiB, answered the wrong seq, or did not exit 0 after stop); 128 + N
interrupted by signal N (the adapter and everything it started are killed first).`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        adapter: { type: 'string' },
        group: { type: 'string', multiple: true },
        level: { type: 'string' },
        runs: { type: 'string' },
        seed: { type: 'string' },
        profile: { type: 'string' },
        replay: { type: 'string' },
        'timeout-ms': { type: 'string' },
        reporter: { type: 'string', default: 'pretty' },
        output: { type: 'string' },
        baseline: { type: 'string' },
        'max-fail': { type: 'string' },
        verbose: { type: 'boolean', default: false },
      },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.adapter || values.adapter.trim() === '') throw new UsageError('--adapter "<command line>" is required');
    const integer = (name: string, text: string | undefined, min: number): number | undefined => {
      if (text === undefined) return undefined;
      if (!/^-?[0-9]+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text)))
        throw new UsageError(`--${name} must be an integer >= ${min}, not "${text}"`);
      return Number(text);
    };
    const groups = (values.group ?? [])
      .flatMap((g) => g.split(','))
      .map((g) => g.trim())
      .filter((g) => g !== '');
    for (const g of groups)
      if (!GROUPS.includes(g as Group)) throw new UsageError(`unknown group "${g}" (groups: ${GROUPS.join(', ')})`);
    if (values.level !== undefined && !LEVELS.includes(values.level as Level))
      throw new UsageError(`unknown level "${values.level}" (levels: ${LEVELS.join(', ')})`);
    if (!REPORTER_NAMES.includes(values.reporter as ReporterName))
      throw new UsageError(`unknown reporter "${values.reporter}" (reporters: ${REPORTER_NAMES.join(', ')})`);
    const seed = integer('seed', values.seed, -(2 ** 31)) ?? (Math.random() * 2 ** 31) | 0;
    if (values.replay !== undefined && values.seed === undefined)
      throw new UsageError('--replay needs the --seed it was found with');
    if (values.replay !== undefined && !/^[0-9]+(:[0-9]+)*$/.test(values.replay))
      throw new UsageError(`--replay takes a path such as 42:3:0, not "${values.replay}"`);
    const timeoutMs = integer('timeout-ms', values['timeout-ms'], 1) ?? DEFAULT_TIMEOUT_MS;
    const runs = integer('runs', values.runs, 0) ?? DEFAULT_RUNS;
    const maxFail = integer('max-fail', values['max-fail'], 1);
    let baseline: Baseline | undefined;
    if (values.baseline !== undefined) {
      try {
        baseline = loadBaseline(values.baseline);
      } catch (error) {
        if (error instanceof BaselineError) throw new UsageError(error.message);
        throw error;
      }
    }

    const contract = publishedContract();
    const profile = values.profile ?? 'default';
    if (profile !== 'default' && !Object.hasOwn(contract.profiles, profile)) {
      throw new UsageError(
        `unknown profile "${profile}" (profiles: ${['default', ...Object.keys(contract.profiles)].join(', ')})`,
      );
    }

    const interactive = process.stderr.isTTY === true && !process.env.CI;
    const progress = progressOn(process.stderr, interactive);
    // On any signal that would end the runner, the exit hook of the runner ends the adapter and all it started.
    const onSignal = (signal: NodeJS.Signals) => {
      progress.finish();
      process.stderr.write(`error-contract conformance: interrupted by ${signal}\n`);
      process.exit(128 + osConstants.signals[signal]);
    };
    for (const signal of FATAL_SIGNALS) process.once(signal, onSignal);
    const onStderr = values.verbose ? (text: string) => process.stderr.write(text) : undefined;
    // The adapter starts first, so that its start-up overlaps with loading the runner (fast-check) and generating.
    const starting = AdapterProcess.start(values.adapter, {
      timeoutMs,
      onStderr,
      start: { contract_version: contract.meta.version, profile },
    });
    starting.catch(() => {}); // reported by the runner
    const { runConformance } = await import('../../conformance/runner.js');
    let report;
    try {
      report = await runConformance({
        starting,
        adapter: values.adapter,
        groups: groups as Group[],
        level: values.level as Level | undefined,
        runs,
        seed,
        profile,
        contract,
        replay: values.replay,
        timeoutMs,
        baseline,
        maxFail,
        onStderr,
        onProgress: (phase, done, total) => progress.update(phase, done, total),
      });
    } finally {
      progress.finish();
      for (const signal of FATAL_SIGNALS) process.off(signal, onSignal);
    }
    const reporter = values.reporter as ReporterName;
    const color =
      reporter === 'pretty' && values.output === undefined && process.stdout.isTTY === true && !process.env.NO_COLOR;
    const text = REPORTERS[reporter](report, color);
    if (values.output !== undefined) {
      writeReport(values.output, text);
      const harness = report.footer.harness_error
        ? `; harness error (${report.footer.harness_error.failure}): ${report.footer.harness_error.message}`
        : '';
      process.stderr.write(`conformance: ${countsLine(report)}${harness}; report written to ${values.output}\n`);
    } else await writeOut(text);
    return report.footer.exit_code;
  },
};

/**
 * A regular file is written whole or not at all (a temporary file renamed over it), so a reader never sees half a
 * report; anything else that exists (/dev/null, /dev/stdout, a FIFO) is written in place, never replaced.
 */
function writeReport(path: string, text: string): void {
  let regular = true;
  try {
    regular = statSync(path).isFile();
  } catch {
    // Does not exist yet: created by the rename.
  }
  if (!regular) {
    writeFileSync(path, text);
    return;
  }
  const temp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
