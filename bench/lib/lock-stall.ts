/**
 * The event loop while another process holds the SQLite ledger's write lock: a worker keeps
 * recording rows (a busy voice worker's rate) and a 1 ms lag monitor records the worst stall. Then
 * the lock is released and we time how long the queued rows take to reach the file.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { SqliteLedger } from '../../src/ledger/sqlite.js';
import type { RequestRecord } from '../../src/ledger/types.js';

const LOCKER = `
const db = new (require(process.argv[1]))(process.argv[2]);
db.exec('BEGIN IMMEDIATE');
db.prepare("INSERT INTO audit_log (ts, actor, source, action, target, detail) VALUES (0, 'bench', 'cli', 'lock', '', '')").run();
process.stdout.write('locked\\n');
setTimeout(() => { db.exec('COMMIT'); process.stdout.write('released\\n'); db.close(); }, Number(process.argv[3]));`;

export interface LockStall {
  lock_s: number;
  /** the same load and monitor for a few seconds with no lock held: this machine's own stalls, to read the figure against */
  baseline_worst_stall_ms: number;
  rows_per_s: number;
  rows_recorded_during_lock: number;
  worst_stall_ms: number;
  p99_stall_ms: number;
  record_us_max: number;
  rows_landed_ms_after_release: number;
  rows_in_ledger: number;
  rows_expected: number;
}

export async function lockStall(dir: string, lockSeconds: number, row: (i: number) => RequestRecord, rowsPerSecond = 500): Promise<LockStall> {
  const path = join(dir, 'locked.db');
  const ledger = SqliteLedger.open(path);
  let n = 0;
  let recordMax = 0;
  const perTick = Math.max(1, Math.round(rowsPerSecond / 100));
  /** records rows at `rowsPerSecond` under a 1 ms lag monitor until `until` resolves */
  const load = async (until: Promise<unknown>) => {
    const monitor = monitorEventLoopDelay({ resolution: 1 });
    monitor.enable();
    let stop = false;
    void until.then(() => (stop = true));
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (stop) return resolve(clearInterval(timer));
        for (let k = 0; k < perTick; k++) {
          const t = performance.now();
          void ledger.record(row(n++));
          recordMax = Math.max(recordMax, performance.now() - t);
        }
      }, 10);
    });
    monitor.disable();
    return monitor;
  };
  const baseline = await load(new Promise((r) => setTimeout(r, Math.min(lockSeconds, 10) * 1000)));
  recordMax = 0;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const child = spawn(process.execPath, ['-e', LOCKER, driver, path, String(lockSeconds * 1000)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const released = new Promise<number>((resolve) => lines.on('line', (l) => l === 'released' && resolve(performance.now())));
  await new Promise<void>((resolve) => lines.on('line', (l) => l === 'locked' && resolve()));

  const before = n;
  const monitor = await load(released);
  const releasedAt = await released;
  const duringLock = n - before;
  while (ledger.health().queued > 0) await new Promise((r) => setTimeout(r, 5));
  const landed = performance.now() - releasedAt;
  const inLedger = (await ledger.costs({})).requests;
  await ledger.close();
  return {
    lock_s: lockSeconds,
    baseline_worst_stall_ms: Math.round((baseline.max / 1e6) * 100) / 100,
    rows_per_s: rowsPerSecond,
    rows_recorded_during_lock: duringLock,
    worst_stall_ms: Math.round((monitor.max / 1e6) * 100) / 100,
    p99_stall_ms: Math.round((monitor.percentile(99) / 1e6) * 100) / 100,
    record_us_max: Math.round(recordMax * 1000),
    rows_landed_ms_after_release: Math.round(landed),
    rows_in_ledger: inLedger,
    rows_expected: n,
  };
}
