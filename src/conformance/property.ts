// Property-based differential testing: observations generated from the contract go to the adapter in the same
// pipelined stream as the vectors and are compared with the reference classify(); the first disagreement is shrunk
// with the adapter in the loop (one round trip per candidate) and reported with the seed and the fast-check path
// that replay it.
import fc from 'fast-check';
import type { Contract } from '../../generated/types.js';
import { observation } from '../arbitraries/index.js';
import { classifyWith } from '../classify/classify.js';
import type { Tables } from '../classify/tables.js';
import { HarnessError, type AdapterProcess } from './adapter-process.js';
import { expectedFailure, type Baseline } from './baseline.js';
import { compareResult } from './compare.js';
import { evaluate } from './evaluate.js';
import { groupOf } from '../arbitraries/groups.js';
import type { AnswerMessage } from '../../generated/conformance-types.js';
import { FAILING, type CaseRecord, type PropertyFinding, type ReportFooter } from './report.js';
import { LEVELS, type Group } from './schemas.js';
import { expectedOf, type Expected } from './vectors.js';

type PropertySummary = NonNullable<ReportFooter['property']>;

const PROPERTY_LEVEL = LEVELS[0]!;

export interface Chunk {
  start: number;
  cases: Prepared[];
}

interface Prepared {
  index: number;
  text: string;
  parsed: unknown;
  group: Group;
  expected: Expected;
}

interface PropertyOptions {
  contract: Contract;
  tables: Tables;
  seed: number;
  runs: number;
  baseline?: Baseline;
  /** A fast-check path to replay instead of generating `runs` cases. */
  replay?: string;
  /** The command line that replays a path (the path is appended). */
  replayCommand: (path: string) => string;
}

export class PropertyPhase {
  readonly summary: PropertySummary;
  private groups: Group[] = [];
  private included = new Set<Group>();
  private arbitrary?: fc.Arbitrary<unknown>;
  private firstDisagreement?: number;

  constructor(private readonly options: PropertyOptions) {
    this.summary = {
      generated: 0,
      sent: 0,
      outside_groups: 0,
      disagreements: 0,
      finding: null,
      replayed: options.replay ?? null,
    };
  }

  /** What the reference says of an observation as the adapter will see it (after a JSON round trip). */
  private reference(value: unknown, index: number): Prepared {
    const text = JSON.stringify(value) ?? 'null';
    const parsed: unknown = JSON.parse(text);
    return {
      index,
      text,
      parsed,
      group: groupOf(this.options.contract, parsed),
      expected: expectedOf(classifyWith(this.options.tables, parsed)),
    };
  }

  /**
   * Chooses the groups whose cases are generated (those both asked for and implemented): the arbitrary depends on
   * them, so a replay with the same adapter and --group flags regenerates the same cases.
   */
  prepare(groups: Group[]): void {
    if (this.arbitrary && groups.length === this.groups.length && groups.every((g) => this.groups.includes(g))) return;
    this.groups = groups;
    this.included = new Set(groups);
    this.summary.generated = this.summary.outside_groups = 0;
    this.arbitrary = groups.length === 0 ? undefined : observation({ contract: this.options.contract, groups });
  }

  /** How many cases `generate` will give in all (0 when replaying or when no group is left). */
  get total(): number {
    return this.arbitrary && this.options.replay === undefined ? this.options.runs : 0;
  }

  /**
   * Cases start .. start+count-1 of the seed (fast-check's `path` starts a run at a given index, so chunks are the
   * same cases as one long run), with their reference results; cases outside the groups are counted and dropped.
   * Synchronous and CPU-bound: the runner calls it while the adapter starts or answers the previous chunk.
   */
  generate(start: number, count: number): Chunk {
    const chunk: Chunk = { start, cases: [] };
    if (!this.arbitrary || count <= 0) return chunk;
    const values = fc.sample(this.arbitrary, {
      seed: this.options.seed,
      numRuns: count,
      ...(start > 0 ? { path: String(start) } : {}),
    });
    this.summary.generated += values.length;
    values.forEach((value, i) => {
      const r = this.reference(value, start + i);
      if (this.included.has(r.group)) chunk.cases.push(r);
      else this.summary.outside_groups++;
    });
    return chunk;
  }

  /** The record of the answer to a case of a chunk. */
  record(p: Prepared, answer: AnswerMessage): CaseRecord {
    this.summary.sent++;
    const record = evaluate(
      {
        id: `property:${p.index}`,
        group: p.group,
        level: PROPERTY_LEVEL,
        observation: p.parsed,
        expected: p.expected,
        stableId: false,
      },
      answer,
      this.options.baseline,
    );
    if (FAILING.has(record.status)) {
      this.summary.disagreements++;
      this.firstDisagreement ??= p.index;
    }
    return record;
  }

  private disagrees(answer: AnswerMessage, expected: Expected): boolean {
    if ('skipped' in answer) return false;
    if (expectedFailure(this.options.baseline, undefined, expected.entry, expected.rule)) return false;
    if ('error' in answer) return true;
    return compareResult(expected, answer.result).length > 0;
  }

  /**
   * Shrinks the first disagreement (or replays --replay) with the adapter answering every candidate. Returns the
   * record of a replayed case, if any. Throws a HarnessError if the adapter breaks meanwhile.
   */
  async shrink(adapter: AdapterProcess): Promise<CaseRecord | undefined> {
    const { options } = this;
    if (!this.arbitrary) return undefined;
    if (options.replay === undefined && this.firstDisagreement === undefined) return undefined;
    const included = this.included;
    let harnessError: HarnessError | undefined;
    const property = fc.asyncProperty(this.arbitrary, async (value) => {
      const r = this.reference(value, 0);
      if (!included.has(r.group)) return true;
      try {
        return !this.disagrees(await adapter.classify(r.text), r.expected);
      } catch (error) {
        if (error instanceof HarnessError) harnessError = error;
        throw error;
      }
    });
    const path = options.replay ?? String(this.firstDisagreement);
    const details = await fc.check(property, {
      seed: options.seed,
      path,
      numRuns: options.replay === undefined ? options.runs : 1,
      endOnFailure: false,
    });
    if (harnessError) throw harnessError;
    if (!details.failed || !details.counterexample) return undefined;

    const [minimal] = details.counterexample as [unknown];
    const r = this.reference(minimal, 0);
    const answer = await adapter.classify(r.text);
    const counterexamplePath = details.counterexamplePath ?? path;
    const finding: PropertyFinding = {
      observation: r.parsed,
      expected: r.expected,
      answer:
        'result' in answer
          ? { result: answer.result }
          : 'error' in answer
            ? { error: answer.error }
            : { skipped: answer.skipped },
      mismatches: 'result' in answer ? compareResult(r.expected, answer.result) : [],
      path: counterexamplePath,
      shrinks: details.numShrinks,
      replay: options.replayCommand(counterexamplePath),
    };
    this.summary.finding = finding;
    if (options.replay === undefined) return undefined;
    this.summary.disagreements = 1;
    return evaluate(
      {
        id: `property:${counterexamplePath}`,
        group: r.group,
        level: PROPERTY_LEVEL,
        observation: r.parsed,
        expected: r.expected,
        stableId: false,
      },
      answer,
      options.baseline,
    );
  }
}
