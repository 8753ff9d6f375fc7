/**
 * The event loop while another process holds the SQLite ledger's write lock: a worker keeps
 * recording rows (a busy voice worker's rate) and a 1 ms lag monitor records the worst stall, from
 * the moment the lock is taken until a second after the rows queued meanwhile have reached the file
 * (the backlog is written while calls go on, so its writing counts). Before it, the same load for
 * as long with no lock, as this machine's own floor (the worst of a longer window is higher, so the
 * two windows are the same length); and the garbage-collection pauses in each, since a GC pause is
 * a stall the ledger's queue can cause (it holds the rows) without running any code.
 *
 * Run it in a fresh process (`bench/ledger.ts --only lock`): after the other ledger figures the
 * process holds a heap a voice worker would not, and its GC pauses would be measured instead.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
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
  baseline_p99_stall_ms: number;
  rows_per_s: number;
  rows_recorded_during_lock: number;
  worst_stall_ms: number;
  p99_stall_ms: number;
  /** worst stall while the lock was held, and while the backlog was written after it */
  worst_stall_during_lock_ms: number;
  worst_stall_after_release_ms: number;
  /**
   * the longest the ledger itself held the loop (one write transaction, tried or committed, or one
   * inline checkpoint) in each window: the part of the stalls above that is the ledger's
   */
  ledger_longest_block_ms: { baseline: number; during_lock: number; after_release: number };
  /** longest GC pause with no lock, with the lock held, and while the backlog was written */
  gc_pause_max_ms: { baseline: number; during_lock: number; after_release: number };
  /** full (mark-compact) collections in each window: waiting rows that grow the old generation cause them */
  gc_major: { baseline: number; during_lock: number; after_release: number };
  /** JavaScript heap in use when the lock was released (rows waiting), and at the end of the baseline */
  heap_used_mb: { baseline: number; at_release: number };
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
  let timer: NodeJS.Timeout | null = null;
  /** records rows at `rowsPerSecond` (5 every 10 ms, as calls finishing attempts) until stopped */
  const start = () => {
    timer = setInterval(() => {
      for (let k = 0; k < perTick; k++) {
        const t = performance.now();
        void ledger.record(row(n++));
        recordMax = Math.max(recordMax, performance.now() - t);
      }
    }, 10);
  };
  const stop = () => clearInterval(timer!);
  // GC entries arrive asynchronously: kept with their start times and assigned to windows at the end
  const pauses: { at: number; ms: number; major: boolean }[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ at: e.startTime, ms: e.duration, major: (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR });
  });
  gc.observe({ entryTypes: ['gc'] });
  const monitored = async (until: () => Promise<unknown>) => {
    const monitor = monitorEventLoopDelay({ resolution: 1 });
    const from = performance.now();
    ledger.takeLongestBlockMs();
    monitor.enable();
    await until();
    monitor.disable();
    const ledgerBlockMs = Math.round(ledger.takeLongestBlockMs() * 100) / 100;
    const to = performance.now();
    const inWindow = () => pauses.filter((p) => p.at >= from && p.at < to);
    return Object.assign(monitor, {
      ledgerBlockMs,
      gcMaxMs: () => Math.round(Math.max(0, ...inWindow().map((p) => p.ms)) * 100) / 100,
      gcMajor: () => inWindow().filter((p) => p.major).length,
    });
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;

  const heapMb = () => Math.round(process.memoryUsage().heapUsed / 1e5) / 10;
  start();
  await sleep(2000); // warm-up (first commits, compilation of the record path): a worker that has run a while
  const baseline = await monitored(() => sleep(lockSeconds * 1000));
  const baselineHeap = heapMb();
  recordMax = 0;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const child = spawn(process.execPath, ['-e', LOCKER, driver, path, String(lockSeconds * 1000)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const released = new Promise<number>((resolve) => lines.on('line', (l) => l === 'released' && resolve(performance.now())));
  await new Promise<void>((resolve) => lines.on('line', (l) => l === 'locked' && resolve()));

  const before = n;
  const duringLock = await monitored(() => released);
  const releasedAt = await released;
  const heapAtRelease = heapMb();
  const queuedAtRelease = n - before;
  let landed = 0;
  const afterRelease = await monitored(async () => {
    await ledger.flush(); // everything recorded until now (the backlog) is in the file
    landed = performance.now() - releasedAt;
    await sleep(1000);
  });
  stop();
  await ledger.flush();
  await new Promise((r) => setTimeout(r, 50)); // the last GC entries
  gc.disconnect();
  const inLedger = (await ledger.costs({})).requests;
  await ledger.close();
  return {
    lock_s: lockSeconds,
    baseline_worst_stall_ms: ms(baseline.max),
    baseline_p99_stall_ms: ms(baseline.percentile(99)),
    rows_per_s: rowsPerSecond,
    rows_recorded_during_lock: queuedAtRelease,
    worst_stall_ms: Math.max(ms(duringLock.max), ms(afterRelease.max)),
    p99_stall_ms: ms(duringLock.percentile(99)),
    worst_stall_during_lock_ms: ms(duringLock.max),
    worst_stall_after_release_ms: ms(afterRelease.max),
    ledger_longest_block_ms: { baseline: baseline.ledgerBlockMs, during_lock: duringLock.ledgerBlockMs, after_release: afterRelease.ledgerBlockMs },
    gc_pause_max_ms: { baseline: baseline.gcMaxMs(), during_lock: duringLock.gcMaxMs(), after_release: afterRelease.gcMaxMs() },
    gc_major: { baseline: baseline.gcMajor(), during_lock: duringLock.gcMajor(), after_release: afterRelease.gcMajor() },
    heap_used_mb: { baseline: baselineHeap, at_release: heapAtRelease },
    record_us_max: Math.round(recordMax * 1000),
    rows_landed_ms_after_release: Math.round(landed),
    rows_in_ledger: inLedger,
    rows_expected: n,
  };
}

const COMMITTER = `
const db = new (require(process.argv[1]))(process.argv[2]);
require('node:readline').createInterface({ input: process.stdin }).on('line', () => {
  db.prepare("INSERT INTO audit_log (ts, actor, source, action, target, detail) VALUES (0, 'bench', 'cli', 'edit', '', '')").run();
  process.stdout.write('committed\\n');
});`;

export interface OtherCommit {
  rows_before: number;
  commits: number;
  /** the ledger's next write transaction after another process committed (SQLite drops its page cache then) */
  first_write_ms: { median: number; max: number };
  /** the write after that one, for comparison */
  next_write_ms: { median: number; max: number };
}

/**
 * What another process's commit (a second worker, an operator's edit) costs this worker's event loop:
 * after `rowsBefore` rows have filled the ledger connection's page cache, another process commits
 * one row, `commits` times; each time the ledger's next write transaction is timed, then the one after.
 */
export async function otherCommit(dir: string, row: (i: number) => RequestRecord, rowsBefore = 100_000, commits = 10): Promise<OtherCommit> {
  const path = join(dir, 'shared.db');
  const ledger = SqliteLedger.open(path);
  let n = 0;
  while (n < rowsBefore) await Promise.all(Array.from({ length: 1000 }, () => ledger.record(row(n++))));
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const child = spawn(process.execPath, ['-e', COMMITTER, driver, path], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const first: number[] = [];
  const next: number[] = [];
  for (let c = 0; c < commits; c++) {
    await new Promise<void>((resolve) => {
      lines.once('line', () => resolve());
      child.stdin!.write('commit\n');
    });
    ledger.takeLongestBlockMs();
    await ledger.record(row(n++));
    first.push(ledger.takeLongestBlockMs());
    await ledger.record(row(n++));
    next.push(ledger.takeLongestBlockMs());
  }
  child.kill();
  await ledger.close();
  const summary = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { median: Math.round(s[Math.floor(s.length / 2)]! * 100) / 100, max: Math.round(s.at(-1)! * 100) / 100 };
  };
  return { rows_before: rowsBefore, commits, first_write_ms: summary(first), next_write_ms: summary(next) };
}
