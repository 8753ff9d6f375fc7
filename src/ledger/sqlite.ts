import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { log } from '../log.js';
import type { Nanos } from '../money.js';
import { pendingMigrations, SCHEMA_VERSION_DDL } from './migrations.js';
import { AggregateFolder, type FoldOptions } from './sqlite-aggregates.js';
import { type CheckpointOptions, WalCheckpointer } from './sqlite-checkpointer.js';
import * as Q from './queries.js';
import * as R from './rows.js';
import type {
  AtomicBudgetStore,
  AuditEvent,
  BudgetDayState,
  BudgetEvent,
  CostQuery,
  CostReport,
  GuardrailEvent,
  Ledger,
  LogQuery,
  RequestRecord,
  SessionRecord,
  SpendBucket,
  StoredProject,
} from './types.js';

const BUSY_TIMEOUT_MS = 5000;

export interface SqliteOptions {
  checkpoint?: Partial<CheckpointOptions>;
  aggregates?: Partial<FoldOptions>;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * The embedded ledger: one SQLite file in WAL mode, shareable by several worker processes.
 *
 * Durability: `record()` commits synchronously before it returns. In WAL mode with
 * `synchronous=NORMAL` a committed transaction is in the WAL file (the OS page cache) at once, so it
 * survives kill -9 of the process; only an OS crash or power loss can drop the last commits.
 * Concurrency: writes take the write lock up front (BEGIN IMMEDIATE) and wait for it up to
 * `busy_timeout` (5 s); SQLITE_BUSY beyond that is retried with backoff. WAL checkpoints and the
 * folding of aggregates run after commits, never inside them (`WalCheckpointer`, `AggregateFolder`).
 */
export class SqliteLedger implements Ledger, AtomicBudgetStore {
  readonly kind = 'sqlite' as const;
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #recordTx: Database.Transaction<(r: RequestRecord) => boolean>;
  readonly #checkpointer: WalCheckpointer | null = null;
  readonly #aggregates: AggregateFolder;

  private constructor(
    readonly location: string,
    { checkpoint, aggregates }: SqliteOptions,
  ) {
    if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
    this.#db = new Database(location, { timeout: BUSY_TIMEOUT_MS });
    this.#db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // new files only: every commit writes (and checksums) each page it touched to the WAL, so
    // smaller pages make record() cheaper; reports read the small aggregate tables
    this.#db.pragma('page_size = 2048');
    withBusyRetry(() => this.#db.pragma('journal_mode = WAL'));
    this.#db.pragma('synchronous = NORMAL');
    this.#migrate();
    if (location !== ':memory:') {
      // checkpoints run after commits (WalCheckpointer); this larger automatic one is only the fallback
      this.#db.pragma('wal_autocheckpoint = 10000');
      this.#checkpointer = new WalCheckpointer(this.#db, location, checkpoint);
    }

    const insert = this.#db.prepare(
      `INSERT INTO requests (${R.REQUEST_COLUMNS.join(', ')}) VALUES (${placeholders(R.REQUEST_COLUMNS.length)})
       ON CONFLICT DO NOTHING`,
    );
    const inbox = this.#db.prepare(
      'INSERT INTO aggregate_inbox (ts, ended_at, project, session_id, modality, provider, model, cost_nanos) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#recordTx = this.#db.transaction((r: RequestRecord) => {
      // a retried (ts, id) is ignored, and so are its aggregates: a row is never counted twice
      if (insert.run(R.requestValues(r)).changes === 0) return false;
      const cost = r.costNanos === null ? null : Math.round(r.costNanos);
      inbox.run(Math.round(r.ts), R.sessionEnd(r), r.project, r.sessionId, r.modality, r.provider, r.model, cost);
      return true;
    });
    this.#aggregates = new AggregateFolder(this.#db, (commit) => this.#write(commit), aggregates);
  }

  static open(path: string, options: SqliteOptions = {}): SqliteLedger {
    return new SqliteLedger(path, options);
  }

  record(row: RequestRecord): void {
    try {
      if (this.#write(() => this.#recordTx.immediate(row))) this.#aggregates.added();
    } catch (err) {
      // never throw into the request path; the loss is loud
      log.error(`ledger: request ${row.id} (${row.project} ${row.provider}/${row.model}) was NOT recorded: ${message(err)}`);
    }
  }

  /** where WAL checkpoints run: after commits on the event loop, or on a worker thread under heavy writing */
  get checkpointMode(): 'inline' | 'thread' | 'none' {
    return this.#checkpointer?.mode ?? 'none';
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.#aggregates.fold();
    await this.#checkpointer?.stop();
    if (this.#db.open) this.#db.close();
  }

  async spend(project: string, from: number, to: number): Promise<Nanos> {
    this.#aggregates.foldPending();
    return Q.spendQueries('sqlite', project, from, to).reduce((sum, q) => sum + R.num(this.#all(q)[0]?.cost), 0);
  }

  async costs(q: CostQuery): Promise<CostReport> {
    this.#aggregates.foldPending();
    return R.foldCostReport(Q.costGroupQueries('sqlite', q).flatMap((query) => this.#all(query)));
  }

  async logs(q: LogQuery): Promise<RequestRecord[]> {
    return this.#all(Q.logsQuery('sqlite', q)).map(R.requestFromRow);
  }

  async session(id: string): Promise<SessionRecord | null> {
    this.#aggregates.foldPending();
    const row = this.#all({ text: 'SELECT * FROM sessions WHERE id = ?', params: [id] })[0];
    return row ? R.sessionFromRow(row) : null;
  }

  async sessions(q: { project?: string; limit?: number }): Promise<SessionRecord[]> {
    this.#aggregates.foldPending();
    return this.#all(Q.sessionsQuery('sqlite', q)).map(R.sessionFromRow);
  }

  async spendSeries(q: Q.SeriesQuery): Promise<SpendBucket[]> {
    this.#aggregates.foldPending();
    return R.foldSeries(Q.seriesQueries('sqlite', q).flatMap((query) => this.#all(query)));
  }

  async exportRows(q: CostQuery & { limit?: number }): Promise<RequestRecord[]> {
    return this.#all(Q.exportQuery('sqlite', q)).map(R.requestFromRow);
  }

  async listProjects(): Promise<StoredProject[]> {
    return this.#all({ text: 'SELECT * FROM projects ORDER BY name, id', params: [] }).map(R.projectFromRow);
  }

  async upsertProject(p: StoredProject): Promise<void> {
    this.#run(
      `INSERT INTO projects (id, name, description, daily_budget_nanos, budget_action, tags, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
         daily_budget_nanos = excluded.daily_budget_nanos, budget_action = excluded.budget_action,
         tags = excluded.tags, updated_at = excluded.updated_at`,
      R.projectValues(p),
    );
  }

  async deleteProject(id: string): Promise<boolean> {
    return this.#run('DELETE FROM projects WHERE id = ?', [id]) > 0;
  }

  async audit(e: AuditEvent): Promise<void> {
    this.#run('INSERT INTO audit_log (ts, actor, source, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)', [
      Math.round(e.ts), e.actor, e.source, e.action, e.target, e.detail,
    ]);
  }

  async auditLog(q: { limit?: number }): Promise<AuditEvent[]> {
    return this.#all(Q.eventsQuery('sqlite', 'audit_log', q)).map(R.auditFromRow);
  }

  async recordGuardrailEvents(events: GuardrailEvent[]): Promise<void> {
    const insert = this.#prepare(
      `INSERT INTO guardrail_events (ts, project, session_id, request_id, category, detector, action, direction, excerpt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const tx = this.#db.transaction(() => {
      for (const e of events) {
        insert.run(Math.round(e.ts), e.project, e.sessionId, e.requestId, e.category, e.detector, e.action, e.direction, e.excerpt);
      }
    });
    this.#write(() => tx.immediate());
  }

  async guardrailEvents(q: { project?: string; limit?: number }): Promise<GuardrailEvent[]> {
    return this.#all(Q.eventsQuery('sqlite', 'guardrail_events', q)).map(R.guardrailFromRow);
  }

  async recordBudgetEvent(e: BudgetEvent): Promise<void> {
    this.#run('INSERT INTO budget_events (ts, project, day, kind, spent_nanos, budget_nanos) VALUES (?, ?, ?, ?, ?, ?)', [
      Math.round(e.ts), e.project, e.day, e.kind, Math.round(e.spentNanos), Math.round(e.budgetNanos),
    ]);
  }

  async budgetEvents(q: { project?: string; limit?: number }): Promise<BudgetEvent[]> {
    return this.#all(Q.eventsQuery('sqlite', 'budget_events', q)).map(R.budgetEventFromRow);
  }

  async reserve(project: string, day: string, estimateNanos: Nanos, budgetNanos: Nanos): Promise<{ admitted: boolean } & BudgetDayState> {
    const q = Q.reserveQuery('sqlite', project, day, Math.round(estimateNanos), Math.round(budgetNanos));
    const stmt = this.#prepare(q.text);
    const row = this.#write(() => this.#db.transaction(() => stmt.get(...q.params) as R.DbRow | undefined).immediate());
    if (row) return { admitted: true, spentNanos: R.num(row.spent_nanos), reservedNanos: R.num(row.reserved_nanos) };
    return { admitted: false, ...(await this.budgetDay(project, day)) };
  }

  async settle(project: string, day: string, estimateNanos: Nanos, actualNanos: Nanos | null): Promise<void> {
    const q = Q.settleQuery('sqlite', project, day, Math.round(estimateNanos), Math.round(actualNanos ?? 0));
    this.#run(q.text, q.params);
  }

  async budgetDay(project: string, day: string): Promise<BudgetDayState> {
    const row = this.#all(Q.budgetDayQuery('sqlite', project, day))[0];
    return { spentNanos: R.num(row?.spent_nanos), reservedNanos: R.num(row?.reserved_nanos) };
  }

  /**
   * Imports many rows in ONE transaction and rebuilds the aggregates from the raw rows (for
   * importing history and for benchmarks; `record()` is the path for live traffic).
   */
  bulkImport(rows: Iterable<RequestRecord>): number {
    const insert = this.#prepare(
      `INSERT INTO requests (${R.REQUEST_COLUMNS.join(', ')}) VALUES (${placeholders(R.REQUEST_COLUMNS.length)}) ON CONFLICT DO NOTHING`,
    );
    const tx = this.#db.transaction(() => {
      let n = 0;
      for (const r of rows) n += insert.run(R.requestValues(r)).changes;
      this.#rebuildAggregates();
      return n;
    });
    return this.#write(() => tx.immediate());
  }

  /** Recomputes `request_hours` and `sessions` from `requests` (repair tool); empties the inbox. */
  rebuildAggregates(): void {
    this.#write(() => this.#db.transaction(() => this.#rebuildAggregates()).immediate());
  }

  #rebuildAggregates(): void {
    this.#db.exec(`
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

  #migrate(): void {
    const migrate = this.#db.transaction(() => {
      this.#db.exec(SCHEMA_VERSION_DDL);
      const applied = R.num((this.#db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as R.DbRow).v);
      for (const m of pendingMigrations(applied)) {
        this.#db.exec(m.sqlite);
        this.#db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
      }
    });
    // IMMEDIATE: several workers opening one new file at once serialize here instead of racing
    withBusyRetry(() => migrate.immediate());
  }

  #prepare(text: string): Database.Statement {
    let stmt = this.#statements.get(text);
    if (!stmt) {
      stmt = this.#db.prepare(text);
      this.#statements.set(text, stmt);
    }
    return stmt;
  }

  #all(q: Q.Query): R.DbRow[] {
    return withBusyRetry(() => this.#prepare(q.text).all(...q.params) as R.DbRow[]);
  }

  #run(text: string, params: unknown[]): number {
    return this.#write(() => this.#prepare(text).run(...params).changes);
  }

  /** A committed write: retried while busy, then counted towards the next WAL checkpoint. */
  #write<T>(commit: () => T): T {
    const result = withBusyRetry(commit);
    this.#checkpointer?.committed();
    return result;
  }
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Retries SQLITE_BUSY/LOCKED (after busy_timeout already waited) with a short synchronous backoff. */
export function withBusyRetry<T>(fn: () => T, attempts = 8): T {
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err) || attempt + 1 >= attempts) throw err;
      Atomics.wait(sleepCell, 0, 0, Math.min(250, 10 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
