import pg from 'pg';
import { log } from '../log.js';
import { maskUrls } from '../secrets.js';
import type { Nanos } from '../money.js';
import type { StoreHealth } from './health.js';
import { pendingMigrations, SCHEMA_VERSION_DDL } from './migrations.js';
import { PgWriter } from './pg-writer.js';
import * as A from './alert-queries.js';
import * as Q from './queries.js';
import * as R from './rows.js';
import type {
  AtomicBudgetStore,
  AlertDelivery,
  AuditEvent,
  BudgetDayState,
  BudgetEvent,
  CostQuery,
  CostReport,
  GuardrailEvent,
  Ledger,
  LogQuery,
  PostgresLedgerOptions,
  RequestRecord,
  SessionRecord,
  SpendBucket,
  StoredProject,
} from './types.js';

/** pg_advisory_lock key serializing migrations across workers ("vgw" + schema). */
const MIGRATION_LOCK = 0x766777_0001;

/**
 * The fleet ledger on PostgreSQL. Same schema and queries as SQLite.
 *
 * `record()` resolves once the row is committed. While the database is unreachable it resolves at
 * once and the row waits in memory (bounded, `maxQueuedRows`), retried with backoff; `flush()`
 * waits for the queue and `close()` reports any rows it could not write. `settle()` goes through
 * the same queue, so a settlement is not lost to a short outage either. Reads and `reserve()`
 * reject while the database is down: the caller decides (the budget layer falls back to its
 * in-process accounting).
 */
export class PostgresLedger implements Ledger, AtomicBudgetStore {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #writer: PgWriter;
  readonly #closeTimeoutMs: number;
  #closed = false;

  private constructor(
    readonly location: string,
    pool: pg.Pool,
    opts: PostgresLedgerOptions,
  ) {
    this.#pool = pool;
    this.#closeTimeoutMs = opts.closeTimeoutMs ?? 5000;
    this.#writer = new PgWriter(pool, {
      maxQueuedRows: opts.maxQueuedRows ?? 100_000,
      batchSize: opts.batchSize ?? 500,
      maxBackoffMs: opts.maxBackoffMs ?? 2000,
    }, location);
  }

  static async open(databaseUrl: string, opts: PostgresLedgerOptions = {}): Promise<PostgresLedger> {
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: opts.poolSize ?? 4,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
    });
    // an idle client whose server connection died must not crash the process
    pool.on('error', (err) => log.debug(`ledger: idle PostgreSQL connection closed: ${err.message}`));
    const location = maskUrls(databaseUrl);
    try {
      await migrate(pool);
    } catch (err) {
      await pool.end().catch(() => {});
      throw new Error(`Cannot open the PostgreSQL ledger at ${location}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return new PostgresLedger(location, pool, opts);
  }

  /** Rows still waiting for the database (and rows dropped because the queue was full). */
  get backlog(): { rows: number; settles: number; dropped: number } {
    return this.#writer.pending;
  }

  health(): StoreHealth {
    return this.#writer.health();
  }

  record(row: RequestRecord): Promise<void> {
    return this.#writer.addRow(row);
  }

  flush(): Promise<void> {
    return this.#writer.flush();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#writer.flush(), new Promise((r) => (timer = setTimeout(r, this.#closeTimeoutMs)))]);
    clearTimeout(timer);
    const left = await this.#writer.stop();
    if (left.rows > 0 || left.settles > 0 || left.dropped > 0) {
      log.error(
        `ledger: closing with PostgreSQL (${this.location}) unreachable: ${left.rows} request rows and ${left.settles} budget ` +
          `settlements were NOT written` + (left.dropped ? `; ${left.dropped} rows had been dropped earlier` : ''),
      );
    }
    await this.#pool.end();
  }

  async spend(project: string, from: number, to: number): Promise<Nanos> {
    let sum = 0;
    for (const q of Q.spendQueries('postgres', project, from, to)) sum += R.num((await this.#all(q))[0]?.cost);
    return sum;
  }

  async costs(q: CostQuery): Promise<CostReport> {
    const groups = await Promise.all(Q.costGroupQueries('postgres', q).map((query) => this.#all(query)));
    return R.foldCostReport(groups.flat());
  }

  async logs(q: LogQuery): Promise<RequestRecord[]> {
    return (await this.#all(Q.logsQuery('postgres', q))).map(R.requestFromRow);
  }

  async session(id: string): Promise<SessionRecord | null> {
    const row = (await this.#all({ text: 'SELECT * FROM sessions WHERE id = $1', params: [id] }))[0];
    return row ? R.sessionFromRow(row) : null;
  }

  async sessions(q: { project?: string; limit?: number }): Promise<SessionRecord[]> {
    return (await this.#all(Q.sessionsQuery('postgres', q))).map(R.sessionFromRow);
  }

  async spendSeries(q: Q.SeriesQuery): Promise<SpendBucket[]> {
    const rows = await Promise.all(Q.seriesQueries('postgres', q).map((query) => this.#all(query)));
    return R.foldSeries(rows.flat());
  }

  async exportRows(q: CostQuery & { limit?: number }): Promise<RequestRecord[]> {
    return (await this.#all(Q.exportQuery('postgres', q))).map(R.requestFromRow);
  }

  async listProjects(): Promise<StoredProject[]> {
    return (await this.#all({ text: 'SELECT * FROM projects ORDER BY name, id', params: [] })).map(R.projectFromRow);
  }

  async upsertProject(p: StoredProject): Promise<void> {
    await this.#pool.query(
      `INSERT INTO projects (id, name, description, daily_budget_nanos, budget_action, tags, created_at, updated_at, settings)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
         daily_budget_nanos = EXCLUDED.daily_budget_nanos, budget_action = EXCLUDED.budget_action,
         tags = EXCLUDED.tags, updated_at = EXCLUDED.updated_at, settings = EXCLUDED.settings`,
      R.projectValues(p),
    );
  }

  async deleteProject(id: string): Promise<boolean> {
    const res = await this.#pool.query('DELETE FROM projects WHERE id = $1', [id]);
    return (res.rowCount ?? 0) > 0;
  }

  async audit(e: AuditEvent): Promise<void> {
    await this.#pool.query('INSERT INTO audit_log (ts, actor, source, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
      Math.round(e.ts), e.actor, e.source, e.action, e.target, e.detail,
    ]);
  }

  async auditLog(q: { limit?: number }): Promise<AuditEvent[]> {
    return (await this.#all(Q.eventsQuery('postgres', 'audit_log', q))).map(R.auditFromRow);
  }

  async recordGuardrailEvents(events: GuardrailEvent[]): Promise<void> {
    if (events.length === 0) return;
    const col = <K extends keyof GuardrailEvent>(k: K) => events.map((e) => e[k]);
    await this.#pool.query(
      `INSERT INTO guardrail_events (ts, project, session_id, request_id, category, detector, action, direction, excerpt)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
      [events.map((e) => Math.round(e.ts)), col('project'), col('sessionId'), col('requestId'), col('category'), col('detector'), col('action'), col('direction'), col('excerpt')],
    );
  }

  async guardrailEvents(q: { project?: string; limit?: number }): Promise<GuardrailEvent[]> {
    return (await this.#all(Q.eventsQuery('postgres', 'guardrail_events', q))).map(R.guardrailFromRow);
  }

  async recordBudgetEvent(e: BudgetEvent): Promise<void> {
    await this.#pool.query('INSERT INTO budget_events (ts, project, day, kind, spent_nanos, budget_nanos) VALUES ($1, $2, $3, $4, $5, $6)', [
      Math.round(e.ts), e.project, e.day, e.kind, Math.round(e.spentNanos), Math.round(e.budgetNanos),
    ]);
  }

  async budgetEvents(q: { project?: string; limit?: number }): Promise<BudgetEvent[]> {
    return (await this.#all(Q.eventsQuery('postgres', 'budget_events', q))).map(R.budgetEventFromRow);
  }

  async claimAlert(a: Parameters<Ledger['claimAlert']>[0], ts: number): Promise<boolean> {
    const q = A.claimAlertQuery('postgres', a, ts);
    return (await this.#pool.query(q.text, q.params)).rowCount === 1;
  }

  async updateAlert(a: Parameters<Ledger['updateAlert']>[0], ts: number): Promise<void> {
    const q = A.updateAlertQuery('postgres', a, ts);
    await this.#pool.query(q.text, q.params);
  }

  async alertDeliveries(f: Parameters<Ledger['alertDeliveries']>[0]): Promise<AlertDelivery[]> {
    return (await this.#all(A.alertDeliveriesQuery('postgres', f))).map(A.alertFromRow);
  }

  async reserve(project: string, day: string, estimateNanos: Nanos, budgetNanos: Nanos, force = false): Promise<{ admitted: boolean } & BudgetDayState> {
    const [estimate, budget] = [Math.round(estimateNanos), Math.round(budgetNanos)];
    const row = (await this.#all(Q.reserveQuery('postgres', project, day, estimate, budget, force)))[0];
    if (row) return Q.reserveOutcome(row, estimate, budget);
    return { admitted: false, ...(await this.budgetDay(project, day)) };
  }

  settle(project: string, day: string, estimateNanos: Nanos, actualNanos: Nanos | null): Promise<void> {
    return this.#writer.addSettle(Q.settleQuery('postgres', project, day, Math.round(estimateNanos), Math.round(actualNanos ?? 0)));
  }

  async budgetDay(project: string, day: string): Promise<BudgetDayState> {
    const row = (await this.#all(Q.budgetDayQuery('postgres', project, day)))[0];
    return { spentNanos: R.num(row?.spent_nanos), reservedNanos: R.num(row?.reserved_nanos) };
  }

  async #all(q: Q.Query): Promise<R.DbRow[]> {
    return (await this.#pool.query(q.text, q.params)).rows as R.DbRow[];
  }
}

/** Runs pending migrations while holding an advisory lock, so workers starting together take turns. */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(SCHEMA_VERSION_DDL);
      const applied = R.num((await client.query('SELECT MAX(version) AS v FROM schema_version')).rows[0]?.v);
      for (const m of pendingMigrations(applied)) {
        await client.query('BEGIN');
        try {
          await client.query(m.postgres);
          await client.query('INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw err;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    }
  } finally {
    client.release();
  }
}

