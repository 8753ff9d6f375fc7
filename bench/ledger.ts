/**
 * Ledger benchmark (prints JSON): durable SQLite record() throughput (a burst, group-committed; and
 * one awaited row at a time) and hot-path cost, costs()
 * over 1,000,000 synthetic rows, and PostgreSQL throughput when reachable.
 *
 * Also the worst event-loop stall while another process holds the SQLite write lock (`--lock-seconds`);
 * `--only lock` measures that alone, in a fresh process with a worker's heap (how `npm run bench` runs it),
 * `--only throughput` everything else.
 *
 *   npx tsx bench/ledger.ts [--rows 1000000] [--lock-seconds 60] [--only lock|throughput] [--pg postgres://postgres@127.0.0.1:5432/test]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PostgresLedger } from '../src/ledger/postgres.js';
import { SqliteLedger } from '../src/ledger/sqlite.js';
import type { Ledger, RequestRecord } from '../src/ledger/types.js';
import type { Modality } from '../src/types.js';
import { lockStall, otherCommit } from './lib/lock-stall.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const SYNTHETIC_ROWS = Number(arg('rows', '1000000'));
const LOCK_SECONDS = Number(arg('lock-seconds', '60'));
const ONLY = arg('only', 'all');
const PG_URL = arg('pg', process.env.VOICEGW_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22, 13, 37, 11);

const MODELS: [Modality, string, string][] = [
  ['stt', 'deepgram', 'nova-3'],
  ['stt', 'openai', 'gpt-4o-mini-transcribe'],
  ['llm', 'openai', 'gpt-4.1-mini'],
  ['llm', 'openai', 'gpt-4o'],
  ['llm', 'groq', 'llama-3.3-70b-versatile'],
  ['llm', 'ollama', 'qwen2.5:3b'],
  ['tts', 'cartesia', 'sonic-3'],
  ['tts', 'deepgram', 'aura-2'],
];

function row(i: number, ts: number): RequestRecord {
  const [modality, provider, model] = MODELS[i % MODELS.length]!;
  return {
    id: randomUUID(),
    ts,
    project: `project-${i % 5}`,
    sessionId: `session-${Math.floor(i / 20)}`,
    modality,
    provider,
    model,
    inputUnits: 1200,
    outputUnits: 80,
    cachedUnits: 1000,
    costNanos: i % 97 === 0 ? null : 1000 + (i % 5000),
    pricingSource: 'bench',
    ttfbMs: 120,
    latencyMs: 800,
    status: 'success',
    fallbackFrom: null,
    error: null,
    throttle: null,
    guardrailFindings: 0,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

async function timeMs(fn: () => Promise<unknown>, runs = 9): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return round(median(times), 2);
}

/** Median ms of the reports an operator runs: all time, one project this month, "today" (unaligned). */
async function reportTimings(ledger: Ledger) {
  return {
    costs_all_ms: await timeMs(() => ledger.costs({})),
    costs_30d_ms: await timeMs(() => ledger.costs({ from: NOW - 30 * DAY, to: NOW })),
    costs_project_30d_ms: await timeMs(() => ledger.costs({ project: 'project-1', from: NOW - 30 * DAY, to: NOW })),
    costs_last_24h_unaligned_ms: await timeMs(() => ledger.costs({ from: NOW - DAY, to: NOW })),
    spend_today_ms: await timeMs(() => ledger.spend('project-2', NOW - 13 * 3_600_000 - 37 * 60_000, NOW)),
    spend_series_30d_daily_ms: await timeMs(() => ledger.spendSeries({ from: NOW - 30 * DAY, to: NOW, bucketMs: DAY })),
    logs_latest_100_ms: await timeMs(() => ledger.logs({ project: 'project-3', limit: 100 })),
  };
}

/**
 * What this machine charges for the smallest durable SQLite write (one row, one index, one commit,
 * same journal settings as the ledger): the floor under record(), to read its figure against.
 */
function bareCommitUs(dir: string): number {
  const db = new Database(join(dir, 'bare.db'));
  db.pragma('page_size = 2048');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, v INTEGER)');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
  const commit = db.transaction((i: number) => insert.run(randomUUID(), i));
  const times: number[] = [];
  for (let i = 0; i < 6000; i++) {
    const t = performance.now();
    commit.immediate(i);
    if (i >= 1000) times.push(performance.now() - t);
  }
  db.close();
  return round(median(times) * 1000);
}

async function sqliteBench(dir: string) {
  const bare = bareCommitUs(dir);
  const ledger = SqliteLedger.open(join(dir, 'hot.db'));
  const n = 20_000;
  const rows = Array.from({ length: n }, (_, i) => row(i, NOW - (n - i) * 50));
  for (let i = 0; i < 500; i++) await ledger.record(row(i, NOW - DAY)); // warm up
  // a burst: n record() calls in one turn, then until every row is committed (group commits of a batch per turn)
  const perRow: number[] = [];
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  for (const r of rows) {
    const t = performance.now();
    void ledger.record(r);
    perRow.push(performance.now() - t);
  }
  await ledger.flush();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  perRow.sort((a, b) => a - b);
  // one row at a time, each awaited before the next is recorded: one commit (and one loop turn) per row
  const m = 5000;
  const single = Array.from({ length: m }, (_, i) => row(i, NOW - 2 * DAY + i));
  const singleStart = performance.now();
  for (const r of single) await ledger.record(r);
  const singleSeconds = (performance.now() - singleStart) / 1000;
  const checkpoints = ledger.checkpointMode;
  await ledger.close();

  const big = SqliteLedger.open(join(dir, 'million.db'));
  const buildStart = performance.now();
  function* synthetic() {
    for (let i = 0; i < SYNTHETIC_ROWS; i++) yield row(i, NOW - 30 * DAY + Math.floor((i / SYNTHETIC_ROWS) * 30 * DAY));
  }
  big.bulkImport(synthetic());
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const timings = await reportTimings(big);
  const total = (await big.costs({})).requests;
  await big.close();
  return {
    durable_rows_per_s: Math.round(n / seconds),
    awaited_one_at_a_time_rows_per_s: Math.round(m / singleSeconds),
    checkpoints_after_burst: checkpoints,
    // wall time of the record() call, the event loop's time per durable row (calls + commits), and CPU time of this process per row (stabler on a shared box)
    record_us: {
      mean: round((seconds * 1e6) / n),
      p50: round(perRow[Math.floor(n / 2)]! * 1000),
      p99: round(perRow[Math.floor(n * 0.99)]! * 1000),
      max: round(perRow[n - 1]! * 1000),
      cpu_per_row: round((cpu.user + cpu.system) / n),
    },
    bare_commit_us: bare,
    synthetic_rows: total,
    synthetic_build_s: round(buildSeconds),
    ...timings,
  };
}

async function postgresBench() {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    return { skipped: `PostgreSQL unreachable at ${PG_URL}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const name = `voicegw_bench_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  try {
    const ledger = await PostgresLedger.open(url.toString());
    const sequential = 2000;
    let t = performance.now();
    for (let i = 0; i < sequential; i++) await ledger.record(row(i, NOW - i));
    const sequentialRate = sequential / ((performance.now() - t) / 1000);

    // many requests completing at once (a busy worker): rows group-commit in batches
    const burst = 50_000;
    t = performance.now();
    await Promise.all(Array.from({ length: burst }, (_, i) => ledger.record(row(i, NOW - 30 * DAY + Math.floor((i / burst) * 30 * DAY)))));
    const burstRate = burst / ((performance.now() - t) / 1000);
    const timings = await reportTimings(ledger);
    await ledger.close();
    return {
      awaited_sequential_rows_per_s: Math.round(sequentialRate),
      concurrent_burst_rows_per_s: Math.round(burstRate),
      rows_in_table: sequential + burst,
      ...timings,
    };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'voicegw-bench-'));
try {
  const sqlite = ONLY === 'lock' ? null : await sqliteBench(dir);
  const lock = ONLY === 'throughput' ? null : await lockStall(dir, LOCK_SECONDS, (i) => row(i, NOW - DAY + i));
  const otherProcess = ONLY === 'throughput' ? null : await otherCommit(dir, (i) => row(i, NOW - DAY + i));
  const postgres = ONLY === 'lock' ? null : await postgresBench();
  console.log(
    JSON.stringify(
      {
        bench: 'ledger',
        node: process.version,
        targets: { durable_rows_per_s: 20_000, costs_ms: 50, lock_stall_ms: 5 },
        sqlite,
        lock,
        other_process_commit: otherProcess,
        postgres,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
