import type { Nanos } from '../money.js';

/**
 * Estimates a request's cost before it runs, for budget reservations: the recent average actual
 * cost per model (EWMA), or a caller-supplied first guess until one has been seen.
 */
export class CostEstimator {
  readonly #avg = new Map<string, number>();

  constructor(private readonly alpha = 0.2) {}

  estimate(modelKey: string, firstGuess: Nanos): Nanos {
    const avg = this.#avg.get(modelKey);
    return Math.round(avg === undefined ? firstGuess : Math.max(avg, firstGuess / 4));
  }

  observe(modelKey: string, actual: Nanos | null): void {
    if (actual === null) return;
    const prev = this.#avg.get(modelKey);
    this.#avg.set(modelKey, prev === undefined ? actual : prev + this.alpha * (actual - prev));
  }
}
