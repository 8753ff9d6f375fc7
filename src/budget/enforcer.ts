import { BudgetExceededError, BudgetThrottleSignal } from '../errors.js';
import type { AtomicBudgetStore, BudgetEvent, Ledger } from '../ledger/types.js';
import { log } from '../log.js';
import { formatUsd, type Nanos, nanosToUsd } from '../money.js';
import type { BudgetAction, BudgetLevel } from '../types.js';
import { type DayWindow, dayWindow } from './day.js';

export interface BudgetPolicy {
  project: string;
  /** 0 = no limit */
  budgetNanos: Nanos;
  action: BudgetAction;
  timeZone: string;
}

export interface Reservation {
  project: string;
  day: string;
  estimateNanos: Nanos;
  /** held in the database (fleet budgets) rather than in this process */
  atomic?: boolean;
  /** admitted in-process while the fleet store was down: its cost still goes to the shared day */
  alsoShared?: boolean;
}

export interface Admission {
  /** `ok` under budget; otherwise the project's action */
  kind: 'ok' | BudgetAction;
  reservation: Reservation | null;
  spentNanos: Nanos;
  budgetNanos: Nanos;
}

export interface BudgetStatus {
  project: string;
  day: string;
  spentUsd: number;
  reservedUsd: number;
  budgetUsd: number;
  remainingUsd: number | null;
  percent: number;
  status: BudgetLevel;
  action: BudgetAction;
  resetsAt: string;
}

interface DayState {
  window: DayWindow;
  /** spend read from the ledger at `loadedAt` (all processes) */
  baseNanos: Nanos;
  /** this process's settled spend since `loadedAt`: always current */
  ownNanos: Nanos;
  reservedNanos: Nanos;
  loadedAt: number;
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
 * Daily budgets per project. Admission reserves an estimate and settlement replaces it with the
 * real cost, so concurrent requests cannot overshoot by more than one estimate. This process's own
 * spend is always current; spend from other processes is re-read from the ledger after `cacheTtlMs`.
 */
export class BudgetEnforcer {
  readonly #states = new Map<string, DayState>();
  readonly #loading = new Map<string, Promise<void>>();
  readonly #clock: () => number;
  readonly #ttl: number;

  constructor(private readonly opts: BudgetEnforcerOptions) {
    this.#clock = opts.clock ?? Date.now;
    this.#ttl = opts.cacheTtlMs ?? 2000;
  }

  #atomic: AtomicBudgetStore | null = null;

  /** Reserves `estimateNanos` for one request and says what the project's budget allows. */
  async admit(project: string, estimateNanos: Nanos): Promise<Admission> {
    const policy = this.opts.policyFor(project);
    if (policy.budgetNanos <= 0) return { kind: 'ok', reservation: null, spentNanos: 0, budgetNanos: 0 };
    if (this.#atomic) {
      const shared = await this.#admitAtomic(this.#atomic, project, estimateNanos, policy).catch((e: Error) => {
        log.once('warn', 'atomic-budget-down', `fleet budget store unavailable (${e.message}); enforcing budgets in-process until it returns`);
        return null;
      });
      if (shared) return shared;
      // degraded: decide in-process, but still add the real cost to the shared day when it settles
      const local = await this.#admitLocal(project, estimateNanos, policy);
      return local.reservation ? { ...local, reservation: { ...local.reservation, alsoShared: true } } : local;
    }
    return this.#admitLocal(project, estimateNanos, policy);
  }

  async #admitLocal(project: string, estimateNanos: Nanos, policy: BudgetPolicy): Promise<Admission> {
    const state = this.#fresh(project, policy) ?? (await this.#load(project, policy));
    const spent = state.baseNanos + state.ownNanos;
    const over = spent + state.reservedNanos >= policy.budgetNanos;
    if (!over) return this.#reserve(project, state, estimateNanos, 'ok', spent, policy);
    if (policy.action === 'block') {
      this.#event(project, state, 'blocked', spent, policy);
      return { kind: 'block', reservation: null, spentNanos: spent, budgetNanos: policy.budgetNanos };
    }
    if (policy.action === 'warn') {
      log.once('warn', `budget-warn:${project}:${state.window.day}`, exceededMessage(project, spent, policy.budgetNanos));
    } else {
      this.#event(project, state, 'throttled', spent, policy);
    }
    return this.#reserve(project, state, estimateNanos, policy.action, spent, policy);
  }

  /** Replaces a reservation with the real cost (null = unknown price: nothing is counted). */
  settle(reservation: Reservation | null, actualNanos: Nanos | null, project?: string): void {
    if (reservation?.alsoShared && this.#atomic) this.settle({ ...reservation, estimateNanos: 0, atomic: true, alsoShared: false }, actualNanos);
    if (reservation?.atomic && this.#atomic) {
      const { project: p, day, estimateNanos } = reservation;
      const store = this.#atomic;
      void store
        .settle(p, day, estimateNanos, actualNanos)
        .then(async () => {
          // fleet admissions keep no local state: load it for the once-per-day event bookkeeping
          const state = this.#states.get(p) ?? (await this.#load(p, this.opts.policyFor(p)));
          if (state.window.day === day) this.#crossings(p, state, (await store.budgetDay(p, day)).spentNanos);
        })
        .catch((e: Error) => log.warn(`could not settle budget for '${p}': ${e.message}`));
      return;
    }
    const name = reservation?.project ?? project;
    if (!name) return;
    const state = this.#states.get(name);
    if (!state) return;
    const sameDay = !reservation || reservation.day === state.window.day;
    if (reservation && sameDay) state.reservedNanos = Math.max(0, state.reservedNanos - reservation.estimateNanos);
    if (actualNanos && actualNanos > 0 && this.#clock() < state.window.end) {
      state.ownNanos += actualNanos;
      this.#crossings(name, state, state.baseNanos + state.ownNanos);
    }
  }

  /** Records crossing 80% and 100% of the budget, once per project-day. */
  #crossings(project: string, state: DayState, spent: Nanos): void {
    const policy = this.opts.policyFor(project);
    const level = levelOf(spent, policy.budgetNanos);
    // a jump straight past 100% (settles read after a burst) has crossed 80% too: warning first
    if (level !== 'ok') this.#event(project, state, 'warning', spent, policy);
    if (level === 'exceeded') this.#event(project, state, 'exceeded', spent, policy);
  }

  async status(project: string): Promise<BudgetStatus> {
    const policy = this.opts.policyFor(project);
    const state = this.#fresh(project, policy) ?? (await this.#load(project, policy));
    const shared = this.#atomic ? await this.#atomic.budgetDay(project, state.window.day).catch(() => null) : null;
    if (shared) [state.baseNanos, state.ownNanos, state.reservedNanos] = [shared.spentNanos, 0, shared.reservedNanos];
    const spent = state.baseNanos + state.ownNanos;
    const budget = policy.budgetNanos;
    const percent = budget > 0 ? Math.round((spent / budget) * 10000) / 100 : 0;
    return {
      project,
      day: state.window.day,
      spentUsd: nanosToUsd(spent),
      reservedUsd: nanosToUsd(state.reservedNanos),
      budgetUsd: nanosToUsd(budget),
      remainingUsd: budget > 0 ? nanosToUsd(Math.max(0, budget - spent)) : null,
      percent,
      status: levelOf(spent, budget),
      action: policy.action,
      resetsAt: new Date(state.window.end).toISOString(),
    };
  }

  /** Throws for `block`/`throttle` projects over budget; returns the status otherwise. */
  async check(project: string): Promise<BudgetStatus> {
    const s = await this.status(project);
    if (s.status === 'exceeded' && s.action === 'block') throw new BudgetExceededError(project, s.spentUsd, s.budgetUsd);
    if (s.status === 'exceeded' && s.action === 'throttle') throw new BudgetThrottleSignal(project, s.spentUsd, s.budgetUsd);
    return s;
  }

  /** `atomic`: a store that keeps spend and reservations in the database, shared by every worker. */
  attachLedger(ledger: Ledger, atomic: AtomicBudgetStore | null = null): void {
    this.opts.ledger = ledger;
    this.#atomic = atomic;
    this.#states.clear();
  }

  /** Fleet admission: one conditional update in the database, no cache and no TTL window. */
  async #admitAtomic(store: AtomicBudgetStore, project: string, estimate: Nanos, policy: BudgetPolicy): Promise<Admission> {
    const day = dayWindow(this.#clock(), policy.timeZone).day;
    const r = await retry(() => store.reserve(project, day, estimate, policy.budgetNanos));
    const spent = r.spentNanos;
    if (r.admitted) return { kind: 'ok', reservation: { project, day, estimateNanos: estimate, atomic: true }, spentNanos: spent, budgetNanos: policy.budgetNanos };
    const state = this.#fresh(project, policy) ?? (await this.#load(project, policy));
    if (policy.action === 'block') {
      this.#event(project, state, 'blocked', spent, policy);
      return { kind: 'block', reservation: null, spentNanos: spent, budgetNanos: policy.budgetNanos };
    }
    if (policy.action === 'warn') log.once('warn', `budget-warn:${project}:${day}`, exceededMessage(project, spent, policy.budgetNanos));
    else this.#event(project, state, 'throttled', spent, policy);
    // over budget but allowed to run: its cost is still settled into the shared day
    return { kind: policy.action, reservation: { project, day, estimateNanos: 0, atomic: true }, spentNanos: spent, budgetNanos: policy.budgetNanos };
  }

  /** Forget cached spend (after runtime edits of a project's budget, or in tests). */
  invalidate(project?: string): void {
    if (project) this.#states.delete(project);
    else this.#states.clear();
  }

  #fresh(project: string, policy: BudgetPolicy): DayState | undefined {
    const s = this.#states.get(project);
    const now = this.#clock();
    if (!s || now >= s.window.end || now < s.window.start) return undefined;
    if (now - s.loadedAt > this.#ttl) void this.#load(project, policy); // stale-while-revalidate
    return s;
  }

  #load(project: string, policy: BudgetPolicy): Promise<DayState> {
    const pending = this.#loading.get(project);
    const run =
      pending ??
      (async () => {
        const now = this.#clock();
        const window = dayWindow(now, policy.timeZone);
        const ownBefore = this.#states.get(project)?.ownNanos ?? 0;
        const base = this.opts.ledger ? await this.opts.ledger.spend(project, window.start, window.end).catch(unreadable) : 0;
        const prev = this.#states.get(project);
        const carry = prev && prev.window.day === window.day ? prev : undefined;
        if (base === null && carry) {
          carry.loadedAt = now; // the ledger is away: go on with what this process has seen, try again after the TTL
          return;
        }
        this.#states.set(project, {
          window,
          baseNanos: base ?? 0,
          // rows are durable before they settle, so `base` holds own spend up to the read; keep what settled during it
          ownNanos: carry ? Math.max(0, carry.ownNanos - ownBefore) : 0,
          reservedNanos: carry?.reservedNanos ?? 0,
          loadedAt: now,
          events: carry?.events ?? new Set(),
        });
      })().finally(() => this.#loading.delete(project));
    if (!pending) this.#loading.set(project, run);
    return run.then(() => this.#states.get(project)!);
  }

  #reserve(project: string, state: DayState, estimate: Nanos, kind: Admission['kind'], spent: Nanos, policy: BudgetPolicy): Admission {
    state.reservedNanos += estimate;
    return { kind, reservation: { project, day: state.window.day, estimateNanos: estimate }, spentNanos: spent, budgetNanos: policy.budgetNanos };
  }

  #event(project: string, state: DayState, kind: BudgetEvent['kind'], spent: Nanos, policy: BudgetPolicy): void {
    if (state.events.has(kind)) return;
    state.events.add(kind);
    const ev: BudgetEvent = { ts: this.#clock(), project, day: state.window.day, kind, spentNanos: spent, budgetNanos: policy.budgetNanos };
    void this.opts.ledger?.recordBudgetEvent(ev).catch((e: Error) => log.warn(`could not record budget event: ${e.message}`));
    this.opts.onEvent?.(ev, policy);
  }
}

export function levelOf(spent: Nanos, budget: Nanos): BudgetLevel {
  if (budget <= 0) return 'ok';
  if (spent >= budget) return 'exceeded';
  return spent * 5 >= budget * 4 ? 'warning' : 'ok';
}

export function exceededMessage(project: string, spent: Nanos, budget: Nanos): string {
  return `Project '${project}' exceeded daily budget: ${formatUsd(nanosToUsd(spent))} / ${formatUsd(nanosToUsd(budget))}`;
}

/** Spend that cannot be read (the ledger is degraded) is not a reason to fail a call: budgets go on in-process. */
function unreadable(e: Error): null {
  log.once('warn', 'budget-spend-unreadable', `could not read today's spend (${e.message}); budgets continue on what this process has seen`);
  return null;
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
