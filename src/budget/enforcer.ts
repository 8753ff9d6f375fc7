import { BudgetExceededError, BudgetThrottleSignal } from '../errors.js';
import type { AtomicBudgetStore, BudgetEvent, Ledger } from '../ledger/types.js';
import { log } from '../log.js';
import { type Nanos, nanosToUsd } from '../money.js';
import type { BudgetAction, BudgetLevel } from '../types.js';
import { type DayWindow, dayWindow } from './day.js';
import { type AdmissionKind, type Decision, Reservation, type ReservationSink } from './reservation.js';
import { admits, levelOf, overBudgetMessage } from './rule.js';

export { levelOf };

export interface BudgetPolicy {
  project: string;
  /** 0 = no limit */
  budgetNanos: Nanos;
  action: BudgetAction;
  timeZone: string;
}

export interface Admission {
  /** `ok` under budget; otherwise the project's action */
  kind: AdmissionKind;
  /** always present; holds nothing when the project has no budget or the request was blocked */
  reservation: Reservation;
  spentNanos: Nanos;
  /** held by other requests in flight when this one was decided (this one's hold included if admitted) */
  reservedNanos: Nanos;
  budgetNanos: Nanos;
}

export interface BudgetStatus {
  project: string;
  day: string;
  spentUsd: number;
  /** held by requests in flight (upper bounds of what they may still cost) */
  reservedUsd: number;
  budgetUsd: number;
  remainingUsd: number | null;
  percent: number;
  status: BudgetLevel;
  action: BudgetAction;
  resetsAt: string;
  /** requests today whose model has no price (`allow_unpriced: true`): served, counted here, never in `spentUsd` */
  unpricedRequests: number;
  /**
   * True while today's spend cannot be read from the ledger (not open yet, or unreadable): `spentUsd`
   * is then what this process has seen since its last read, and budgets are enforced on it.
   */
  partial: boolean;
}

interface DayState {
  window: DayWindow;
  /** spend read from the ledger at `loadedAt` (all processes) */
  baseNanos: Nanos;
  /** this process's settled spend since `loadedAt`: always current */
  ownNanos: Nanos;
  reservedNanos: Nanos;
  loadedAt: number;
  /** the last read of the ledger failed: `baseNanos` is older than `loadedAt`, or 0 */
  partial: boolean;
  events: Set<BudgetEvent['kind']>;
}

export interface BudgetEnforcerOptions {
  ledger: Ledger | null;
  policyFor: (project: string) => BudgetPolicy;
  clock?: () => number;
  /** how long spend written by other processes may be cached */
  cacheTtlMs?: number;
  /** every budget event as it happens (once per project-day per process); must return at once */
  onEvent?: (ev: BudgetEvent, policy: BudgetPolicy) => void;
}

/**
 * Daily budgets per project. Every request holds an upper bound of its cost (a `Reservation`) from
 * admission to settlement, streams grow theirs as they run, and one rule (`admits`) decides on the
 * day's spend plus what is held. Two backends, one rule: this process's day state (SQLite ledger;
 * spend from other processes re-read every `cacheTtlMs`), or the fleet's `budget_days` row in
 * PostgreSQL, updated atomically (in-process while the database is unreachable).
 */
export class BudgetEnforcer {
  readonly #states = new Map<string, DayState>();
  readonly #loading = new Map<string, Promise<void>>();
  /** today's window per time zone, replaced at the zone's next midnight */
  readonly #days = new Map<string, DayWindow>();
  readonly #clock: () => number;
  readonly #ttl: number;
  #atomic: AtomicBudgetStore | null = null;
  readonly #local: ReservationSink = { hold: (r, n) => this.#holdLocal(r, n), release: (r, held, actual) => this.#releaseLocal(r.project, r.day, held, actual) };
  readonly #shared: ReservationSink = { hold: (r, n) => this.#holdShared(r, n), release: (r, held, actual) => this.#releaseShared(r, held, actual) };
  /** the part of a fleet reservation held in-process while the database was unreachable */
  readonly #heldLocally = new WeakMap<Reservation, Nanos>();
  /** fleet settlements on their way to the store (with their crossing check) */
  readonly #settling = new Set<Promise<void>>();

  constructor(private readonly opts: BudgetEnforcerOptions) {
    this.#clock = opts.clock ?? Date.now;
    this.#ttl = opts.cacheTtlMs ?? 2000;
  }

  /**
   * Opens a reservation of `estimateNanos` for one request and says what the project's budget allows.
   * In-process decisions (SQLite ledger, day state loaded) are made synchronously: the returned
   * promise is already resolved, and nothing is computed that the day state does not already hold
   * (the day key is cached in it until the next local midnight).
   */
  admit(project: string, estimateNanos: Nanos): Promise<Admission> {
    const policy = this.opts.policyFor(project);
    const budget = policy.budgetNanos;
    if (budget <= 0) return Promise.resolve({ kind: 'ok', reservation: new Reservation(project, '', null), spentNanos: 0, reservedNanos: 0, budgetNanos: 0 });
    if (!this.#atomic) {
      // the hot path: one clock read, one map lookup, two allocations (reservation, admission)
      const state = this.#fresh(project, policy);
      if (state) {
        const amount = estimateNanos > 0 ? Math.round(estimateNanos) : 0;
        const day = state.window.day;
        const spent = state.baseNanos + state.ownNanos;
        const kind = this.#holdIn(state, project, day, policy, amount, spent);
        const reservation = new Reservation(project, day, this.#local, kind === 'block' ? 0 : amount);
        return Promise.resolve({ kind, reservation, spentNanos: spent, reservedNanos: state.reservedNanos, budgetNanos: budget });
      }
    }
    const reservation = new Reservation(project, this.#today(policy.timeZone), this.#atomic ? this.#shared : this.#local);
    const d = reservation.holdNow(estimateNanos);
    if (d instanceof Promise) return d.then((x) => ({ kind: x.kind, reservation, spentNanos: x.spentNanos, reservedNanos: x.reservedNanos, budgetNanos: budget }));
    return Promise.resolve({ kind: d.kind, reservation, spentNanos: d.spentNanos, reservedNanos: d.reservedNanos, budgetNanos: budget });
  }

  /** The budget day in `timeZone` now; computed once per zone and local day (then two comparisons). */
  #today(timeZone: string): string {
    const now = this.#clock();
    let w = this.#days.get(timeZone);
    if (!w || now >= w.end || now < w.start) this.#days.set(timeZone, (w = dayWindow(now, timeZone)));
    return w.day;
  }

  /** Synchronous while the day state is loaded and fresh; waits for one read of the ledger otherwise. */
  #holdLocal(r: Reservation, nanos: Nanos): Decision | Promise<Decision> {
    const policy = this.opts.policyFor(r.project);
    const state = this.#fresh(r.project, policy);
    if (state) return this.#decision(state, r, policy, nanos);
    return this.#load(r.project, policy).then((s) => this.#decision(s, r, policy, nanos));
  }

  #decision(state: DayState, r: Reservation, policy: BudgetPolicy, nanos: Nanos): Decision {
    const spent = state.baseNanos + state.ownNanos;
    return { kind: this.#holdIn(state, r.project, r.day, policy, nanos, spent), spentNanos: spent, reservedNanos: state.reservedNanos };
  }

  /** The rule on this process's day state; holds `nanos` unless the answer is `block`. */
  #holdIn(state: DayState, project: string, day: string, policy: BudgetPolicy, nanos: Nanos, spent: Nanos): AdmissionKind {
    const kind = admits(spent, state.reservedNanos, policy.budgetNanos) ? 'ok' : this.#decide(project, state, policy, spent, state.reservedNanos);
    // a stream that outlived its day holds nothing in the new one (its cost settles into the day it ends in)
    if (kind !== 'block' && state.window.day === day) state.reservedNanos += nanos;
    return kind;
  }

  #releaseLocal(project: string, day: string, held: Nanos, actual: Nanos | null): void {
    const state = this.#states.get(project);
    if (!state) return;
    if (state.window.day === day) state.reservedNanos = Math.max(0, state.reservedNanos - held);
    if (actual && actual > 0 && this.#clock() < state.window.end) {
      state.ownNanos += actual;
      this.#crossings(project, state, state.baseNanos + state.ownNanos);
    }
  }

  /** Fleet admission: one conditional update of the `budget_days` row; no cache, no TTL window. */
  async #holdShared(r: Reservation, nanos: Nanos): Promise<Decision> {
    const store = this.#atomic!;
    const policy = this.opts.policyFor(r.project);
    try {
      // warn/throttle run over budget, so they hold even when the rule says no (`force`)
      const res = await retry(() => store.reserve(r.project, r.day, nanos, policy.budgetNanos, policy.action !== 'block'));
      const state = res.admitted ? null : (this.#fresh(r.project, policy) ?? (await this.#load(r.project, policy)));
      const kind = state ? this.#decide(r.project, state, policy, res.spentNanos, res.reservedNanos) : 'ok';
      return { kind, spentNanos: res.spentNanos, reservedNanos: res.reservedNanos };
    } catch (e) {
      log.once('warn', 'atomic-budget-down', `fleet budget store unavailable (${(e as Error).message}); enforcing budgets in-process until it returns`);
      const d = await this.#holdLocal(r, nanos);
      if (d.kind !== 'block') this.#heldLocally.set(r, (this.#heldLocally.get(r) ?? 0) + nanos);
      return d;
    }
  }

  #releaseShared(r: Reservation, held: Nanos, actual: Nanos | null): void {
    const local = this.#heldLocally.get(r) ?? 0;
    // degraded holds are released here; the real cost still goes to the shared day (queued while it is down)
    if (local > 0) this.#releaseLocal(r.project, r.day, local, actual);
    if (held - local <= 0 && !(actual && actual > 0)) return; // a refusal (or nothing held, nothing spent): no round trip
    const store = this.#atomic!;
    const settling = store
      .settle(r.project, r.day, held - local, actual)
      .then(async () => {
        // fleet admissions keep no local state: load it for the once-per-day event bookkeeping
        const state = this.#states.get(r.project) ?? (await this.#load(r.project, this.opts.policyFor(r.project)));
        // both crossings already recorded today: no read of the row per settlement
        if (state.window.day === r.day && !(state.events.has('warning') && state.events.has('exceeded'))) this.#crossings(r.project, state, (await store.budgetDay(r.project, r.day)).spentNanos);
      })
      .catch((e: Error) => log.warn(`could not settle budget for '${r.project}': ${e.message}`))
      .finally(() => this.#settling.delete(settling));
    this.#settling.add(settling);
  }

  /**
   * Resolves when every fleet settlement started so far has reached the store and its crossings
   * (80%/100% events) have been emitted: `Gateway.drain()`/`close()` wait for it, so a worker that
   * crosses a threshold with its last request still alerts before it exits.
   */
  async idle(): Promise<void> {
    while (this.#settling.size > 0) await Promise.allSettled([...this.#settling]);
  }

  /** The project's action when the rule said no, with its event (blocked/throttled) or warning log. */
  #decide(project: string, state: DayState, policy: BudgetPolicy, spent: Nanos, reserved: Nanos): AdmissionKind {
    if (policy.action === 'warn') log.once('warn', `budget-warn:${project}:${state.window.day}`, overBudgetMessage(project, spent, reserved, policy.budgetNanos));
    else this.#event(project, state, policy.action === 'block' ? 'blocked' : 'throttled', spent, policy);
    return policy.action;
  }

  /** Records crossing 80% and 100% of the budget, once per project-day. */
  #crossings(project: string, state: DayState, spent: Nanos): void {
    const policy = this.opts.policyFor(project);
    const level = levelOf(spent, policy.budgetNanos);
    // a jump straight past 100% (settles read after a burst) has crossed 80% too: warning first
    if (level !== 'ok') this.#event(project, state, 'warning', spent, policy);
    if (level === 'exceeded') this.#event(project, state, 'exceeded', spent, policy);
  }

  /** The day's figures: the `budget_days` row on a fleet store, this process's view otherwise. */
  async #figures(project: string): Promise<{ policy: BudgetPolicy; state: DayState; spent: Nanos; reserved: Nanos; partial: boolean }> {
    const policy = this.opts.policyFor(project);
    const state = this.#fresh(project, policy) ?? (await this.#load(project, policy));
    const shared = this.#atomic ? await this.#atomic.budgetDay(project, state.window.day).catch(() => null) : null;
    if (shared) return { policy, state, spent: shared.spentNanos, reserved: shared.reservedNanos, partial: false };
    return { policy, state, spent: state.baseNanos + state.ownNanos, reserved: state.reservedNanos, partial: state.partial || this.#atomic !== null };
  }

  async status(project: string): Promise<BudgetStatus> {
    const { policy, state, spent, reserved, partial } = await this.#figures(project);
    const budget = policy.budgetNanos;
    const percent = budget > 0 ? Math.round((spent / budget) * 10000) / 100 : 0;
    const report = await this.opts.ledger?.costs({ project, from: state.window.start, to: state.window.end }).catch(() => null);
    return {
      project,
      day: state.window.day,
      spentUsd: nanosToUsd(spent),
      reservedUsd: nanosToUsd(reserved),
      budgetUsd: nanosToUsd(budget),
      remainingUsd: budget > 0 ? nanosToUsd(Math.max(0, budget - spent)) : null,
      percent,
      status: levelOf(spent, budget),
      action: policy.action,
      resetsAt: new Date(state.window.end).toISOString(),
      unpricedRequests: report?.unpriced ?? 0,
      partial: partial || !report,
    };
  }

  /**
   * The pre-flight: what admission would answer now, by the same rule. Throws for `block`
   * (`BudgetExceededError`) and `throttle` (`BudgetThrottleSignal`); returns the status otherwise.
   */
  async check(project: string): Promise<BudgetStatus> {
    const { policy, spent, reserved } = await this.#figures(project);
    if (!admits(spent, reserved, policy.budgetNanos)) {
      const [s, r, b] = [nanosToUsd(spent), nanosToUsd(reserved), nanosToUsd(policy.budgetNanos)];
      if (policy.action === 'block') throw new BudgetExceededError(project, s, b, r);
      if (policy.action === 'throttle') throw new BudgetThrottleSignal(project, s, b);
    }
    return this.status(project);
  }

  /** `atomic`: a store that keeps spend and reservations in the database, shared by every worker. */
  attachLedger(ledger: Ledger, atomic: AtomicBudgetStore | null = null): void {
    this.opts.ledger = ledger;
    this.#atomic = atomic;
    this.#states.clear();
  }

  /** Re-reads spend on the next use (after a runtime edit, or in tests). Reservations in flight are kept. */
  invalidate(project?: string): void {
    for (const [name, s] of this.#states) if (!project || name === project) s.loadedAt = -Infinity;
  }

  #fresh(project: string, policy: BudgetPolicy): DayState | undefined {
    const s = this.#states.get(project);
    const now = this.#clock();
    if (!s || now >= s.window.end || now < s.window.start) return undefined;
    if (s.loadedAt === -Infinity) return undefined;
    if (now - s.loadedAt > this.#ttl) void this.#load(project, policy).catch(() => {}); // stale-while-revalidate
    return s;
  }

  #load(project: string, policy: BudgetPolicy): Promise<DayState> {
    const pending = this.#loading.get(project);
    const run =
      pending ??
      (async () => {
        const now = this.#clock();
        const window = dayWindow(now, policy.timeZone);
        const sameDay = (s: DayState | undefined) => (s && s.window.day === window.day ? s : undefined);
        const ownBefore = sameDay(this.#states.get(project))?.ownNanos ?? 0;
        const base = await this.#spend(project, window);
        const keep = sameDay(this.#states.get(project));
        if (base === null && keep) {
          // unreadable: go on with what this process has seen, try again after the TTL
          keep.loadedAt = now;
          keep.partial = true;
          return;
        }
        this.#states.set(project, {
          window,
          baseNanos: base ?? 0,
          // rows are durable before they settle, so `base` holds own spend up to the read; keep what settled during it
          ownNanos: keep ? Math.max(0, keep.ownNanos - ownBefore) : 0,
          reservedNanos: keep?.reservedNanos ?? 0,
          loadedAt: now,
          partial: base === null,
          events: keep?.events ?? new Set(),
        });
      })().finally(() => this.#loading.delete(project));
    if (!pending) this.#loading.set(project, run);
    return run.then(() => this.#states.get(project)!);
  }

  /** The day's spend in the ledger, or null while it cannot be read (budgets go on with what they know). */
  async #spend(project: string, window: DayWindow): Promise<Nanos | null> {
    if (!this.opts.ledger) return null; // the ledger has not opened yet: admission must not wait for it
    try {
      return await this.opts.ledger.spend(project, window.start, window.end);
    } catch (e) {
      log.once('warn', 'budget-spend-unreadable', `could not read today's spend (${(e as Error).message}); budgets continue on what this process has seen`);
      return null;
    }
  }

  #event(project: string, state: DayState, kind: BudgetEvent['kind'], spent: Nanos, policy: BudgetPolicy): void {
    // the one place budget events are emitted (alerts and the dashboard read them from the ledger)
    if (state.events.has(kind)) return;
    state.events.add(kind);
    const ev: BudgetEvent = { ts: this.#clock(), project, day: state.window.day, kind, spentNanos: spent, budgetNanos: policy.budgetNanos };
    void this.opts.ledger?.recordBudgetEvent(ev).catch((e: Error) => log.warn(`could not record budget event: ${e.message}`));
    this.opts.onEvent?.(ev, policy);
  }
}

/** A dropped connection is usually back within milliseconds: try a few times before degrading. */
async function retry<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= attempts - 1) throw e;
      await new Promise((r) => setTimeout(r, 25 * 2 ** i));
    }
  }
}
