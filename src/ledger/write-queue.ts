import { log } from '../log.js';
import { errorMessage, isRejectedData, isSqliteBusy, type StoreHealth } from './health.js';

export interface WriteQueueOptions {
  /** items held in memory at most; beyond it new items are dropped and counted as lost (default 100,000) */
  maxQueued: number;
  /** items per transaction; a backlog is written one transaction per turn of the event loop (default 100: ~2 ms, so writing never stalls calls) */
  batchSize: number;
  /** retry backoff cap while the store refuses writes (default 250 ms: rows land within a second of recovery) */
  maxBackoffMs: number;
  /** how long the caller of a write the store refused waits for its commit before going on without it (default 50 ms) */
  graceMs: number;
  /** a store busy for less than this (another process committing) is not reported as degraded (default 1,000 ms) */
  busyToleranceMs: number;
}

export const WRITE_QUEUE_DEFAULTS: WriteQueueOptions = { maxQueued: 100_000, batchSize: 100, maxBackoffMs: 250, graceMs: 50, busyToleranceMs: 1000 };

interface Waiting<T> {
  item: T;
  /** performance.now() when it was added */
  at: number;
  grace: NodeJS.Timeout | null;
  /** null once the caller has gone on (after the grace): nothing but the item stays referenced */
  resolve: (() => void) | null;
  /** the item is in its compact form (`hold`) */
  held: boolean;
}

/**
 * Every write goes through here, group-committed: what is recorded while the queue is idle commits
 * in one transaction right after the code that recorded it (a microtask), and a longer queue (a
 * burst, or a backlog after the store was away) is written one batch of at most `batchSize` items
 * per turn of the event loop (`setImmediate`, after the turn's I/O). A burst costs one commit per
 * batch instead of one per row, and no turn holds the loop for more than a batch. `write(batch)`
 * commits a batch synchronously or throws.
 *
 * When the store refuses (another process holds the write lock, disk full, read-only file, I/O
 * error) the items stay here, bounded and compact (`hold`), and are retried on timers with backoff:
 * the event loop never waits on a lock. The caller of a write gets a promise that resolves when its
 * item commits or, once the store has refused it, after `graceMs` at the latest: a short contention
 * keeps "durable when the request completes", a store that stays away never stalls a request (its
 * rows are then durable when the store returns).
 */
export class WriteQueue<T> {
  readonly #o: WriteQueueOptions;
  #items: Waiting<T>[] = [];
  #lost = 0;
  #failure: { err: unknown; since: number } | null = null;
  #announced = false;
  #timer: NodeJS.Timeout | NodeJS.Immediate | 'microtask' | null = null;
  #backoff = 0;
  #stopped = false;
  /** items ever added, and items done with (written, rejected or lost): flush() waits on these */
  #added = 0;
  #settled = 0;
  #flushes: { upTo: number; resolve: () => void }[] = [];

  constructor(
    private readonly write: (batch: T[]) => void,
    /** one line naming the store problem and what the operator should do */
    private readonly hint: (err: unknown) => string,
    /** names an item in the log line when it is dropped */
    private readonly describe: (item: T) => string,
    options: Partial<WriteQueueOptions> = {},
    /**
     * The form an item waits in while the store refuses writes: compact (one small object with its
     * bytes off the heap, rather than a graph of objects), since tens of thousands of waiting items
     * otherwise lengthen every GC pause.
     */
    private readonly hold: (item: T) => T = (item) => item,
  ) {
    this.#o = { ...WRITE_QUEUE_DEFAULTS, ...options };
  }

  get size(): number {
    return this.#items.length;
  }

  health(now = Date.now()): StoreHealth {
    const f = this.#failure;
    const reported = f && (this.#announced || !isSqliteBusy(f.err) || now - f.since >= this.#o.busyToleranceMs);
    return { problem: reported ? this.hint(f.err) : null, since: reported ? f.since : null, queued: this.#items.length, lost: this.#lost };
  }

  /** true while the store refuses writes (the items wait for a retry) */
  get failing(): boolean {
    return this.#failure !== null;
  }

  /** Queues an item, to be written right after the calling code (or behind what waits); `err`: its write already failed. */
  add(item: T, err?: unknown): Promise<void> {
    if (err !== undefined) this.#failed(err);
    if (this.#stopped || this.#items.length >= this.#o.maxQueued) {
      this.#drop(item, this.#stopped ? 'the ledger is closed' : `${this.#items.length} writes already wait for the store (queue full)`);
      return Promise.resolve();
    }
    this.#added += 1;
    return new Promise((resolve) => {
      const w: Waiting<T> = { item, at: performance.now(), grace: null, resolve, held: false };
      // only a write the store may refuse holds its caller (a timer per row otherwise costs the hot path)
      if (this.#failure) this.#holding(w, w.at);
      this.#items.push(w);
      this.#schedule();
    });
  }

  /** A write outside the queue failed with data the store rejects: counted and logged, never retried. */
  reject(item: T, err: unknown): void {
    this.#drop(item, `the store rejected it: ${errorMessage(err)}`);
  }

  /** Resolves when everything queued so far is written, rejected or dropped (waits while the store is away). */
  flush(): Promise<void> {
    if (this.#settled >= this.#added) return Promise.resolve();
    return new Promise((resolve) => this.#flushes.push({ upTo: this.#added, resolve }));
  }

  /** Stops retrying; what is still queued is lost. Returns how many items that was. */
  stop(): number {
    this.#stopped = true;
    this.#cancelTimer();
    const left = this.#items.splice(0);
    this.#lost += left.length;
    this.#done(left);
    for (const f of this.#flushes.splice(0)) f.resolve();
    return left.length;
  }

  #cancelTimer(): void {
    const t = this.#timer;
    if (t && t !== 'microtask' && 'refresh' in t) clearTimeout(t);
    else if (t && t !== 'microtask') clearImmediate(t);
    this.#timer = null; // a pending microtask finds the queue stopped
  }

  /** Items written (or dropped): their callers go on, and flushes waiting for them resolve. */
  #done(ws: Waiting<T>[]): void {
    for (const w of ws) {
      if (w.grace) clearTimeout(w.grace);
      w.resolve?.();
    }
    this.#settled += ws.length;
    if (this.#flushes.length > 0 && this.#flushes[0]!.upTo <= this.#settled) {
      const ready = this.#flushes.filter((f) => f.upTo <= this.#settled);
      this.#flushes = this.#flushes.filter((f) => f.upTo > this.#settled);
      for (const f of ready) f.resolve();
    }
  }

  /** `w` waits for the store: compact, and its caller goes on `graceMs` after it was added, written or not. */
  #holding(w: Waiting<T>, now: number): void {
    if (w.held) return;
    w.held = true;
    w.item = this.hold(w.item);
    w.grace = setTimeout(() => {
      const resolve = w.resolve;
      w.grace = null;
      w.resolve = null;
      resolve?.();
    }, Math.max(0, this.#o.graceMs - (now - w.at)));
  }

  #drop(item: T, why: string): void {
    this.#lost += 1;
    log.error(`ledger: ${this.describe(item)} was NOT recorded: ${why}`);
  }

  #failed(err: unknown): void {
    this.#failure ??= { err, since: Date.now() };
    this.#failure.err = err;
    if (!this.#announced && this.health().problem) {
      this.#announced = true;
      log.error(`ledger degraded: ${this.hint(err)}. Calls are served meanwhile; rows wait in memory (up to ${this.#o.maxQueued}) and are written when it recovers.`);
    }
  }

  /**
   * When the next batch is written. Refused: on a back-off timer. Otherwise a queue that was idle
   * commits right after the code that recorded it (a microtask, like a synchronous commit at the
   * end of that code: an awaited row costs no extra turn of the event loop); what remains after a
   * batch waits for the next turn, after its I/O (`setImmediate`, `#nextTurn`), so a backlog is
   * written one batch per turn.
   */
  #schedule(): void {
    if (this.#timer || this.#stopped) return;
    if (this.#backoff > 0) return this.#nextTurn();
    this.#timer = 'microtask';
    queueMicrotask(() => this.#drain());
  }

  #nextTurn(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = this.#backoff > 0 ? setTimeout(() => this.#drain(), this.#backoff) : setImmediate(() => this.#drain());
  }

  /** Writes one batch, then yields: a long backlog never holds the loop for more than one batch. */
  #drain(): void {
    if (this.#stopped) return;
    this.#timer = null;
    if (this.#items.length === 0) return;
    const batch = this.#items.slice(0, this.#o.batchSize);
    try {
      this.write(batch.map((w) => w.item));
    } catch (err) {
      if (!isRejectedData(err)) return this.#retryLater(err);
      if (this.#writeOneByOne(batch.length)) this.#nextTurn();
      return;
    }
    this.#items.splice(0, batch.length);
    this.#done(batch);
    this.#recovered();
    if (this.#items.length > 0) this.#nextTurn();
  }

  /** A batch held data the store rejects: write its items alone and drop only those. */
  #writeOneByOne(n: number): boolean {
    for (let i = 0; i < n; i++) {
      const w = this.#items[0]!;
      try {
        this.write([w.item]);
      } catch (err) {
        if (!isRejectedData(err)) {
          this.#retryLater(err);
          return false;
        }
        this.reject(w.item, err);
      }
      this.#items.shift();
      this.#done([w]);
    }
    return true;
  }

  #retryLater(err: unknown): void {
    this.#failed(err);
    const now = performance.now();
    for (const w of this.#items) this.#holding(w, now);
    this.#backoff = Math.min(Math.max(5, this.#backoff * 2), this.#o.maxBackoffMs);
    this.#schedule();
  }

  #recovered(): void {
    this.#backoff = 0;
    if (!this.#failure) return;
    const f = this.#failure;
    this.#failure = null;
    if (this.#announced) {
      this.#announced = false;
      log.info(`ledger recovered after ${((Date.now() - f.since) / 1000).toFixed(1)} s: queued rows are being written (${this.#items.length} left)`);
    }
  }
}
