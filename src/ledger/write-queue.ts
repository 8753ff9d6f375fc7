import { log } from '../log.js';
import { errorMessage, isRejectedData, isSqliteBusy, type StoreHealth } from './health.js';

export interface WriteQueueOptions {
  /** items held in memory at most; beyond it new items are dropped and counted as lost (default 100,000) */
  maxQueued: number;
  /** items per retried transaction, one per turn of the event loop (default 100: ~2 ms, so draining never stalls calls) */
  batchSize: number;
  /** retry backoff cap while the store refuses writes (default 250 ms: rows land within a second of recovery) */
  maxBackoffMs: number;
  /** how long the caller of a queued write waits for its commit before going on without it (default 50 ms) */
  graceMs: number;
  /** a store busy for less than this (another process committing) is not reported as degraded (default 1,000 ms) */
  busyToleranceMs: number;
}

export const WRITE_QUEUE_DEFAULTS: WriteQueueOptions = { maxQueued: 100_000, batchSize: 100, maxBackoffMs: 250, graceMs: 50, busyToleranceMs: 1000 };

interface Waiting<T> {
  item: T;
  done: () => void;
}

/**
 * Writes that could not commit at once (another process holds the write lock, disk full, read-only
 * file, I/O error) wait here, bounded, and are retried off the call path with backoff: the event
 * loop never waits on a lock. `write(batch)` commits a batch synchronously or throws.
 *
 * The caller of a queued write gets a promise that resolves when its item commits or after
 * `graceMs`, whichever is first: a short contention keeps "durable when the request completes",
 * a store that stays away never stalls a request (its rows are then durable when the store returns).
 */
export class WriteQueue<T> {
  readonly #o: WriteQueueOptions;
  #items: Waiting<T>[] = [];
  #lost = 0;
  #failure: { err: unknown; since: number } | null = null;
  #announced = false;
  #timer: NodeJS.Timeout | null = null;
  #backoff = 0;
  #stopped = false;
  #idle: (() => void)[] = [];

  constructor(
    private readonly write: (batch: T[]) => void,
    /** one line naming the store problem and what the operator should do */
    private readonly hint: (err: unknown) => string,
    /** names an item in the log line when it is dropped */
    private readonly describe: (item: T) => string,
    options: Partial<WriteQueueOptions> = {},
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

  /** Queues an item whose write failed (`err`) or that must wait its turn behind the queue. */
  add(item: T, err?: unknown): Promise<void> {
    if (err !== undefined) this.#failed(err);
    if (this.#stopped || this.#items.length >= this.#o.maxQueued) {
      this.#drop(item, this.#stopped ? 'the ledger is closed' : `${this.#items.length} writes already wait for the store (queue full)`);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const grace = setTimeout(resolve, this.#o.graceMs);
      this.#items.push({ item, done: () => (clearTimeout(grace), resolve()) });
      this.#schedule();
    });
  }

  /** A write outside the queue failed with data the store rejects: counted and logged, never retried. */
  reject(item: T, err: unknown): void {
    this.#drop(item, `the store rejected it: ${errorMessage(err)}`);
  }

  /** Resolves when everything queued so far is written (waits while the store is away). */
  flush(): Promise<void> {
    if (this.#items.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops retrying; what is still queued is lost. Returns how many items that was. */
  stop(): number {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const left = this.#items.splice(0);
    this.#lost += left.length;
    for (const w of left) w.done();
    for (const resolve of this.#idle.splice(0)) resolve();
    return left.length;
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

  #schedule(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setTimeout(() => this.#drain(), this.#backoff);
  }

  #drain(): void {
    this.#timer = null;
    while (this.#items.length > 0 && !this.#stopped) {
      const batch = this.#items.slice(0, this.#o.batchSize);
      try {
        this.write(batch.map((w) => w.item));
      } catch (err) {
        if (!isRejectedData(err)) return this.#retryLater(err);
        if (!this.#writeOneByOne(batch.length)) return;
        continue;
      }
      this.#items.splice(0, batch.length);
      for (const w of batch) w.done();
      this.#recovered();
      // one batch per turn of the event loop: a long backlog never holds the loop
      if (this.#items.length > 0) return void (this.#timer = setTimeout(() => this.#drain(), 0));
    }
    for (const resolve of this.#idle.splice(0)) resolve();
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
      w.done();
    }
    return true;
  }

  #retryLater(err: unknown): void {
    this.#failed(err);
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
