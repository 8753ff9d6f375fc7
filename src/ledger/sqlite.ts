import Database from 'better-sqlite3';
import type { Nanos } from '../money.js';
import { log } from '../log.js';
import { isRejectedData, operatorHint, retryWhileBusy, type StoreHealth } from './health.js';
import { AggregateFolder, type FoldOptions, inboxSpendQuery, rebuildAggregates } from './sqlite-aggregates.js';
import { type CheckpointOptions, WalCheckpointer } from './sqlite-checkpointer.js';
import { openSqliteConnection } from './sqlite-schema.js';
import * as A from './alert-queries.js';
import * as Q from './queries.js';
import * as R from './rows.js';
import { WriteQueue, type WriteQueueOptions } from './write-queue.js';
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
  RequestRecord,
  SessionRecord,
  SpendBucket,
  StoredProject,
} from './types.js';

export interface SqliteOptions {
  checkpoint?: Partial<CheckpointOptions>;
  aggregates?: Partial<FoldOptions>;
  queue?: Partial<WriteQueueOptions>;
}

/**
 * A write waiting for the store: a request row (batched), the same row held compact while the store
 * refuses writes (its statement parameters as JSON, a view into a `HeldLog` buffer shared with the
 * rows around it, whose bytes live outside the JavaScript heap), or another statement.
 */
type Pending = { row: RequestRecord } | { held: Buffer } | { what: string; run: () => void };

/** The parameters of a request row's two inserts: `requests`, then `aggregate_inbox`. */
function rowParams(r: RequestRecord): [unknown[], unknown[]] {
  const cost = r.costNanos === null ? null : Math.round(r.costNanos);
  return [R.requestValues(r), [Math.round(r.ts), R.sessionEnd(r), r.project, r.sessionId, r.modality, r.provider, r.model, cost]];
}

function describePending(p: Pending): string {
  if ('run' in p) return p.what;
  const [v] = 'row' in p ? rowParams(p.row) : (JSON.parse(p.held.toString()) as [unknown[]]);
  return `request ${v[0]} (${v[2]} ${v[5]}/${v[6]})`;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * The embedded ledger: one SQLite file in WAL mode, shareable by several worker processes.
 *
 * Durability: a row is durable when the promise `record()` returned resolves (the request path
 * awaits it, so a row is durable when its request completes). Rows are group-committed through the
 * `WriteQueue`: the rows recorded by one piece of code commit in one transaction right after it
 * (a microtask), and a burst or a backlog is written at most `batchSize` (50) rows per transaction
 * and per turn of the event loop. In WAL mode with `synchronous=NORMAL` a committed transaction is
 * in the WAL file (the OS page cache) at once, so it survives kill -9 of the process; only an OS
 * crash or power loss can drop the last commits. A row whose `record()` has not resolved can be lost
 * by kill -9. Reads (reports, spend) first wait for the writes queued before them while the store
 * takes writes, so they see every row recorded before them.
 * Never blocking: the connection does not wait for locks (`busy_timeout = 0`). A write that finds
 * the write lock taken by another process, the disk full or the file read-only stays in the bounded
 * queue, retried on timers; its caller waits at most the queue's grace (50 ms) and the row is
 * durable once the store takes writes again. WAL checkpoints and the folding of aggregates run
 * after commits, never inside them (`WalCheckpointer`, `AggregateFolder`).
 */
export class SqliteLedger implements Ledger, AtomicBudgetStore {
  readonly kind = 'sqlite' as const;
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #insertRow: (params: [unknown[], unknown[]]) => boolean;
  readonly #checkpointer: WalCheckpointer | null = null;
  readonly #aggregates: AggregateFolder;
  readonly #queue: WriteQueue<Pending>;
  readonly #writeBatch: Database.Transaction<(items: Pending[]) => number>;
  #longestWriteMs = 0;

  private constructor(
    readonly location: string,
    { checkpoint, aggregates, queue }: SqliteOptions,
  ) {
    this.#db = openSqliteConnection(location);
    // checkpoints run after commits or on a thread (WalCheckpointer), never inside record()
    if (location !== ':memory:') this.#checkpointer = new WalCheckpointer(this.#db, location, checkpoint);

    const insert = this.#db.prepare(
      `INSERT INTO requests (${R.REQUEST_COLUMNS.join(', ')}) VALUES (${placeholders(R.REQUEST_COLUMNS.length)})
       ON CONFLICT DO NOTHING`,
    );
    const inbox = this.#db.prepare(
      'INSERT INTO aggregate_inbox (ts, ended_at, project, session_id, modality, provider, model, cost_nanos) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#insertRow = ([values, inboxValues]) => {
      // a retried (ts, id) is ignored, and so are its aggregates: a row is never counted twice
      if (insert.run(values).changes === 0) return false;
      inbox.run(inboxValues);
      return true;
    };
    this.#aggregates = new AggregateFolder(this.#db, (commit) => this.#write(commit), aggregates);
    this.#writeBatch = this.#db.transaction((items: Pending[]) => {
      let added = 0;
      for (const p of items) {
        if ('row' in p) added += this.#insertRow(rowParams(p.row)) ? 1 : 0;
        else if ('held' in p) added += this.#insertRow(JSON.parse(p.held.toString()) as [unknown[], unknown[]]) ? 1 : 0;
        else p.run();
      }
      return added;
    });
    this.#queue = new WriteQueue<Pending>(
      (batch) => this.#aggregates.added(this.#write(() => this.#writeBatch.immediate(batch), batch.length)),
      (err) => operatorHint(err, 'sqlite', location),
      describePending,
      queue,
      { encode: (p) => ('row' in p ? JSON.stringify(rowParams(p.row)) : null), decode: (held) => ({ held }) },
    );
  }

  static open(path: string, options: SqliteOptions = {}): SqliteLedger {
    return new SqliteLedger(path, options);
  }

  /**
   * Commits right after the calling code, with the other rows it recorded (behind a backlog: in
   * its turn); resolves once committed (or, when the store refuses it, after the queue's grace).
   * Never throws.
   */
  record(row: RequestRecord): Promise<void> {
    return this.#queue.add({ row });
  }

  health(): StoreHealth {
    return this.#queue.health();
  }

  /**
   * Events and settlements: committed at once while the store takes writes (budget admission reads
   * `budget_days` right after), else queued behind what waits; a rejected item is dropped loudly.
   */
  #writeOrQueue(item: Pending, commit: () => void): void | Promise<void> {
    if (this.#queue.failing) return this.#queue.add(item);
    try {
      this.#write(commit);
    } catch (err) {
      if (isRejectedData(err)) return this.#queue.reject(item, err);
      return this.#queue.add(item, err);
    }
  }

  /** where WAL checkpoints run: after commits on the event loop, or on a worker thread under heavy writing */
  get checkpointMode(): 'inline' | 'thread' | 'none' {
    return this.#checkpointer?.mode ?? 'none';
  }

  /** Resolves when every queued write is committed (waits while the store is away). */
  flush(): Promise<void> {
    return this.#queue.flush();
  }

  /** Writes what waits (for at most `timeoutMs`), then closes; rows still queued are reported lost. */
  async close(timeoutMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#queue.flush(), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    const problem = this.health().problem;
    const lost = this.#queue.stop();
    if (lost > 0) log.error(`ledger: closing with ${lost} rows and events NOT written (${problem ?? 'the store did not recover in time'})`);
    this.#aggregates.fold();
    await this.#checkpointer?.stop();
    if (this.#db.open) this.#db.close();
  }

  /**
   * Spend in [from, to) from one read snapshot of the aggregates plus the unfolded inbox: exact,
   * and it takes no write lock (budget admission calls it on the request path).
   */
  async spend(project: string, from: number, to: number): Promise<Nanos> {
    await this.#caughtUp();
    const { hours } = Q.splitWindow(from, to);
    const queries = Q.spendQueries('sqlite', project, from, to);
    if (hours) queries.push(inboxSpendQuery(project, hours.from!, hours.to!));
    const read = this.#db.transaction(() => queries.reduce((sum, q) => sum + R.num(this.#all(q)[0]?.cost), 0));
    return read.deferred();
  }

  async costs(q: CostQuery): Promise<CostReport> {
    await this.#caughtUp();
    await this.#aggregates.foldPending();
    return R.foldCostReport(Q.costGroupQueries('sqlite', q).flatMap((query) => this.#all(query)));
  }

  async logs(q: LogQuery): Promise<RequestRecord[]> {
    await this.#caughtUp();
    return this.#all(Q.logsQuery('sqlite', q)).map(R.requestFromRow);
  }

  async session(id: string): Promise<SessionRecord | null> {
    await this.#caughtUp();
    await this.#aggregates.foldPending();
    const row = this.#all({ text: 'SELECT * FROM sessions WHERE id = ?', params: [id] })[0];
    return row ? R.sessionFromRow(row) : null;
  }

  async sessions(q: { project?: string; limit?: number }): Promise<SessionRecord[]> {
    await this.#caughtUp();
    await this.#aggregates.foldPending();
    return this.#all(Q.sessionsQuery('sqlite', q)).map(R.sessionFromRow);
  }

  async spendSeries(q: Q.SeriesQuery): Promise<SpendBucket[]> {
    await this.#caughtUp();
    await this.#aggregates.foldPending();
    return R.foldSeries(Q.seriesQueries('sqlite', q).flatMap((query) => this.#all(query)));
  }

  async exportRows(q: CostQuery & { limit?: number }): Promise<RequestRecord[]> {
    await this.#caughtUp();
    return this.#all(Q.exportQuery('sqlite', q)).map(R.requestFromRow);
  }

  async listProjects(): Promise<StoredProject[]> {
    return this.#all({ text: 'SELECT * FROM projects ORDER BY name, id', params: [] }).map(R.projectFromRow);
  }

  async upsertProject(p: StoredProject): Promise<void> {
    await this.#runSoon(
      `INSERT INTO projects (id, name, description, daily_budget_nanos, budget_action, tags, created_at, updated_at, settings)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
         daily_budget_nanos = excluded.daily_budget_nanos, budget_action = excluded.budget_action,
         tags = excluded.tags, updated_at = excluded.updated_at, settings = excluded.settings`,
      R.projectValues(p),
    );
  }

  async deleteProject(id: string): Promise<boolean> {
    return (await this.#runSoon('DELETE FROM projects WHERE id = ?', [id])) > 0;
  }

  async audit(e: AuditEvent): Promise<void> {
    await this.#runSoon('INSERT INTO audit_log (ts, actor, source, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)', [
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
    const run = () => {
      for (const e of events) {
        insert.run(Math.round(e.ts), e.project, e.sessionId, e.requestId, e.category, e.detector, e.action, e.direction, e.excerpt);
      }
    };
    const tx = this.#db.transaction(run);
    await this.#writeOrQueue({ what: `${events.length} guardrail events`, run }, () => tx.immediate());
  }

  async guardrailEvents(q: { project?: string; limit?: number }): Promise<GuardrailEvent[]> {
    return this.#all(Q.eventsQuery('sqlite', 'guardrail_events', q)).map(R.guardrailFromRow);
  }

  async recordBudgetEvent(e: BudgetEvent): Promise<void> {
    const params = [Math.round(e.ts), e.project, e.day, e.kind, Math.round(e.spentNanos), Math.round(e.budgetNanos)];
    await this.#queued(`budget event ${e.kind} for '${e.project}'`, 'INSERT INTO budget_events (ts, project, day, kind, spent_nanos, budget_nanos) VALUES (?, ?, ?, ?, ?, ?)', params);
  }

  async budgetEvents(q: { project?: string; limit?: number }): Promise<BudgetEvent[]> {
    return this.#all(Q.eventsQuery('sqlite', 'budget_events', q)).map(R.budgetEventFromRow);
  }

  async claimAlert(a: Parameters<Ledger['claimAlert']>[0], ts: number): Promise<boolean> {
    const q = A.claimAlertQuery('sqlite', a, ts);
    return (await this.#runSoon(q.text, q.params)) === 1;
  }

  async updateAlert(a: Parameters<Ledger['updateAlert']>[0], ts: number): Promise<void> {
    const q = A.updateAlertQuery('sqlite', a, ts);
    await this.#runSoon(q.text, q.params);
  }

  async alertDeliveries(f: Parameters<Ledger['alertDeliveries']>[0]): Promise<AlertDelivery[]> {
    return this.#all(A.alertDeliveriesQuery('sqlite', f)).map(A.alertFromRow);
  }

  async reserve(project: string, day: string, estimateNanos: Nanos, budgetNanos: Nanos, force = false): Promise<{ admitted: boolean } & BudgetDayState> {
    const [estimate, budget] = [Math.round(estimateNanos), Math.round(budgetNanos)];
    const q = Q.reserveQuery('sqlite', project, day, estimate, budget, force);
    const stmt = this.#prepare(q.text);
    // admission never waits for a lock for long: the budget layer decides in-process if this throws
    const row = await this.#soon(() => this.#db.transaction(() => stmt.get(...q.params) as R.DbRow | undefined).immediate(), 100);
    if (row) return Q.reserveOutcome(row, estimate, budget);
    return { admitted: false, ...(await this.budgetDay(project, day)) };
  }

  async settle(project: string, day: string, estimateNanos: Nanos, actualNanos: Nanos | null): Promise<void> {
    const q = Q.settleQuery('sqlite', project, day, Math.round(estimateNanos), Math.round(actualNanos ?? 0));
    await this.#queued(`budget settlement for '${project}' on ${day}`, q.text, q.params);
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
      rebuildAggregates(this.#db);
      return n;
    });
    return this.#write(() => tx.immediate());
  }

  /** Recomputes `request_hours` and `sessions` from `requests` (repair tool); empties the inbox. */
  rebuildAggregates(): void {
    this.#write(() => this.#db.transaction(() => rebuildAggregates(this.#db)).immediate());
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
    return this.#prepare(q.text).all(...q.params) as R.DbRow[];
  }

  /** A statement that must not be lost (events, settlements): written now, or queued like a row. */
  #queued(what: string, text: string, params: unknown[]): void | Promise<void> {
    const run = () => void this.#prepare(text).run(...params);
    return this.#writeOrQueue({ what, run }, run);
  }

  /** An operator's write (projects, audit): waits for a lock without blocking the loop, up to `deadlineMs`. */
  async #runSoon(text: string, params: unknown[], deadlineMs = 5000): Promise<number> {
    return this.#soon(() => this.#prepare(text).run(...params).changes, deadlineMs);
  }

  async #soon<T>(commit: () => T, deadlineMs: number): Promise<T> {
    return retryWhileBusy(() => this.#write(commit), deadlineMs);
  }

  /** A committed write of `rows` rows, counted towards the next WAL checkpoint. */
  #write<T>(commit: () => T, rows = 1): T {
    const started = performance.now();
    try {
      const result = commit();
      this.#checkpointer?.committed(rows);
      return result;
    } finally {
      this.#longestWriteMs = Math.max(this.#longestWriteMs, performance.now() - started);
    }
  }

  /**
   * The longest the ledger held the event loop in one write transaction (tried or committed) or one
   * inline WAL checkpoint since the last call: the share of event-loop stalls the ledger itself causes.
   */
  takeLongestBlockMs(): number {
    const ms = Math.max(this.#longestWriteMs, this.#checkpointer?.takeLongestMs() ?? 0);
    this.#longestWriteMs = 0;
    return ms;
  }

  /** Before a read: waits for the writes queued so far, unless the store refuses them (then reads what is committed). */
  async #caughtUp(): Promise<void> {
    if (this.#queue.size > 0 && !this.#queue.failing) await this.#queue.flush();
  }
}

