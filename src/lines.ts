// Splits a stream of text chunks into lines in linear time: each chunk is searched once, and a line that spans
// chunks is kept as a list of its pieces until its end arrives (never as a string rebuilt and rescanned per chunk,
// which made a line of n bytes cost O(n²/chunk) time). Memory is bounded by the longest line (or by maxLength).

/** A line grew past the reader's maxLength before its end arrived. */
export class LineTooLong extends Error {
  constructor(
    readonly maxLength: number,
    /** 1 for the first line. */
    readonly lineNumber: number,
    /** The line's first characters, for a message. */
    readonly start: string,
  ) {
    super(`line ${lineNumber} is longer than ${maxLength} characters`);
  }
}

export class LineReader {
  private parts: string[] = [];
  private partsLength = 0;
  private lines = 0;
  /** Dropping the rest of a line that was too long, up to its `\n`. */
  private skipping = false;

  /**
   * `onLine` gets every line without its `\n` (nor a `\r` before it). A line longer than `maxLength` characters is
   * never kept whole: as soon as it passes the limit, `onTooLong` gets it as a LineTooLong and the rest of it is
   * dropped up to its `\n` (then reading goes on), or, without `onTooLong`, push() throws the LineTooLong.
   */
  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLength = Number.POSITIVE_INFINITY,
    private readonly onTooLong?: (error: LineTooLong) => void,
  ) {}

  /** Lines completed so far. */
  get lineCount(): number {
    return this.lines;
  }

  /** Characters of the line in progress (its end not yet arrived). */
  get pendingLength(): number {
    return this.partsLength;
  }

  push(chunk: string): void {
    let start = 0;
    if (this.skipping) {
      const nl = chunk.indexOf('\n');
      if (nl === -1) return;
      this.skipping = false;
      start = nl + 1;
    }
    for (let nl = chunk.indexOf('\n', start); nl !== -1; nl = chunk.indexOf('\n', start)) {
      let line: string;
      if (this.parts.length === 0) line = chunk.slice(start, nl);
      else {
        this.parts.push(chunk.slice(start, nl));
        line = this.parts.join('');
        this.parts = [];
        this.partsLength = 0;
      }
      start = nl + 1;
      this.lines++;
      if (this.tooLong(line.length, line, false)) continue;
      this.onLine(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);
    }
    if (start < chunk.length) {
      const rest = start === 0 ? chunk : chunk.slice(start);
      if (this.tooLong(this.partsLength + rest.length, rest, true)) return;
      this.parts.push(rest);
      this.partsLength += rest.length;
    }
  }

  /** The end of the input: a last line without `\n` is delivered (when it is not empty). */
  end(): void {
    if (this.partsLength === 0) return;
    const line = this.parts.join('');
    this.parts = [];
    this.partsLength = 0;
    this.lines++;
    this.onLine(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);
  }

  /** Whether a line of `length` characters (so far) is too long; if so it is reported, and dropped. */
  private tooLong(length: number, piece: string, unfinished: boolean): boolean {
    // A `\r` ending the line does not count: a line of exactly maxLength may end in `\r\n`.
    if (length <= this.maxLength || (length === this.maxLength + 1 && piece.charCodeAt(piece.length - 1) === 13))
      return false;
    const start = (this.parts[0] ?? piece).slice(0, 200);
    this.parts = [];
    this.partsLength = 0;
    const error = new LineTooLong(this.maxLength, unfinished ? this.lines + 1 : this.lines, start);
    if (unfinished) {
      this.lines++;
      this.skipping = true;
    }
    if (!this.onTooLong) throw error;
    this.onTooLong(error);
    return true;
  }
}
