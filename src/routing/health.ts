/**
 * Per-provider-entry health: an entry that failed is cooled down for `cooldownMs` and skipped by
 * chains that have an alternative; after the cooldown it is tried again (recovery).
 */
export class HealthTracker {
  readonly #downUntil = new Map<string, number>();

  constructor(
    private readonly cooldownMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  available(id: string): boolean {
    const until = this.#downUntil.get(id);
    return until === undefined || this.clock() >= until;
  }

  fail(id: string): void {
    if (this.cooldownMs > 0) this.#downUntil.set(id, this.clock() + this.cooldownMs);
  }

  ok(id: string): void {
    this.#downUntil.delete(id);
  }

  /** entries currently cooling down, with the time they become available again */
  snapshot(): { id: string; until: number }[] {
    const now = this.clock();
    return [...this.#downUntil].filter(([, u]) => u > now).map(([id, until]) => ({ id, until }));
  }
}
