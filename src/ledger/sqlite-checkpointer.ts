import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { log } from '../log.js';

export interface CheckpointOptions {
  /** rows committed between two inline checkpoints (each copies the pages those rows' commits wrote) */
  everyRows: number;
  /** share of the event loop inline checkpoints may take (per second) before they move to a thread */
  maxLoopShare: number;
  /**
   * on the thread, a WAL file grown past this (by a backlog) is truncated there (`wal_checkpoint(TRUNCATE)`);
   * SQLite's `journal_size_limit` would truncate it inside a commit instead: 15–19 ms for 78 MB here
   */
  truncateAboveBytes: number;
}

const DEFAULTS: CheckpointOptions = { everyRows: 64, maxLoopShare: 0.02, truncateAboveBytes: 32 * 1024 * 1024 };
const WINDOW_MS = 1000;
/**
 * SQLite's own automatic checkpoint, in WAL pages: a fallback that runs inside a commit, on the event
 * loop. With checkpoints inline it rarely fires. With them on the thread, a backlog written after the
 * store was away grows the WAL faster than the thread resets it, and at 10,000 pages the commits that
 * crossed it took 10–20 ms; 131,072 pages (~270 MB) is above the WAL of a full write queue (~90–110 MB).
 */
const AUTOCHECKPOINT_PAGES = { inline: 10_000, thread: 131_072 };

/**
 * Keeps the WAL short without putting checkpoints inside `record()`.
 *
 * At a voice worker's write rate (a few hundred rows/s for 100 calls) a PASSIVE checkpoint every
 * 64 rows takes ~2–3 ms, run as its own macrotask after the commit that crossed the mark: about
 * as long as a young-generation GC, and no thread (a worker thread costs ~13 MB RSS). When the
 * checkpoints take more than `maxLoopShare` of the event loop, or commits pile up without the loop
 * turning (a bulk job, or a backlog written after the store was away), they move to a worker thread with its own connection for the rest of the
 * ledger's life. PASSIVE checkpoints never block writers; SQLite's own `wal_autocheckpoint` stays
 * on, at a larger size, as a fallback (`AUTOCHECKPOINT_PAGES`).
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
    db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES.inline}`);
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
    this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES.thread}`);
    this.#thread = new CheckpointThread(this.path, this.#driver, this.#o.truncateAboveBytes, () => this.db.open && this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES.inline}`));
  }
}

const THREAD_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: 0 });
const walSize = () => { try { return statSync(workerData.path + '-wal').size; } catch { return 0; } };
const timer = setInterval(() => {
  // TRUNCATE takes the write lock while it runs: the ledger's writes queue meanwhile (never waiting on the loop)
  const mode = walSize() > workerData.truncateAboveBytes ? 'TRUNCATE' : 'PASSIVE';
  try { db.pragma('wal_checkpoint(' + mode + ')'); } catch { /* busy: a writer or another checkpoint */ }
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

  constructor(path: string, driver: string, truncateAboveBytes: number, onFailed: () => void, everyMs = 50) {
    this.#worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { path, everyMs, driver, truncateAboveBytes } });
    this.#worker.unref();
    this.#worker.on('error', (err) => {
      log.warn(`ledger: WAL checkpoint thread failed (${err.message}); SQLite's automatic checkpoints continue`);
      onFailed();
    });
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
