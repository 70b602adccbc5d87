// A conformance run: start the adapter, send the selected vectors (pipelined), then the property-based cases,
// stop the adapter, and return the report. Never throws for anything the adapter does: that is a harness error.
import type { Contract } from '../../generated/types.js';
import { classifyWith, tablesFor } from '../classify/classify.js';
import { publishedContract } from '../contract.js';
import { packageVersion } from '../paths.js';
import { AdapterProcess, HarnessError } from './adapter-process.js';
import type { Baseline } from './baseline.js';
import { evaluate } from './evaluate.js';
import { PropertyPhase, type Chunk } from './property.js';
import { PROTOCOL_VERSION } from './protocol.js';
import { emptyCounts, FAILING, type CaseRecord, type Report, type ReportFooter, type ReportHeader } from './report.js';
import { GROUPS, LEVELS, type Group, type Level } from './schemas.js';
import { expectedOf, loadVectors, type Vector } from './vectors.js';

export interface RunOptions {
  /** The adapter's command line, run with /bin/sh -c. */
  adapter: string;
  /** Groups to run (default: all). */
  groups?: Group[];
  /** The weakest level to run: MUST runs MUST vectors only; SHOULD (the default) runs both. */
  level?: Level;
  /** Property-based cases (0: none). */
  runs: number;
  seed: number;
  timeoutMs: number;
  baseline?: Baseline;
  /** Stop after this many failures. */
  maxFail?: number;
  /** Replay one property-based case by its fast-check path instead of running the suite. */
  replay?: string;
  /** The vectors (default: generated/vectors/). */
  vectors?: Vector[];
  contract?: Contract;
  /** The profile the adapter is told to classify under, and the reference classifies under (default: default). */
  profile?: string;
  cwd?: string;
  onStderr?: (text: string) => void;
  onProgress?: (phase: 'vectors' | 'property', done: number, total: number) => void;
  /** How a replay is invoked (default: `error-contract conformance`). */
  commandName?: string;
  /** The adapter, already starting (the CLI starts it before loading the runner, to overlap the two start-ups). */
  starting?: ReturnType<typeof AdapterProcess.start>;
}

/** Quotes a word for a POSIX shell, so that a replay command can be pasted as it is. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Property-based cases generated while the adapter starts (the default --runs fits), then per chunk. */
const FIRST_CHUNK = 16_384;
const PROPERTY_CHUNK = 4096;
/** Chunks sent but not yet answered, at most: bounds memory for large --runs. */
const IN_FLIGHT = 4;

/** Each vector's observation is serialised once per process, however often it is sent. */
const texts = new WeakMap<Vector, string>();
function serialised(vector: Vector): string {
  let text = texts.get(vector);
  if (text === undefined) texts.set(vector, (text = JSON.stringify(vector.observation)));
  return text;
}

export function exitCodeOf(footer: Pick<ReportFooter, 'harness_error' | 'counts'>): 0 | 1 | 2 {
  if (footer.harness_error) return 2;
  return [...FAILING].some((status) => footer.counts[status] > 0) ? 1 : 0;
}

export async function runConformance(options: RunOptions): Promise<Report> {
  const startedAt = performance.now();
  const contract = options.contract ?? publishedContract();
  const profile = options.profile ?? 'default';
  const tables = tablesFor({ contract, profile });
  const groups =
    options.groups && options.groups.length > 0 ? GROUPS.filter((g) => options.groups!.includes(g)) : [...GROUPS];
  const levels = LEVELS.slice(0, LEVELS.indexOf(options.level ?? LEVELS[LEVELS.length - 1]!) + 1);
  const header: ReportHeader = {
    type: 'header',
    runner: { name: 'error-contract', version: packageVersion() },
    protocol: PROTOCOL_VERSION,
    contract_version: contract.meta.version,
    profile,
    adapter: options.adapter,
    implementation: null,
    implemented_groups: null,
    groups,
    levels,
    seed: options.seed,
    runs: options.replay === undefined ? options.runs : 0,
    baseline: options.baseline?.path ?? null,
  };
  const cases: CaseRecord[] = [];
  let failures = 0;
  let stoppedAfter: number | null = null;
  const stopped = () => stoppedAfter !== null;
  const add = (record: CaseRecord) => {
    cases.push(record);
    if (FAILING.has(record.status)) {
      failures++;
      if (options.maxFail !== undefined && failures >= options.maxFail && stoppedAfter === null)
        stoppedAfter = failures;
    }
  };
  let harnessError: ReportFooter['harness_error'] = null;
  let unknownBaselineIds: string[] = [];
  let adapter: AdapterProcess | undefined;
  const replayBase = [
    options.commandName ?? 'error-contract conformance',
    '--adapter',
    shellQuote(options.adapter),
    ...(options.groups && options.groups.length > 0 ? groups.flatMap((g) => ['--group', g]) : []),
    ...(profile !== 'default' ? ['--profile', shellQuote(profile)] : []),
    '--seed',
    String(options.seed),
    '--replay',
  ].join(' ');
  const property = new PropertyPhase({
    contract,
    tables,
    seed: options.seed,
    runs: options.runs,
    baseline: options.baseline,
    replay: options.replay,
    replayCommand: (path) => `${replayBase} ${shellQuote(path)}`,
  });
  const runsProperty = options.runs > 0 || options.replay !== undefined;
  try {
    // The adapter starts first; the CPU-bound preparation below overlaps with its start-up.
    const starting =
      options.starting ??
      AdapterProcess.start(options.adapter, {
        timeoutMs: options.timeoutMs,
        cwd: options.cwd,
        onStderr: options.onStderr,
        start: { contract_version: contract.meta.version, profile },
      });
    starting.catch(() => {}); // handled when awaited below
    const suite = options.vectors ?? loadVectors();
    const vectors = options.replay === undefined ? suite : [];
    if (options.baseline) {
      const ids = new Set(suite.map((v) => v.id));
      unknownBaselineIds = [...options.baseline.vectors.keys()].filter((id) => !ids.has(id));
    }
    const selected = vectors.filter((v) => groups.includes(v.group) && levels.includes(v.level));
    const vectorTexts = selected.map(serialised);
    // The first chunk of property-based cases is generated while the adapter starts.
    if (runsProperty) property.prepare(groups);
    let next = property.generate(0, Math.min(FIRST_CHUNK, property.total));

    const start = await starting;
    adapter = start.adapter;
    header.implementation = start.started.implementation;
    header.implemented_groups = start.started.groups ?? null;
    const implemented = new Set<Group>(start.started.groups ?? GROUPS);
    const propertyGroups = groups.filter((g) => implemented.has(g));
    if (runsProperty && propertyGroups.length !== groups.length) {
      property.prepare(propertyGroups);
      next = property.generate(0, Math.min(FIRST_CHUNK, property.total));
    }

    // The vectors expect the default profile's results; under another profile the reference decides again.
    const expectedUnder = (v: Vector) =>
      profile === 'default' ? v.expected : expectedOf(classifyWith(tables, v.observation));
    const inputs = selected.map((v) => ({
      id: v.id,
      group: v.group,
      level: v.level,
      description: v.description,
      observation: v.observation,
      expected: expectedUnder(v),
      stableId: true,
    }));
    const records: (CaseRecord | undefined)[] = new Array(selected.length);
    const toSend: number[] = [];
    selected.forEach((v, i) => {
      if (implemented.has(v.group)) toSend.push(i);
      else
        records[i] = {
          type: 'case',
          id: v.id,
          group: v.group,
          level: v.level,
          description: v.description,
          status: 'skip',
          message: `the adapter does not implement the ${v.group} group`,
        };
    });
    // Records are added in suite order as soon as every record before them is known (skips are known at once).
    let cursor = 0;
    const flush = () => {
      while (cursor < records.length && records[cursor] !== undefined && !stopped()) add(records[cursor++]!);
    };
    flush();
    let done = 0;
    const vectorCount = toSend.length;
    const inFlight: Promise<void>[] = [];
    inFlight.push(
      adapter.classifyAll(
        toSend.map((i) => vectorTexts[i]!),
        (k, answer) => {
          const i = toSend[k]!;
          records[i] = evaluate(inputs[i]!, answer, options.baseline);
          flush();
          if (++done % 1024 === 0 || done === vectorCount) options.onProgress?.('vectors', done, vectorCount);
        },
      ),
    );
    inFlight[0]!.catch(() => {});
    // Property-based cases follow in chunks, pipelined: the next chunk is generated while the adapter answers the
    // previous ones, and a few chunks at most are in flight, so memory stays bounded however large --runs is.
    const total = property.total;
    let answered = 0;
    const chunks: Promise<void>[] = [];
    const send = (chunk: Chunk) => {
      const answeredChunk = adapter!.classifyAll(
        chunk.cases.map((c) => c.text),
        (k, answer) => {
          if (stopped()) return;
          add(property.record(chunk.cases[k]!, answer));
          if (++answered % 1024 === 0) options.onProgress?.('property', answered, total);
        },
      );
      answeredChunk.catch(() => {}); // a harness error is reported once, by the first promise awaited
      chunks.push(answeredChunk);
      inFlight.push(answeredChunk);
    };
    send(next);
    for (let generated = Math.min(FIRST_CHUNK, total); generated < total && !stopped();) {
      if (chunks.length >= IN_FLIGHT) await chunks[chunks.length - IN_FLIGHT];
      const count = Math.min(PROPERTY_CHUNK, total - generated);
      send(property.generate(generated, count));
      generated += count;
    }
    await Promise.all(inFlight);
    flush();
    if (total > 0) options.onProgress?.('property', total, total);
    if (!stopped() && runsProperty) {
      const replayed = await property.shrink(adapter);
      if (replayed) add(replayed);
    }
    await adapter.stop();
  } catch (error) {
    if (error instanceof HarnessError) harnessError = { failure: error.failure, message: error.message };
    else
      harnessError = {
        failure: 'internal',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      };
  } finally {
    if (adapter) {
      adapter.kill();
      await adapter.whenClosed();
    }
  }

  const counts = { ...emptyCounts(), total: cases.length };
  const byGroup: ReportFooter['by_group'] = {};
  for (const record of cases) {
    counts[record.status]++;
    (byGroup[record.group] ??= emptyCounts())[record.status]++;
  }
  const footer: ReportFooter = {
    type: 'footer',
    counts,
    by_group: byGroup,
    property: runsProperty ? property.summary : null,
    unknown_baseline_ids: unknownBaselineIds,
    stopped_after: stoppedAfter,
    harness_error: harnessError,
    duration_ms: Math.round(performance.now() - startedAt),
    exit_code: 0,
  };
  footer.exit_code = exitCodeOf(footer);
  return { header, cases, footer };
}
