/**
 * P4 (fleet): budget admission latency on PostgreSQL with `--workers` concurrent workers admitting
 * against ONE shared project, as a fleet of agent workers does. Each worker is a worker thread with
 * its own Gateway and connection pool (like a worker process); each runs `--admissions` requests one
 * after another: `gw.budget.admit()` (the conditional update of the project's `budget_days` row),
 * then settlement at the estimate, as a drop-in's request does. The budget is worth half of all the
 * requests, so the run crosses it: over-admissions (requests admitted past what the rule allows,
 * spent + reserved < budget with every hold an upper bound) must be 0.
 *
 * Runs in a database of its own (created and dropped here): nothing collides with tests running
 * on the same server. Prints one JSON document ({ skipped } when PostgreSQL is unreachable).
 *
 *   npx tsx bench/budget-pg.ts [--workers 8] [--admissions 500] [--pg postgres://postgres@127.0.0.1:5432/test]
 */
import { randomUUID } from 'node:crypto';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pg from 'pg';
import { Gateway } from '../src/gateway.js';
import { setLogSink } from '../src/log.js';
import { argNumber, argString } from './lib/args.js';
import { percentile, round } from './lib/stats.js';

/** one request's upper bound: 10,000 nano-USD */
const ESTIMATE = 10_000;
const PROJECT = 'fleet';

interface Job {
  url: string;
  admissions: number;
  budgetNanos: number;
  startAt: number;
}

interface WorkerResult {
  latenciesMs: number[];
  admitted: number;
  refused: number;
  openMs: number;
  /** epoch ms (performance.timeOrigin-based) of the first admission and after the last settlement */
  from: number;
  to: number;
}

function config(budgetNanos: number) {
  return {
    projects: {
      [PROJECT]: { name: 'Fleet', daily_budget: budgetNanos / 1e9, budget_action: 'block' },
      // warms each worker's pool and code paths without touching the measured row
      warm: { name: 'Warm', daily_budget: 1_000_000, budget_action: 'block' },
    },
    budget_timezone: 'UTC',
  };
}

async function work(job: Job): Promise<WorkerResult> {
  setLogSink(() => {});
  const opened = performance.now();
  const gw = await Gateway.open({ databaseUrl: job.url, env: {}, config: config(job.budgetNanos) });
  const openMs = performance.now() - opened;
  for (let i = 0; i < 20; i++) (await gw.budget.admit('warm', ESTIMATE)).reservation.settle(ESTIMATE);
  await gw.drain();
  await new Promise((r) => setTimeout(r, Math.max(0, job.startAt - Date.now())));
  const latenciesMs: number[] = [];
  let admitted = 0;
  const from = performance.timeOrigin + performance.now();
  for (let i = 0; i < job.admissions; i++) {
    const t = performance.now();
    const a = await gw.budget.admit(PROJECT, ESTIMATE);
    latenciesMs.push(performance.now() - t);
    if (a.kind === 'ok') admitted++;
    // as a drop-in's request: the real cost (here the whole upper bound) replaces the hold; a refusal holds nothing
    a.reservation.settle(a.kind === 'ok' ? ESTIMATE : 0);
  }
  const to = performance.timeOrigin + performance.now();
  await gw.drain();
  await gw.close();
  return { latenciesMs, admitted, refused: job.admissions - admitted, openMs, from, to };
}

function startWorker(job: Job): Promise<WorkerResult> {
  // a worker thread does not inherit tsx's loader: register it first, then load this file
  const src = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(import.meta.url)});`;
  const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(src)}`), { workerData: job });
  return new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`budget worker exited ${code} before reporting`)));
  });
}

async function main(): Promise<unknown> {
  const workers = argNumber('workers', 8);
  const admissions = argNumber('admissions', 500);
  const base = argString('pg', process.env.VOICEGW_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    return { skipped: `PostgreSQL unreachable at ${base}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const name = `voicegw_bench_budget_${process.pid}_${randomUUID().slice(0, 8)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  try {
    const total = workers * admissions;
    // worth half the requests, and not a multiple of one: the rule admits ceil(budget / estimate)
    const budgetNanos = ESTIMATE * Math.floor(total / 2) + ESTIMATE / 2;
    const allowed = Math.ceil(budgetNanos / ESTIMATE);
    // migrate once, so the workers measure admissions and not the first schema creation
    await (await Gateway.open({ databaseUrl: url.toString(), env: {}, config: config(budgetNanos) })).close();
    const startAt = Date.now() + 3000 + workers * 500;
    const results = await Promise.all(Array.from({ length: workers }, () => startWorker({ url: url.toString(), admissions, budgetNanos, startAt })));
    const wallS = (Math.max(...results.map((r) => r.to)) - Math.min(...results.map((r) => r.from))) / 1000;
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    const row = (await db.query<{ spent_nanos: string; reserved_nanos: string }>('SELECT spent_nanos, reserved_nanos FROM budget_days WHERE project = $1', [PROJECT])).rows[0];
    await db.end();
    const all = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
    const admitted = results.reduce((s, r) => s + r.admitted, 0);
    const spentNanos = Number(row?.spent_nanos ?? 0);
    const ms = (x: number) => round(x, 3);
    return {
      bench: 'budget-pg',
      workers,
      admissionsPerWorker: admissions,
      admissions: total,
      p50Ms: ms(percentile(all, 50)),
      p90Ms: ms(percentile(all, 90)),
      p99Ms: ms(percentile(all, 99)),
      maxMs: ms(all.at(-1) ?? Number.NaN),
      admissionsPerSecond: Math.round(total / Math.max(wallS, 1e-9)),
      budgetNanos,
      estimateNanos: ESTIMATE,
      allowedByRule: allowed,
      admitted,
      refused: total - admitted,
      /** admitted past what the rule allows: must be 0 (the budget ends at most one request over) */
      overAdmissions: Math.max(0, admitted - allowed),
      /** what the day ended at, in requests past the budget (≤ 1 is the promise) */
      overshootRequests: round((spentNanos - budgetNanos) / ESTIMATE, 2),
      final: { spentNanos, reservedNanos: Number(row?.reserved_nanos ?? 0) },
      gatewayOpenMs: ms(Math.max(...results.map((r) => r.openMs))),
    };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (isMainThread) console.log(JSON.stringify(await main(), null, 2));
else parentPort!.postMessage(await work(workerData as Job));
