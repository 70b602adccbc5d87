// The emulator's request log: what arrived, when (by the server's monotonic clock), and what the emulator answered,
// so that tests assert timing from the server's side rather than from their own wall clock. Bounded: the oldest
// entries are dropped first and counted.

export interface LogEntry {
  /** 1 for the first request since the server started. */
  seq: number;
  /** Arrival time in milliseconds since the server started (performance.now based, never goes back). */
  at_ms: number;
  method: string;
  /** The path without the query string (its first 1,024 characters: the log's memory stays bounded). */
  path: string;
  /** The HTTP status answered; null while the answer is in progress. */
  status: number | null;
  /** The job concerned, when there is one. */
  response_id?: string;
  /** The job's scenario (an entry id). */
  scenario?: string;
  /** x-stainless-retry-count: how many times the client had already retried this request. */
  retry_count?: number;
  /** The timing and retry headers the emulator sent. */
  sent?: Record<string, string>;
}

const MAX_PATH = 1024;

export class RequestLog {
  private readonly entries: LogEntry[] = [];
  private dropped = 0;
  private seq = 0;
  private readonly origin = performance.now();

  constructor(private readonly capacity: number) {}

  /** Records an arrival; the returned entry is completed by the handler. */
  open(method: string, path: string, retryCount: string | undefined): LogEntry {
    const entry: LogEntry = {
      seq: ++this.seq,
      at_ms: Math.round((performance.now() - this.origin) * 1000) / 1000,
      method,
      path: path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path,
      status: null,
    };
    const retries = retryCount === undefined ? NaN : Number(retryCount);
    if (Number.isInteger(retries)) entry.retry_count = retries;
    this.entries.push(entry);
    // Trimmed in batches so that a full log costs O(1) per request; readers see only the newest `capacity`.
    if (this.entries.length >= 2 * this.capacity) {
      this.dropped += this.entries.length - this.capacity;
      this.entries.splice(0, this.entries.length - this.capacity);
    }
    return entry;
  }

  snapshot(): { entries: LogEntry[]; dropped: number } {
    const excess = Math.max(0, this.entries.length - this.capacity);
    const entries = this.entries.slice(excess).map((e) => ({ ...e, ...(e.sent ? { sent: { ...e.sent } } : {}) }));
    return { entries, dropped: this.dropped + excess };
  }

  clear(): void {
    this.entries.length = 0;
    this.dropped = 0;
  }
}
