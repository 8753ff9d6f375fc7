import type { Nanos } from '../money.js';
import type { BudgetAction } from '../types.js';

/** What the budget allows: `ok` under budget, otherwise the project's action. */
export type AdmissionKind = 'ok' | BudgetAction;

/** One decision of the admission rule, with the figures it was made on. */
export interface Decision {
  kind: AdmissionKind;
  spentNanos: Nanos;
  reservedNanos: Nanos;
}

/** What a settled reservation, or one with no budget, answers: nothing held, nothing asked. */
const NOTHING: Decision = Object.freeze({ kind: 'ok', spentNanos: 0, reservedNanos: 0 });

/** Where a reservation's holds live: this process's day state, or the fleet's `budget_days` row. */
export interface ReservationSink {
  /**
   * Decides `nanos` more by the admission rule and holds them unless the answer is `block`.
   * `warn`/`throttle` hold too: the request runs, so every other admission must see its cost.
   * A decision made in-process is returned as a value (no promise: the hot path), one that waits
   * for a store as a promise.
   */
  hold(r: Reservation, nanos: Nanos): Decision | Promise<Decision>;
  /** Releases `heldNanos` and counts `actualNanos` (null = unknown price: counts nothing). */
  release(r: Reservation, heldNanos: Nanos, actualNanos: Nanos | null): void;
}

/**
 * The budget's claim on one request: what it may still cost. Admission opens it with an upper
 * bound; a stream grows it chunk by chunk before using what it grows (STT audio, LLM tokens past
 * the cap, TTS characters), so every other admission sees a long call's cost while it runs.
 * `settle()` replaces everything held with the real cost, once.
 *
 *   const r = (await gw.budget.admit(project, firstChunk)).reservation;
 *   if ((await r.grow(nextChunk)) === 'block') stopStreaming();
 *   r.settle(actualNanos);
 */
export class Reservation {
  #held: Nanos = 0;
  #settled = false;
  /** grows still waiting for the store: settlement waits for them, so nothing is left held */
  #pending: Promise<unknown> | null = null;

  constructor(
    readonly project: string,
    /** the budget day (in the project's time zone) this reservation counts towards */
    readonly day: string,
    private readonly sink: ReservationSink | null,
    /** already held in the sink (the enforcer decides a first hold in-process before it opens the reservation) */
    heldNanos: Nanos = 0,
  ) {
    this.#held = sink ? heldNanos : 0;
  }

  /** Nano-USD this request holds against the budget right now. */
  get heldNanos(): Nanos {
    return this.#held;
  }

  get settled(): boolean {
    return this.#settled;
  }

  /**
   * Holds `nanos` more, decided by the same rule as a new request. `block` holds nothing: the
   * caller stops before using it. Never rejects (a store that is down was handled by the sink).
   */
  grow(nanos: Nanos): Promise<AdmissionKind> {
    const d = this.holdNow(nanos);
    return d instanceof Promise ? d.then(kindOf) : Promise.resolve(d.kind);
  }

  /** `grow` with the figures the decision was made on (admission reports them). */
  hold(nanos: Nanos): Promise<Decision> {
    const d = this.holdNow(nanos);
    return d instanceof Promise ? d : Promise.resolve(d);
  }

  /**
   * `hold` without a promise when the decision is made in-process (the admission hot path: no
   * allocation beyond the decision); a promise when the sink waits for a store.
   */
  holdNow(nanos: Nanos): Decision | Promise<Decision> {
    if (this.#settled || !this.sink) return NOTHING;
    const amount = nanos > 0 ? Math.round(nanos) : 0;
    const d = this.sink.hold(this, amount);
    if (!(d instanceof Promise)) {
      if (d.kind !== 'block') this.#held += amount;
      return d;
    }
    const decided = d.then((x) => {
      if (x.kind !== 'block') this.#held += amount;
      return x;
    });
    const pending: Promise<unknown> = this.#pending ? Promise.all([this.#pending, decided]) : decided;
    this.#pending = pending;
    void pending.finally(() => {
      if (this.#pending === pending) this.#pending = null;
    });
    return decided;
  }

  /** Grows to at least `nanos` held (a fallback entry that costs more than the head). */
  async ensure(nanos: Nanos): Promise<AdmissionKind> {
    await this.#pending;
    return nanos > this.#held ? this.grow(nanos - this.#held) : 'ok';
  }

  /** Replaces what is held with the real cost (null = unknown price). Later calls do nothing. */
  settle(actualNanos: Nanos | null): void {
    if (this.#settled) return;
    this.#settled = true;
    if (!this.sink) return;
    const sink = this.sink;
    if (this.#pending) void this.#pending.then(() => sink.release(this, this.#held, actualNanos));
    else sink.release(this, this.#held, actualNanos);
  }
}

const kindOf = (d: Decision): AdmissionKind => d.kind;
