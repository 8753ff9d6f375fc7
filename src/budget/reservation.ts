import type { Nanos } from '../money.js';
import type { BudgetAction } from '../types.js';

/** What the budget allows: `ok` under budget, otherwise the project's action. */
export type AdmissionKind = 'ok' | BudgetAction;

/** Where a reservation's holds live: this process's day state, or the fleet's `budget_days` row. */
export interface ReservationSink {
  /**
   * Decides `nanos` more by the admission rule and holds them unless the answer is `block`.
   * `warn`/`throttle` hold too: the request runs, so every other admission must see its cost.
   */
  hold(r: Reservation, nanos: Nanos): Promise<{ kind: AdmissionKind; spentNanos: Nanos; reservedNanos: Nanos }>;
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
  ) {}

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
    return this.hold(nanos).then((d) => d.kind);
  }

  /** `grow` with the figures the decision was made on (admission reports them). */
  hold(nanos: Nanos): Promise<{ kind: AdmissionKind; spentNanos: Nanos; reservedNanos: Nanos }> {
    const amount = Math.max(0, Math.round(nanos));
    if (this.#settled || !this.sink) return Promise.resolve({ kind: 'ok', spentNanos: 0, reservedNanos: 0 });
    const decided = this.sink.hold(this, amount).then((d) => {
      if (d.kind !== 'block') this.#held += amount;
      return d;
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
