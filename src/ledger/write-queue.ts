import { log } from '../log.js';
import { errorMessage, isRejectedData, isSqliteBusy, type StoreHealth } from './health.js';
import { HeldLog } from './held-log.js';

export interface WriteQueueOptions {
  /** items held in memory at most; beyond it new items are dropped and counted as lost (default 100,000) */
  maxQueued: number;
  /** items per transaction; a backlog is written one transaction per turn of the event loop (default 50: ~1–2 ms, so writing a backlog never stalls calls; 100 took 2.5–4.9 ms here) */
  batchSize: number;
  /** retry backoff cap while the store refuses writes (default 250 ms: rows land within a second of recovery) */
  maxBackoffMs: number;
  /** how long the caller of a write the store refused waits for its commit before going on without it (default 50 ms) */
  graceMs: number;
  /** a store busy for less than this (another process committing) is not reported as degraded (default 1,000 ms) */
  busyToleranceMs: number;
}

export const WRITE_QUEUE_DEFAULTS: WriteQueueOptions = { maxQueued: 100_000, batchSize: 50, maxBackoffMs: 250, graceMs: 50, busyToleranceMs: 1000 };

interface Waiting<T> {
  item: T;
  /** its place in the order of everything added (1-based): it is written once `settled` reaches it */
  seq: number;
  /** performance.now() when it was added */
  at: number;
  resolve: () => void;
}

/** The caller of a held item, waiting for its write until `until` (performance.now()) at the latest. */
interface Graced {
  seq: number;
  until: number;
  resolve: () => void;
}

/** How an item waits while the store refuses writes: encoded as a string (null: kept as it is), decoded from its bytes. */
export interface HoldCodec<T> {
  encode: (item: T) => string | null;
  decode: (bytes: Buffer) => T;
}

const AS_OBJECTS: HoldCodec<unknown> = {
  encode: () => null,
  decode: () => {
    throw new Error('nothing was encoded');
  },
};

/**
 * Every write goes through here, group-committed: what is recorded while the queue is idle commits
 * in one transaction right after the code that recorded it (a microtask), and a longer queue (a
 * burst, or a backlog after the store was away) is written one batch of at most `batchSize` items
 * per turn of the event loop (`setImmediate`, after the turn's I/O). A burst costs one commit per
 * batch instead of one per row, and no turn holds the loop for more than a batch. `write(batch)`
 * commits a batch synchronously or throws.
 *
 * When the store refuses (another process holds the write lock, disk full, read-only file, I/O
 * error) the items move to a `HeldLog`, bounded and compact (many rows per off-heap buffer), and are
 * retried on one back-off timer: the event loop never waits on a lock. The caller of a write gets a
 * promise that resolves when its item commits or, once the store has refused it, after `graceMs`
 * at the latest (one timer for all such callers): a short contention keeps "durable when the
 * request completes", a store that stays away never stalls a request (its rows are then durable
 * when the store returns). Order is kept: held items are older than every item not held.
 */
export class WriteQueue<T> {
  readonly #o: WriteQueueOptions;
  /** items not held, newer than every held one; empty while the store refuses writes */
  #items: Waiting<T>[] = [];
  readonly #held: HeldLog<T>;
  /** callers of held items still within their grace, oldest first */
  #graced: Graced[] = [];
  #graceTimer: NodeJS.Timeout | null = null;
  #lost = 0;
  #failure: { err: unknown; since: number } | null = null;
  #announced = false;
  #timer: NodeJS.Timeout | NodeJS.Immediate | 'microtask' | null = null;
  #backoff = 0;
  /**
   * Items in the next batch: `batchSize`, but after the store refused writes it starts at a tenth and
   * doubles per batch written. The first transaction after another process wrote the file also
   * empties SQLite's page cache (~2 ms at the ledger's 512 KiB cache), so it carries few rows.
   */
  #limit: number;
  #stopped = false;
  /** items ever added, and items done with (written, rejected or lost), in order: flush() waits on these */
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
     * The form an item waits in while the store refuses writes: bytes in a buffer shared with the
     * items around it, since tens of thousands of waiting objects lengthen every GC pause.
     */
    hold: HoldCodec<T> = AS_OBJECTS as HoldCodec<T>,
  ) {
    this.#o = { ...WRITE_QUEUE_DEFAULTS, ...options };
    this.#limit = this.#o.batchSize;
    this.#held = new HeldLog(hold.encode, hold.decode);
  }

  get size(): number {
    return this.#held.size + this.#items.length;
  }

  health(now = Date.now()): StoreHealth {
    const f = this.#failure;
    const reported = f && (this.#announced || !isSqliteBusy(f.err) || now - f.since >= this.#o.busyToleranceMs);
    return { problem: reported ? this.hint(f.err) : null, since: reported ? f.since : null, queued: this.size, lost: this.#lost };
  }

  /** true while the store refuses writes (the items wait for a retry) */
  get failing(): boolean {
    return this.#failure !== null;
  }

  /** Queues an item, to be written right after the calling code (or behind what waits); `err`: its write already failed. */
  add(item: T, err?: unknown): Promise<void> {
    if (err !== undefined) this.#failed(err);
    if (this.#stopped || this.size >= this.#o.maxQueued) {
      this.#drop(item, this.#stopped ? 'the ledger is closed' : `${this.size} writes already wait for the store (queue full)`);
      return Promise.resolve();
    }
    const seq = ++this.#added;
    return new Promise((resolve) => {
      const at = performance.now();
      // only a write the store may refuse holds its caller on a timer
      if (this.#failure) {
        this.#held.push(item);
        this.#grace(seq, at, resolve);
      } else {
        this.#items.push({ item, seq, at, resolve });
      }
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
    const left = this.#held.clear() + this.#items.length;
    for (const w of this.#items.splice(0)) w.resolve();
    this.#lost += left;
    this.#settle(left);
    for (const f of this.#flushes.splice(0)) f.resolve();
    return left;
  }

  #cancelTimer(): void {
    const t = this.#timer;
    if (t && t !== 'microtask' && 'refresh' in t) clearTimeout(t);
    else if (t && t !== 'microtask') clearImmediate(t);
    this.#timer = null; // a pending microtask finds the queue stopped
  }

  /** The first `n` items in order: held ones (decoded from their bytes), then the others. */
  #peek(n: number): T[] {
    const held = this.#held.peek(n);
    for (let i = 0; held.length < n && i < this.#items.length; i++) held.push(this.#items[i]!.item);
    return held;
  }

  /** The first `n` items are written (or dropped): their callers go on, and flushes waiting for them resolve. */
  #consume(n: number): void {
    const fromHeld = Math.min(n, this.#held.size);
    this.#held.shift(fromHeld);
    if (n > fromHeld) for (const w of this.#items.splice(0, n - fromHeld)) w.resolve();
    this.#settle(n);
  }

  #settle(n: number): void {
    this.#settled += n;
    let k = 0;
    while (k < this.#graced.length && this.#graced[k]!.seq <= this.#settled) this.#graced[k++]!.resolve();
    if (k > 0) this.#graced.splice(0, k);
    if (this.#graced.length === 0 && this.#graceTimer) {
      clearTimeout(this.#graceTimer);
      this.#graceTimer = null;
    }
    if (this.#flushes.length > 0 && this.#flushes[0]!.upTo <= this.#settled) {
      const ready = this.#flushes.filter((f) => f.upTo <= this.#settled);
      this.#flushes = this.#flushes.filter((f) => f.upTo > this.#settled);
      for (const f of ready) f.resolve();
    }
  }

  /** The caller of held item `seq` goes on `graceMs` after `at`, written or not (one timer for all of them, in order). */
  #grace(seq: number, at: number, resolve: () => void): void {
    this.#graced.push({ seq, until: at + this.#o.graceMs, resolve });
    if (!this.#graceTimer) this.#armGrace();
  }

  #armGrace(): void {
    const next = this.#graced[0];
    this.#graceTimer = next ? setTimeout(() => this.#graceOver(), Math.max(0, next.until - performance.now())) : null;
  }

  #graceOver(): void {
    const now = performance.now();
    let k = 0;
    while (k < this.#graced.length && this.#graced[k]!.until <= now + 0.5) this.#graced[k++]!.resolve();
    this.#graced.splice(0, k);
    this.#armGrace();
  }

  /** The store refused a write: every item not yet held waits in the held log (compact), its caller on the grace timer. */
  #holdAll(): void {
    for (const w of this.#items) {
      this.#held.push(w.item);
      this.#grace(w.seq, w.at, w.resolve);
    }
    this.#items = [];
  }

  #drop(item: T, why: string): void {
    this.#lost += 1;
    log.error(`ledger: ${this.describe(item)} was NOT recorded: ${why}`);
  }

  #failed(err: unknown): void {
    this.#failure ??= { err, since: Date.now() };
    this.#holdAll();
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
    if (this.size === 0) return;
    const batch = this.#peek(this.#limit);
    try {
      this.write(batch);
    } catch (err) {
      if (!isRejectedData(err)) return this.#retryLater(err);
      if (this.#writeOneByOne(batch.length)) this.#nextTurn();
      return;
    }
    this.#consume(batch.length);
    this.#limit = Math.min(this.#o.batchSize, this.#limit * 2);
    this.#recovered();
    if (this.size > 0) this.#nextTurn();
  }

  /** A batch held data the store rejects: write its items alone and drop only those. */
  #writeOneByOne(n: number): boolean {
    for (let i = 0; i < n; i++) {
      const item = this.#peek(1)[0]!;
      try {
        this.write([item]);
      } catch (err) {
        if (!isRejectedData(err)) {
          this.#retryLater(err);
          return false;
        }
        this.reject(item, err);
      }
      this.#consume(1);
    }
    return true;
  }

  #retryLater(err: unknown): void {
    this.#failed(err);
    this.#backoff = Math.min(Math.max(5, this.#backoff * 2), this.#o.maxBackoffMs);
    this.#limit = Math.ceil(this.#o.batchSize / 10);
    this.#schedule();
  }

  #recovered(): void {
    this.#backoff = 0;
    if (!this.#failure) return;
    const f = this.#failure;
    this.#failure = null;
    if (this.#announced) {
      this.#announced = false;
      log.info(`ledger recovered after ${((Date.now() - f.since) / 1000).toFixed(1)} s: queued rows are being written (${this.size} left)`);
    }
  }
}
