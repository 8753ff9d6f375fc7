import { log } from '../log.js';
import type { Nanos } from '../money.js';
import { errorMessage, operatorHint, type StoreHealth } from './health.js';
import type { ResolvedTarget } from './location.js';
import type * as Q from './queries.js';
import type {
  AlertDelivery,
  AuditEvent,
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

export interface ResilientOptions {
  /** writes held in memory while the store cannot be opened (default 100,000); beyond it they are lost, counted */
  maxQueued: number;
  /** first and longest wait between two attempts to open the store */
  retryMinMs: number;
  retryMaxMs: number;
  /** how long `close()` lets queued writes reach the store before reporting them lost */
  closeTimeoutMs: number;
  /** how long a read waits for a store that is still opening (a lock held briefly by another process) */
  readWaitMs: number;
}

const DEFAULTS: ResilientOptions = { maxQueued: 100_000, retryMinMs: 250, retryMaxMs: 5000, closeTimeoutMs: 5000, readWaitMs: 2000 };

/** A write made before the store opened, replayed into it once it does. */
type Held = { row: RequestRecord } | { guardrail: GuardrailEvent[] } | { budget: BudgetEvent };

/**
 * The ledger the gateway hands out: always there, whatever the store does. It opens the store in
 * the background and keeps retrying with back-off while it cannot (corrupt or read-only SQLite
 * file, full disk, PostgreSQL down); meanwhile request rows and events wait in a bounded queue and
 * are replayed into the store when it opens. Once open, the store's own queue takes over outages
 * at run time. Reads and operator writes fail with the problem while the store is away.
 */
export class ResilientLedger implements Ledger {
  readonly kind: 'sqlite' | 'postgres';
  readonly location: string;
  /** settles after the first attempt to open, whether it succeeded or not */
  readonly firstAttempt: Promise<void>;
  readonly #o: ResilientOptions;
  #store: Ledger | null = null;
  #held: Held[] = [];
  #lost = 0;
  #failure: { problem: string; since: number } | null = null;
  #retry: NodeJS.Timeout | null = null;
  #wait = 0;
  #closed = false;
  /** settles once the store opens (or the ledger closes); one promise, however many wait on it */
  readonly #opened: Promise<void>;
  #settleOpened!: () => void;

  constructor(
    target: ResolvedTarget,
    private readonly open: () => Promise<Ledger>,
    /** runs once the store is open (attach budgets, load runtime projects); held rows are replayed after it */
    private readonly onOpen: (store: Ledger) => Promise<void>,
    options: Partial<ResilientOptions> = {},
  ) {
    this.kind = target.kind;
    this.location = target.location;
    this.#o = { ...DEFAULTS, ...options };
    this.#wait = this.#o.retryMinMs;
    this.#opened = new Promise<void>((resolve) => (this.#settleOpened = resolve));
    this.firstAttempt = this.#attempt();
  }

  /** the open store, or null while it cannot be opened */
  get store(): Ledger | null {
    return this.#store;
  }

  health(): StoreHealth {
    if (this.#store) {
      const h = this.#store.health();
      return { ...h, lost: h.lost + this.#lost };
    }
    if (this.#closed) return { problem: 'the ledger is closed', since: null, queued: 0, lost: this.#lost };
    return { problem: this.#failure?.problem ?? `opening ${this.kind} ledger ${this.location}`, since: this.#failure?.since ?? null, queued: this.#held.length, lost: this.#lost };
  }

  async #attempt(): Promise<void> {
    this.#retry = null;
    if (this.#closed) return;
    let store: Ledger;
    try {
      store = await this.open();
    } catch (err) {
      return this.#openFailed(err);
    }
    if (this.#closed) return void (await store.close());
    this.#store = store;
    try {
      await this.onOpen(store);
    } catch (err) {
      log.warn(`ledger: opened ${this.location}, but loading from it failed (${errorMessage(err)})`);
    }
    const held = this.#held.splice(0);
    for (const h of held) void this.#write(store, h);
    if (this.#failure) {
      log.info(`ledger recovered: ${this.kind} ${this.location} opened after ${((Date.now() - this.#failure.since) / 1000).toFixed(1)} s; ${held.length} held rows and events written`);
      this.#failure = null;
    }
    this.#settleOpened();
  }

  #openFailed(err: unknown): void {
    const problem = operatorHint(err, this.kind, this.location);
    if (this.#failure?.problem !== problem) {
      log.error(
        `ledger degraded: ${problem}. Calls are served meanwhile and budgets are enforced from this process's own spend; ` +
          `rows wait in memory (up to ${this.#o.maxQueued}) and are written once the ledger opens (retrying every ${this.#o.retryMaxMs / 1000} s at most).`,
      );
    }
    this.#failure = { problem, since: this.#failure?.since ?? Date.now() };
    this.#retry = setTimeout(() => void this.#attempt(), this.#wait);
    this.#wait = Math.min(this.#wait * 2, this.#o.retryMaxMs);
  }

  #hold(h: Held, what: string): void {
    if (this.#closed || this.#held.length >= this.#o.maxQueued) {
      this.#lost += 1;
      log.error(`ledger: ${what} was NOT recorded: ${this.#closed ? 'the ledger is closed' : `${this.#held.length} writes already wait for the store (queue full)`}`);
      return;
    }
    this.#held.push(h);
  }

  #write(store: Ledger, h: Held): void | Promise<void> {
    if ('row' in h) return store.record(h.row);
    if ('guardrail' in h) return store.recordGuardrailEvents(h.guardrail);
    return store.recordBudgetEvent(h.budget);
  }

  /**
   * The open store for a read or an operator's write. A store that is still opening (another process
   * held a lock for a moment: WAL recovery, a checkpoint) gets `readWaitMs` to open; then the reason.
   */
  async #require(): Promise<Ledger> {
    if (!this.#store && !this.#closed) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.#opened, new Promise((r) => (timer = setTimeout(r, this.#o.readWaitMs)))]);
      clearTimeout(timer);
    }
    if (this.#store) return this.#store;
    throw new Error(`The ledger is unavailable: ${this.health().problem}`);
  }

  record(row: RequestRecord): void | Promise<void> {
    if (this.#store) return this.#store.record(row);
    this.#hold({ row }, `request ${row.id} (${row.project} ${row.provider}/${row.model})`);
  }

  async recordGuardrailEvents(e: GuardrailEvent[]): Promise<void> {
    if (this.#store) return this.#store.recordGuardrailEvents(e);
    this.#hold({ guardrail: e }, `${e.length} guardrail events`);
  }

  async recordBudgetEvent(e: BudgetEvent): Promise<void> {
    if (this.#store) return this.#store.recordBudgetEvent(e);
    this.#hold({ budget: e }, `budget event ${e.kind} for '${e.project}'`);
  }

  /** Resolves when every write so far is in the store: waits for it to open, then for its queue. */
  async flush(): Promise<void> {
    if (!this.#store && !this.#closed) await this.#opened;
    await this.#store?.flush();
  }

  /** Gives queued writes `closeTimeoutMs` to reach the store, then closes; what is left is reported lost. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#settleOpened();
    if (this.#held.length > 0) {
      this.#lost += this.#held.length;
      log.error(`ledger: closing while ${this.location} never opened: ${this.#held.length} rows and events were NOT written (${this.#failure?.problem ?? 'not opened'})`);
      this.#held = [];
    }
    const store = this.#store;
    if (!store) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([store.flush(), new Promise((r) => (timer = setTimeout(r, this.#o.closeTimeoutMs)))]);
    clearTimeout(timer);
    await store.close();
  }

  spend(project: string, from: number, to: number): Promise<Nanos> {
    return this.#call((s) => s.spend(project, from, to));
  }
  costs(q: CostQuery): Promise<CostReport> {
    return this.#call((s) => s.costs(q));
  }
  logs(q: LogQuery): Promise<RequestRecord[]> {
    return this.#call((s) => s.logs(q));
  }
  session(id: string): Promise<SessionRecord | null> {
    return this.#call((s) => s.session(id));
  }
  sessions(q: { project?: string; limit?: number }): Promise<SessionRecord[]> {
    return this.#call((s) => s.sessions(q));
  }
  spendSeries(q: Q.SeriesQuery): Promise<SpendBucket[]> {
    return this.#call((s) => s.spendSeries(q));
  }
  exportRows(q: CostQuery & { limit?: number }): Promise<RequestRecord[]> {
    return this.#call((s) => s.exportRows(q));
  }
  listProjects(): Promise<StoredProject[]> {
    return this.#call((s) => s.listProjects());
  }
  upsertProject(p: StoredProject): Promise<void> {
    return this.#call((s) => s.upsertProject(p));
  }
  deleteProject(id: string): Promise<boolean> {
    return this.#call((s) => s.deleteProject(id));
  }
  audit(e: AuditEvent): Promise<void> {
    return this.#call((s) => s.audit(e));
  }
  auditLog(q: { limit?: number }): Promise<AuditEvent[]> {
    return this.#call((s) => s.auditLog(q));
  }
  guardrailEvents(q: { project?: string; limit?: number }): Promise<GuardrailEvent[]> {
    return this.#call((s) => s.guardrailEvents(q));
  }
  budgetEvents(q: { project?: string; limit?: number }): Promise<BudgetEvent[]> {
    return this.#call((s) => s.budgetEvents(q));
  }

  /** no store, no claim: the alert is not sent (and says so) rather than sent by every worker */
  claimAlert(a: Parameters<Ledger['claimAlert']>[0], ts: number): Promise<boolean> {
    return this.#call((s) => s.claimAlert(a, ts));
  }

  updateAlert(a: Parameters<Ledger['updateAlert']>[0], ts: number): Promise<void> {
    return this.#call((s) => s.updateAlert(a, ts));
  }

  alertDeliveries(q: Parameters<Ledger['alertDeliveries']>[0]): Promise<AlertDelivery[]> {
    return this.#call((s) => s.alertDeliveries(q));
  }

  async #call<T>(fn: (store: Ledger) => Promise<T>): Promise<T> {
    return fn(await this.#require());
  }
}
