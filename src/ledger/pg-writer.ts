import type pg from 'pg';
import { log } from '../log.js';
import { errorMessage as message, isRejectedData, operatorHint, type StoreHealth } from './health.js';
import * as Q from './queries.js';
import * as R from './rows.js';
import type { RequestRecord } from './types.js';

/**
 * Writes request rows (in batches) and budget settlements to PostgreSQL, and keeps them in memory
 * while the database is unreachable, retrying with backoff until it returns.
 *
 * A row's promise resolves when its batch committed, or as soon as a write attempt failed for a
 * transient reason (the row stays queued and is retried): it never rejects, so the request path
 * never waits on an outage. Rows whose data the database rejects (SQLSTATE 22/23/42) are written
 * one by one and only the offending rows are dropped, loudly.
 */
export interface WriterOptions {
  maxQueuedRows: number;
  batchSize: number;
  maxBackoffMs: number;
}

interface PendingRow {
  row: RequestRecord;
  done: () => void;
}

interface PendingSettle {
  query: Q.Query;
  done: () => void;
}

const ARRAY_TYPES = ['text', 'bigint', 'text', 'text', 'text', 'text', 'text', 'float8', 'float8', 'float8', 'bigint', 'text', 'float8', 'float8', 'text', 'text', 'text', 'text', 'int'];

/** One statement: insert the batch (duplicates ignored) and fold exactly the inserted rows into the aggregates. */
const BATCH_SQL = `
WITH input AS (
  SELECT * FROM unnest(${ARRAY_TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
    AS t(${R.REQUEST_COLUMNS.join(', ')})
), ins AS (
  INSERT INTO requests (${R.REQUEST_COLUMNS.join(', ')}) SELECT * FROM input
  ON CONFLICT (id) DO NOTHING
  RETURNING ts, project, session_id, modality, provider, model, cost_nanos, latency_ms
), hours AS (
  INSERT INTO request_hours AS h (hour, project, provider, model, modality, cost_nanos, requests, unpriced)
  SELECT (ts / 3600000) * 3600000, project, provider, model, modality, COALESCE(SUM(cost_nanos), 0), COUNT(*),
         COUNT(*) FILTER (WHERE cost_nanos IS NULL)
  FROM ins GROUP BY 1, 2, 3, 4, 5 ORDER BY 2, 3, 4, 5, 1
  ON CONFLICT (project, provider, model, modality, hour) DO UPDATE SET
    cost_nanos = h.cost_nanos + EXCLUDED.cost_nanos, requests = h.requests + EXCLUDED.requests,
    unpriced = h.unpriced + EXCLUDED.unpriced
)
INSERT INTO sessions AS s (id, project, started_at, ended_at, stt_nanos, llm_nanos, tts_nanos, realtime_nanos, requests, unpriced)
SELECT session_id, MIN(project), MIN(ts), MAX(ROUND(ts + GREATEST(COALESCE(latency_ms, 0), 0)))::bigint,
       COALESCE(SUM(cost_nanos) FILTER (WHERE modality = 'stt'), 0),
       COALESCE(SUM(cost_nanos) FILTER (WHERE modality = 'llm'), 0),
       COALESCE(SUM(cost_nanos) FILTER (WHERE modality = 'tts'), 0),
       COALESCE(SUM(cost_nanos) FILTER (WHERE modality = 'realtime'), 0),
       COUNT(*), COUNT(*) FILTER (WHERE cost_nanos IS NULL)
FROM ins WHERE session_id IS NOT NULL GROUP BY session_id ORDER BY session_id
ON CONFLICT (id) DO UPDATE SET
  started_at = LEAST(s.started_at, EXCLUDED.started_at), ended_at = GREATEST(s.ended_at, EXCLUDED.ended_at),
  stt_nanos = s.stt_nanos + EXCLUDED.stt_nanos, llm_nanos = s.llm_nanos + EXCLUDED.llm_nanos,
  tts_nanos = s.tts_nanos + EXCLUDED.tts_nanos, realtime_nanos = s.realtime_nanos + EXCLUDED.realtime_nanos,
  requests = s.requests + EXCLUDED.requests,
  unpriced = s.unpriced + EXCLUDED.unpriced`;

export class PgWriter {
  #rows: PendingRow[] = [];
  #settles: PendingSettle[] = [];
  #running = false;
  #down: { err: unknown; since: number } | null = null;
  #stopping = false;
  #dropped = 0;
  #idle: (() => void)[] = [];
  #wake: (() => void) | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly opts: WriterOptions,
    private readonly location: string,
  ) {}

  health(): StoreHealth {
    const d = this.#down;
    const { rows, settles, dropped } = this.pending;
    return { problem: d ? operatorHint(d.err, 'postgres', this.location) : null, since: d?.since ?? null, queued: rows + settles, lost: dropped };
  }

  get pending(): { rows: number; settles: number; dropped: number } {
    return { rows: this.#rows.length, settles: this.#settles.length, dropped: this.#dropped };
  }

  get down(): boolean {
    return this.#down !== null;
  }

  addRow(row: RequestRecord): Promise<void> {
    if (this.#stopping || this.#rows.length >= this.opts.maxQueuedRows) {
      this.#dropped++;
      log.error(`ledger: request ${row.id} dropped: ${this.#stopping ? 'the ledger is closed' : `${this.#rows.length} rows already wait for PostgreSQL`}`);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#rows.push({ row, done: resolve });
      if (this.#down) resolve();
      this.#kick();
    });
  }

  addSettle(query: Q.Query): Promise<void> {
    return new Promise((resolve) => {
      this.#settles.push({ query, done: resolve });
      if (this.#down) resolve();
      this.#kick();
    });
  }

  /** Resolves when everything queued so far is written (waits through an outage). */
  flush(): Promise<void> {
    if (!this.#running && this.#rows.length === 0 && this.#settles.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stops retrying; whatever is still queued is returned to the caller to report. */
  async stop(): Promise<{ rows: number; settles: number; dropped: number }> {
    this.#stopping = true;
    this.#wake?.();
    while (this.#running) await new Promise((r) => setTimeout(r, 10));
    const left = this.pending;
    for (const p of [...this.#rows, ...this.#settles]) p.done();
    this.#rows = [];
    this.#settles = [];
    for (const resolve of this.#idle.splice(0)) resolve();
    return left;
  }

  #kick(): void {
    if (!this.#running) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#running = true;
    let backoff = 50;
    try {
      while (!this.#stopping && (this.#rows.length > 0 || this.#settles.length > 0)) {
        if (await this.#writeOnce()) {
          backoff = 50;
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoff * (0.5 + Math.random()));
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = null;
        backoff = Math.min(backoff * 2, this.opts.maxBackoffMs);
      }
    } finally {
      this.#running = false;
      if (this.#rows.length === 0 && this.#settles.length === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /** One attempt at the head of the queues; false = the database is unreachable (retry later). */
  async #writeOnce(): Promise<boolean> {
    const batch = this.#rows.slice(0, this.opts.batchSize);
    try {
      if (batch.length > 0) {
        await this.#writeBatch(batch);
        this.#rows.splice(0, batch.length);
        for (const p of batch) p.done();
      }
      const settle = this.#settles[0];
      if (settle) {
        await this.#attempt(() => this.pool.query(settle.query.text, settle.query.params), `budget settlement ${JSON.stringify(settle.query.params.slice(0, 2))}`);
        this.#settles.shift();
        settle.done();
      }
      this.#up();
      return true;
    } catch (err) {
      if (!this.#down) {
        log.warn(`ledger: PostgreSQL unreachable (${message(err)}); holding ${this.#rows.length} rows in memory and retrying. ${operatorHint(err, 'postgres', this.location)}`);
      }
      this.#down = { err, since: this.#down?.since ?? Date.now() };
      for (const p of batch) p.done();
      for (const p of this.#settles) p.done();
      return false;
    }
  }

  async #writeBatch(batch: PendingRow[]): Promise<void> {
    try {
      await this.pool.query({ name: 'voicegw_record_batch', text: BATCH_SQL, values: columns(batch.map((p) => p.row)) });
    } catch (err) {
      if (!isRejectedData(err)) throw err;
      // some row is unacceptable: write one by one so only that row is lost
      for (const p of batch) {
        await this.#attempt(
          () => this.pool.query({ name: 'voicegw_record_batch', text: BATCH_SQL, values: columns([p.row]) }),
          `request ${p.row.id}`,
        );
      }
    }
  }

  /** Runs a write; data the database rejects is dropped with an error log, transient failures throw. */
  async #attempt(write: () => Promise<unknown>, what: string): Promise<void> {
    try {
      await write();
    } catch (err) {
      if (!isRejectedData(err)) throw err;
      this.#dropped++;
      log.error(`ledger: PostgreSQL rejected ${what}, dropped: ${message(err)}`);
    }
  }

  #up(): void {
    if (!this.#down) return;
    this.#down = null;
    log.info(`ledger: PostgreSQL reachable again; writing ${this.#rows.length} queued rows`);
  }
}

function columns(rows: RequestRecord[]): unknown[][] {
  const cols: unknown[][] = R.REQUEST_COLUMNS.map(() => []);
  for (const r of rows) {
    const values = R.requestValues(r);
    for (let i = 0; i < values.length; i++) cols[i]!.push(values[i]);
  }
  return cols;
}
