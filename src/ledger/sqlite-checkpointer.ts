import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { log } from '../log.js';

export interface CheckpointOptions {
  /** rows committed between two inline checkpoints (each copies the pages those rows' commits wrote) */
  everyRows: number;
  /** share of the event loop inline checkpoints may take (per second) before they move to a thread */
  maxLoopShare: number;
}

const DEFAULTS: CheckpointOptions = { everyRows: 64, maxLoopShare: 0.02 };
const WINDOW_MS = 1000;

/**
 * Keeps the WAL short without putting checkpoints inside `record()`.
 *
 * At a voice worker's write rate (a few hundred rows/s for 100 calls) a PASSIVE checkpoint every
 * 64 rows takes ~2–3 ms, run as its own macrotask after the commit that crossed the mark: about
 * as long as a young-generation GC, and no thread (a worker thread costs ~13 MB RSS). When the
 * checkpoints take more than `maxLoopShare` of the event loop, or commits pile up without the loop
 * turning (a bulk job, or a backlog written after the store was away), they move to a worker thread with its own connection for the rest of the
 * ledger's life. PASSIVE checkpoints never block writers; SQLite's own `wal_autocheckpoint` stays
 * on, at a larger size, as a fallback.
 */
export class WalCheckpointer {
  readonly #o: CheckpointOptions;
  #rows = 0;
  #scheduled: NodeJS.Immediate | null = null;
  #windowStart = performance.now();
  #windowSpentMs = 0;
  #longestMs = 0;
  #thread: CheckpointThread | null = null;
  /**
   * The driver the thread loads, resolved when the ledger opens: resolving it walks node_modules
   * (~2 ms here), and the thread is started while a backlog is being written, when the loop is busiest.
   */
  readonly #driver = createRequire(import.meta.url).resolve('better-sqlite3');

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    options: Partial<CheckpointOptions> = {},
  ) {
    this.#o = { ...DEFAULTS, ...options };
  }

  /** where checkpoints run now */
  get mode(): 'inline' | 'thread' {
    return this.#thread ? 'thread' : 'inline';
  }

  /** Call after each committed write transaction, with the rows it wrote. */
  committed(rows = 1): void {
    if (this.#thread) return;
    this.#rows += rows;
    // writes in a loop that never yields (a bulk job) would outrun any scheduled checkpoint
    if (this.#rows >= this.#o.everyRows * 8) return this.#moveToThread(`${this.#rows} rows committed without a turn of the event loop`);
    if (this.#rows < this.#o.everyRows || this.#scheduled) return;
    this.#scheduled = setImmediate(() => this.#checkpointInline());
  }

  /** the longest inline checkpoint since the last call */
  takeLongestMs(): number {
    const ms = this.#longestMs;
    this.#longestMs = 0;
    return ms;
  }

  async stop(): Promise<void> {
    this.#cancelScheduled();
    await this.#thread?.stop();
  }

  #cancelScheduled(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = null;
  }

  #checkpointInline(): void {
    this.#scheduled = null;
    this.#rows = 0;
    if (!this.db.open) return;
    const started = performance.now();
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      return; // busy: another connection is checkpointing
    }
    const now = performance.now();
    if (now - this.#windowStart > WINDOW_MS) {
      this.#windowStart = started;
      this.#windowSpentMs = 0;
    }
    this.#windowSpentMs += now - started;
    this.#longestMs = Math.max(this.#longestMs, now - started);
    if (this.#windowSpentMs > this.#o.maxLoopShare * WINDOW_MS) this.#moveToThread(`checkpoints took ${this.#windowSpentMs.toFixed(1)} ms of the last second`);
  }

  #moveToThread(why: string): void {
    log.debug(`ledger: ${why}; WAL checkpoints move to a worker thread`);
    this.#cancelScheduled();
    this.#thread = new CheckpointThread(this.path, this.#driver);
  }
}

const THREAD_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: 0 });
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: another checkpoint is running */ }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  process.exit(0);
});`;

/** Checkpoints every `everyMs` on a worker thread with its own connection. */
class CheckpointThread {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;

  constructor(path: string, driver: string, everyMs = 50) {
    this.#worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { path, everyMs, driver } });
    this.#worker.unref();
    this.#worker.on('error', (err) => log.warn(`ledger: WAL checkpoint thread failed (${err.message}); SQLite's automatic checkpoints continue`));
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
  }

  async stop(): Promise<void> {
    this.#worker.ref(); // keep the process alive until the thread has closed its connection
    this.#worker.postMessage('stop');
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
    await Promise.race([this.#exited, timeout]);
    await this.#worker.terminate();
  }
}
