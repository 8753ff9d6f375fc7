import type Database from 'better-sqlite3';
import { log } from '../log.js';
import { errorMessage, isSqliteBusy, retryWhileBusy } from './health.js';
import type { Query } from './queries.js';

export interface FoldOptions {
  /** inbox rows that schedule a fold on the next turn of the event loop */
  everyRows: number;
  /** inbox rows that are folded at once, even if the loop never turns (a bulk job) */
  maxRows: number;
}

const DEFAULTS: FoldOptions = { everyRows: 64, maxRows: 1024 };
/** a fold that found the write lock taken is tried again this much later */
const RETRY_MS = 250;
/** how long a report waits (on timers) for the fold it needs before giving up */
const READ_WAIT_MS = 5000;

/** Known cost in the inbox for whole hours [from, to): with `request_hours` it is the exact spend, without a fold. */
export function inboxSpendQuery(project: string, from: number, to: number): Query {
  return { text: 'SELECT COALESCE(SUM(cost_nanos), 0) AS cost FROM aggregate_inbox WHERE project = ? AND ts >= ? AND ts < ?', params: [project, from, to] };
}

const FOLD_SQL = `
INSERT INTO request_hours (hour, project, provider, model, modality, cost_nanos, requests, unpriced)
  SELECT (ts / 3600000) * 3600000, project, provider, model, modality, COALESCE(SUM(cost_nanos), 0), COUNT(*),
         SUM(cost_nanos IS NULL)
  FROM aggregate_inbox GROUP BY 1, 2, 3, 4, 5 ORDER BY 2, 3, 4, 5, 1
  ON CONFLICT (project, provider, model, modality, hour) DO UPDATE SET
    cost_nanos = cost_nanos + excluded.cost_nanos, requests = requests + excluded.requests, unpriced = unpriced + excluded.unpriced;
INSERT INTO sessions (id, project, started_at, ended_at, stt_nanos, llm_nanos, tts_nanos, realtime_nanos, requests, unpriced)
  SELECT session_id, MIN(project), MIN(ts), MAX(ended_at),
         COALESCE(SUM(CASE WHEN modality = 'stt' THEN cost_nanos END), 0),
         COALESCE(SUM(CASE WHEN modality = 'llm' THEN cost_nanos END), 0),
         COALESCE(SUM(CASE WHEN modality = 'tts' THEN cost_nanos END), 0),
         COALESCE(SUM(CASE WHEN modality = 'realtime' THEN cost_nanos END), 0),
         COUNT(*), SUM(cost_nanos IS NULL)
  FROM aggregate_inbox WHERE session_id IS NOT NULL GROUP BY session_id ORDER BY session_id
  ON CONFLICT (id) DO UPDATE SET
    started_at = min(started_at, excluded.started_at), ended_at = max(ended_at, excluded.ended_at),
    stt_nanos = stt_nanos + excluded.stt_nanos, llm_nanos = llm_nanos + excluded.llm_nanos,
    tts_nanos = tts_nanos + excluded.tts_nanos, realtime_nanos = realtime_nanos + excluded.realtime_nanos, requests = requests + excluded.requests, unpriced = unpriced + excluded.unpriced;
DELETE FROM aggregate_inbox;`;

/**
 * Keeps `request_hours` and `sessions` off the per-row transaction.
 *
 * `record()` commits the request row and one inbox row together (two appends); the inbox is folded
 * into the aggregates in batches: on the loop turn after every `everyRows` rows (~0.3 ms per 64 rows
 * here, against ~20 µs per row to upsert both aggregates inline), at once past `maxRows`, and before
 * any read of the aggregates. A fold is one write transaction that moves the whole inbox, so the
 * aggregates count every committed row exactly once, whichever process folds it and even after a
 * crash between the commit and the fold.
 */
export class AggregateFolder {
  readonly #o: FoldOptions;
  readonly #fold: () => void;
  readonly #hasPending: Database.Statement;
  #rows = 0;
  #scheduled: NodeJS.Immediate | null = null;
  /** a fold that found the store busy, tried again later (rows keep arriving meanwhile) */
  #retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Database.Database,
    /** runs a write transaction (busy retries, WAL checkpoint accounting) */
    private readonly write: (commit: () => void) => void,
    options: Partial<FoldOptions> = {},
  ) {
    this.#o = { ...DEFAULTS, ...options };
    const fold = db.transaction(() => db.exec(FOLD_SQL));
    this.#fold = () => fold.immediate();
    this.#hasPending = db.prepare('SELECT 1 FROM aggregate_inbox LIMIT 1').pluck();
  }

  /** Call after a commit that added `rows` inbox rows. */
  added(rows = 1): void {
    this.#rows += rows;
    if (this.#rows >= this.#o.maxRows) return void this.fold();
    // a commit just succeeded, so the store takes writes again: a pending retry need not wait
    if (this.#rows >= this.#o.everyRows && !this.#scheduled) this.#scheduled = setImmediate(() => this.fold());
  }

  /**
   * Folds what any process left in the inbox, so the aggregates are exact for a read. While
   * another process holds the write lock the read waits for it on timers, never on the loop.
   */
  async foldPending(): Promise<void> {
    if (this.#hasPending.get() === undefined) return;
    await retryWhileBusy(() => this.#foldNow(), READ_WAIT_MS);
  }

  /** Folds now; when the write lock is taken (or the store fails) the rows stay in the inbox and a retry is scheduled. */
  fold(): boolean {
    try {
      this.#foldNow();
      return true;
    } catch (err) {
      if (!isSqliteBusy(err)) log.warn(`ledger: folding the aggregate inbox failed (${errorMessage(err)}); will retry`);
      this.#retry = setTimeout(() => this.fold(), RETRY_MS);
      this.#retry.unref();
      return false;
    }
  }

  #foldNow(): void {
    this.cancel();
    if (!this.db.open) return;
    this.write(this.#fold);
    this.#rows = 0;
  }

  cancel(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    if (this.#retry) clearTimeout(this.#retry);
    this.#scheduled = null;
    this.#retry = null;
  }
}

/** Recomputes `request_hours` and `sessions` from `requests` and empties the inbox (inside the caller's transaction). */
export function rebuildAggregates(db: Database.Database): void {
  db.exec(`
    DELETE FROM aggregate_inbox;
    DELETE FROM request_hours;
    INSERT INTO request_hours (hour, project, provider, model, modality, cost_nanos, requests, unpriced)
      SELECT (ts / 3600000) * 3600000, project, provider, model, modality, COALESCE(SUM(cost_nanos), 0), COUNT(*),
             SUM(CASE WHEN cost_nanos IS NULL THEN 1 ELSE 0 END)
      FROM requests GROUP BY 1, 2, 3, 4, 5;
    DELETE FROM sessions;
    INSERT INTO sessions (id, project, started_at, ended_at, stt_nanos, llm_nanos, tts_nanos, realtime_nanos, requests, unpriced)
      SELECT session_id, MIN(project), MIN(ts), CAST(ROUND(MAX(ts + MAX(COALESCE(latency_ms, 0), 0))) AS INTEGER),
             COALESCE(SUM(CASE WHEN modality = 'stt' THEN cost_nanos END), 0),
             COALESCE(SUM(CASE WHEN modality = 'llm' THEN cost_nanos END), 0),
             COALESCE(SUM(CASE WHEN modality = 'tts' THEN cost_nanos END), 0),
             COALESCE(SUM(CASE WHEN modality = 'realtime' THEN cost_nanos END), 0),
             COUNT(*), SUM(CASE WHEN cost_nanos IS NULL THEN 1 ELSE 0 END)
      FROM requests WHERE session_id IS NOT NULL GROUP BY session_id;`);
}
