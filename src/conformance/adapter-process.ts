// The runner's side of the protocol: one adapter child process, spoken to in pipelined JSON lines.
// Every way an adapter can break (no start, crash, hang, garbage, wrong seq, early exit) ends in one HarnessError,
// and the child's whole process group, and whatever else it started (reap.ts), is killed whatever happens.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { AnswerMessage, HarnessFailure, StartedMessage } from '../../generated/conformance-types.js';
import { LineReader, LineTooLong } from '../lines.js';
import { newMarker, RUN_MARKER, sweep } from './reap.js';
import { checkAnswer, checkStarted, classifyMessage, startMessage, stopMessage, type StartInfo } from './protocol.js';

/** The harness could not run the adapter: exit code 2. */
export class HarnessError extends Error {
  constructor(
    message: string,
    readonly failure: HarnessFailure,
  ) {
    super(message);
  }
}

interface AdapterOptions {
  /** The longest wait for any one answer (and for start and exit). */
  timeoutMs: number;
  /** The contract version and profile the start message carries. */
  start: StartInfo;
  cwd?: string;
  /** Called with the adapter's stderr as it arrives (it is otherwise only kept for error messages). */
  onStderr?: (text: string) => void;
}

interface Batch {
  from: number;
  to: number;
  onAnswer: (index: number, answer: AnswerMessage) => void;
  resolve: () => void;
}

const STDERR_TAIL = 4096;
/**
 * The longest line the adapter may write on stdout (PROTOCOL.md, Transport): 1 MiB of characters before its `\n`.
 * Answers are small; past it the run ends as a harness error instead of buffering without bound.
 */
const MAX_LINE_LENGTH = 1 << 20;
const SEQ_PREFIX = '{"seq":';
/** Distinct answer texts remembered for the fast path (bounded: an adapter may answer every case differently). */
const KNOWN_ANSWERS = 4096;

/** Where the digits of `{"seq":N,...` end (at the comma), or -1 when the line does not start that way. */
function seqEnd(line: string): number {
  if (!line.startsWith(SEQ_PREFIX)) return -1;
  let i = SEQ_PREFIX.length;
  while (i < line.length && i < SEQ_PREFIX.length + 15) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  const digits = i - SEQ_PREFIX.length;
  // JSON has no leading zeros: such a line takes the full parse (and is rejected there).
  if (digits === 0 || (digits > 1 && line.charCodeAt(SEQ_PREFIX.length) === 48)) return -1;
  return line.charCodeAt(i) === 44 ? i : -1;
}
/** Bytes of commands handed to the pipe per write: large writes are what make pipelining fast. */
const WRITE_CHUNK = 1 << 16;

const live = new Set<AdapterProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A runner that exits (or is interrupted) never leaves an adapter behind.
  process.once('exit', () => {
    for (const adapter of live) adapter.kill();
  });
}

const quote = (text: string, max = 200): string => JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);

export class AdapterProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private stderrTail = '';
  private readonly lines: LineReader;
  private lineNumber = 0;
  private awaitingStart?: (message: StartedMessage) => void;
  private readonly batches: Batch[] = [];
  private nextSeq = 0;
  private expectedSeq = 0;
  private stopping = false;
  private closed = false;
  private exitStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly closedPromise: Promise<void>;
  private failure?: HarnessError;
  private readonly failureListeners = new Set<(error: HarnessError) => void>();
  private lastProgress = performance.now();
  private readonly knownAnswers = new Map<string, AnswerMessage>();
  private writing: Promise<void> = Promise.resolve();
  private watchdog?: NodeJS.Timeout;
  private readonly marker = newMarker();

  private constructor(
    readonly command: string,
    private readonly options: AdapterOptions,
  ) {
    installExitHook();
    this.lines = new LineReader((line) => this.onLine(line), MAX_LINE_LENGTH);
    // Its own process group, so that `sh -c`, npx and whatever they start can be killed together; and a marker in
    // its environment, inherited by all it starts, for what leaves the group (setsid): see reap.ts.
    this.child = spawn('/bin/sh', ['-c', command], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      cwd: options.cwd,
      env: { ...process.env, [RUN_MARKER]: this.marker },
    });
    live.add(this);
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
      options.onStderr?.(chunk);
    });
    // A child that stops reading makes writes fail with EPIPE; its exit is what gets reported.
    this.child.stdin.on('error', () => {});
    this.child.on('error', (error) => this.fail(new HarnessError(`cannot run the adapter: ${error.message}`, 'start')));
    this.child.on('exit', (code, signal) => {
      this.exitStatus = { code, signal };
    });
    this.closedPromise = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.exitStatus ??= { code, signal };
        this.closed = true;
        this.readLines(() => this.lines.end());
        live.delete(this);
        this.killGroup();
        if (!this.stopping || this.exitStatus.code !== 0) this.fail(this.exitError());
        resolve();
      });
    });
  }

  /** Starts the adapter and waits for its answer to `start`. */
  static async start(
    command: string,
    options: AdapterOptions,
  ): Promise<{ adapter: AdapterProcess; started: StartedMessage & { ok: true } }> {
    const adapter = new AdapterProcess(command, options);
    try {
      const started = await adapter.handshake();
      return { adapter, started };
    } catch (error) {
      adapter.kill();
      throw error;
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stderr(): string {
    return this.stderrTail;
  }

  private stderrNote(): string {
    const tail = this.stderrTail.trim();
    return tail
      ? `\nadapter stderr (last lines):\n${tail
          .split('\n')
          .slice(-12)
          .map((l) => `  ${l}`)
          .join('\n')}`
      : '';
  }

  private exitError(): HarnessError {
    const { code, signal } = this.exitStatus ?? { code: null, signal: null };
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (this.awaitingStart) {
      const hint = code === 127 ? ' (command not found?)' : '';
      return new HarnessError(`the adapter ${how} before answering start${hint}${this.stderrNote()}`, 'start');
    }
    const outstanding = this.nextSeq - this.expectedSeq;
    if (outstanding > 0)
      return new HarnessError(
        `the adapter ${how} with ${outstanding} answer(s) outstanding (last answered seq: ${this.expectedSeq - 1})${this.stderrNote()}`,
        'crash',
      );
    if (this.stopping)
      return new HarnessError(`the adapter ${how} after stop (expected exit code 0)${this.stderrNote()}`, 'exit');
    return new HarnessError(`the adapter ${how} before it was stopped${this.stderrNote()}`, 'crash');
  }

  private fail(error: HarnessError): void {
    if (this.failure) return;
    this.failure = error;
    this.stopWatchdog();
    this.kill();
    for (const listener of this.failureListeners) listener(error);
    this.failureListeners.clear();
  }

  /** Resolves with `value`, or rejects as soon as the adapter fails. */
  private guard<T>(promise: Promise<T>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      const onFailure = (error: HarnessError) => reject(error);
      this.failureListeners.add(onFailure);
      promise.then(
        (value) => {
          this.failureListeners.delete(onFailure);
          resolve(value);
        },
        (error: unknown) => {
          this.failureListeners.delete(onFailure);
          reject(error);
        },
      );
    });
  }

  private busy(): boolean {
    return this.awaitingStart !== undefined || this.batches.length > 0 || (this.stopping && !this.closed);
  }

  /** One timer for the whole session: it fires when nothing arrived for timeoutMs while an answer was due. */
  private armWatchdog(): void {
    if (this.watchdog || this.failure) return;
    const check = () => {
      this.watchdog = undefined;
      if (this.failure || !this.busy()) return;
      const idle = performance.now() - this.lastProgress;
      if (idle >= this.options.timeoutMs) {
        const what = this.awaitingStart
          ? 'the answer to start'
          : this.stopping && this.batches.length === 0
            ? 'the adapter to exit after stop'
            : `the answer to seq ${this.expectedSeq}`;
        this.fail(
          new HarnessError(
            `timed out after ${this.options.timeoutMs} ms waiting for ${what}${this.stderrNote()}`,
            'timeout',
          ),
        );
        return;
      }
      this.watchdog = setTimeout(check, Math.max(1, this.options.timeoutMs - idle));
    };
    this.watchdog = setTimeout(check, this.options.timeoutMs);
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }

  private onStdout(chunk: string): void {
    if (this.failure) return;
    // Progress is an answer arriving (to start, or to the classify due): bytes alone are not. An adapter that writes
    // a space a second, or blank lines, and never answers is timed out like one that writes nothing. Stamped once
    // per chunk, not per line (the hot path).
    const answered = this.expectedSeq;
    const starting = this.awaitingStart;
    this.readLines(() => this.lines.push(chunk));
    if (this.expectedSeq !== answered || this.awaitingStart !== starting) this.lastProgress = performance.now();
  }

  /** Runs the line reader; a line past MAX_LINE_LENGTH ends the run (the reader has kept none of it). */
  private readLines(read: () => void): void {
    try {
      read();
    } catch (error) {
      if (!(error instanceof LineTooLong)) throw error;
      this.lineNumber = error.lineNumber;
      this.garbage(error.start, `longer than ${error.maxLength} characters, the longest line the protocol allows`);
    }
  }

  private garbage(line: string, why: string): void {
    this.fail(
      new HarnessError(
        `the adapter wrote something that is not a protocol message on stdout (line ${this.lineNumber}: ${why}): ${quote(line)}; logs belong on stderr${this.stderrNote()}`,
        'garbage',
      ),
    );
  }

  /** One line of stdout, its `\n` and a `\r` before it already taken off by the LineReader. */
  private onLine(line: string): void {
    if (this.failure) return;
    this.lineNumber++;
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) return;
    // Fast path: most answers repeat one seen before but for their seq (`{"seq":N` + the same rest). The rest was
    // parsed and validated when first seen, and a seq of plain digits keeps the message valid.
    const split = this.awaitingStart ? -1 : seqEnd(line);
    if (split > 0) {
      const known = this.knownAnswers.get(line.slice(split));
      if (known !== undefined) {
        this.deliver(Number(line.slice(SEQ_PREFIX.length, split)), known, line);
        return;
      }
    }
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.garbage(line, 'not JSON');
      return;
    }
    if (this.awaitingStart) {
      const problem = checkStarted(message);
      if (problem) {
        this.garbage(line, `not a start answer: ${problem}`);
        return;
      }
      const resolve = this.awaitingStart;
      this.awaitingStart = undefined;
      resolve(message as StartedMessage);
      return;
    }
    const problem = checkAnswer(message);
    if (problem) {
      this.garbage(line, `not an answer: ${problem}`);
      return;
    }
    const answer = message as AnswerMessage;
    if (split > 0 && this.knownAnswers.size < KNOWN_ANSWERS) this.knownAnswers.set(line.slice(split), answer);
    this.deliver(answer.seq, answer, line);
  }

  private deliver(seq: number, body: AnswerMessage, line: string): void {
    const batch = this.batches[0];
    if (batch === undefined) {
      this.garbage(line, 'nothing was asked');
      return;
    }
    if (seq !== this.expectedSeq) {
      this.fail(
        new HarnessError(
          `the adapter answered seq ${seq} where seq ${this.expectedSeq} was due (answers must come in order, one per classify)${this.stderrNote()}`,
          'seq',
        ),
      );
      return;
    }
    const answer: AnswerMessage =
      'result' in body
        ? { seq, result: body.result }
        : 'error' in body
          ? { seq, error: body.error }
          : { seq, skipped: body.skipped };
    this.expectedSeq++;
    batch.onAnswer(seq - batch.from, answer);
    if (this.expectedSeq === batch.to) {
      this.batches.shift();
      batch.resolve();
    }
  }

  private async handshake(): Promise<StartedMessage & { ok: true }> {
    const started = new Promise<StartedMessage>((resolve) => {
      this.awaitingStart = resolve;
    });
    this.lastProgress = performance.now();
    this.armWatchdog();
    this.child.stdin.write(startMessage(this.options.start));
    const message = await this.guard(started);
    if (!message.ok)
      throw new HarnessError(`the adapter refused to start: ${message.error}${this.stderrNote()}`, 'refused');
    return message;
  }

  private async writeAll(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.child.stdin.write(text)) return;
    await this.guard(new Promise<void>((resolve) => this.child.stdin.once('drain', resolve)));
  }

  /**
   * Sends one classify per serialised observation, all pipelined, and calls onAnswer(index, answer) in order.
   * Resolves when every answer arrived; rejects with a HarnessError when the adapter breaks. Several calls may be
   * under way at once: each is answered after the ones made before it.
   */
  async classifyAll(
    observations: readonly string[],
    onAnswer: (index: number, answer: AnswerMessage) => void,
  ): Promise<void> {
    if (this.failure) throw this.failure;
    if (observations.length === 0) return;
    if (this.batches.length === 0) this.lastProgress = performance.now();
    const from = this.nextSeq;
    const done = new Promise<void>((resolve) =>
      this.batches.push({ from, to: from + observations.length, onAnswer, resolve }),
    );
    this.nextSeq += observations.length;
    this.armWatchdog();
    const sent = this.guard(done);
    // Batches may overlap (the next one is sent before this one is answered): their writes queue up in seq order.
    const written = this.writing.then(() => this.writeBatch(from, observations));
    this.writing = written.catch(() => {});
    await Promise.all([written, sent]);
  }

  private async writeBatch(from: number, observations: readonly string[]): Promise<void> {
    let buffer = '';
    for (let i = 0; i < observations.length; i++) {
      buffer += classifyMessage(from + i, observations[i]!);
      if (buffer.length >= WRITE_CHUNK) {
        await this.writeAll(buffer);
        buffer = '';
      }
    }
    if (buffer) await this.writeAll(buffer);
  }

  /** One round trip (used while shrinking, where each case depends on the previous answer). */
  async classify(observationJson: string): Promise<AnswerMessage> {
    let answer: AnswerMessage | undefined;
    await this.classifyAll([observationJson], (_, a) => {
      answer = a;
    });
    return answer!;
  }

  /** Sends stop, closes stdin and waits for the adapter to exit with code 0. */
  async stop(): Promise<void> {
    if (this.failure) throw this.failure;
    this.stopping = true;
    this.lastProgress = performance.now();
    this.armWatchdog();
    this.child.stdin.end(stopMessage());
    await this.guard(this.closedPromise);
    this.stopWatchdog();
    if (this.failure) throw this.failure;
  }

  private killGroup(): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    // What left the group (setsid) carries the marker; the child's own descendants are walked while it is alive.
    sweep(this.marker, this.exitStatus === undefined ? this.child.pid : undefined);
  }

  /** Kills the adapter and everything it started. Safe to call at any time, any number of times. */
  kill(): void {
    this.stopWatchdog();
    this.killGroup();
    this.child.stdin.destroy();
  }

  /**
   * Waits until the child has exited and its pipes are closed (after kill() or stop()), at most graceMs: a
   * grandchild that left the process group could hold the pipes open for ever.
   */
  async whenClosed(graceMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closedPromise, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    if (!this.closed) {
      this.child.stdout.destroy();
      this.child.stderr.destroy();
      live.delete(this);
    }
  }
}
