import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { log } from '../log.js';

/**
 * Runs WAL checkpoints on a worker thread with its own connection, so the copy-back and fsync of
 * a checkpoint never stall `record()` on the event loop (with SQLite's automatic checkpoint the
 * committing call pays ~2 ms every few hundred rows). PASSIVE checkpoints never block writers; if
 * several processes run one at once, the losers get SQLITE_BUSY and simply try again next tick.
 * The writer's own `wal_autocheckpoint` stays on (at a larger size) as a fallback.
 */
const WORKER_SOURCE = `
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

export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;

  constructor(path: string, everyMs = 50) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, everyMs, driver } });
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
