import { formatUsd, type Nanos, nanosToUsd } from '../money.js';
import type { BudgetLevel } from '../types.js';

/**
 * THE admission rule, on every store: a request (or a stream's next chunk) is admitted while the
 * day's settled spend plus what requests in flight hold is below the budget. Reservations are upper
 * bounds, so the day ends at most one request over. `budgetAtomic` in queries.ts is the same rule
 * in SQL; keep them together.
 */
export function admits(spent: Nanos, reserved: Nanos, budget: Nanos): boolean {
  return budget <= 0 || spent + reserved < budget;
}

/** Status thresholds: ok < 80% ≤ warning < 100% ≤ exceeded, of settled spend; no budget → ok. */
export function levelOf(spent: Nanos, budget: Nanos): BudgetLevel {
  if (budget <= 0) return 'ok';
  if (spent >= budget) return 'exceeded';
  return spent * 5 >= budget * 4 ? 'warning' : 'ok';
}

/**
 * Why the rule said no, in the words the status uses: "exceeded" only when settled spend reached the
 * budget; otherwise the rest of the budget is held by requests in flight.
 */
export function overBudgetMessage(project: string, spent: Nanos, reserved: Nanos, budget: Nanos): string {
  const b = formatUsd(nanosToUsd(budget));
  if (spent >= budget || reserved <= 0) return `Project '${project}' exceeded daily budget: ${formatUsd(nanosToUsd(spent))} / ${b}`;
  return `Project '${project}' daily budget is fully committed: ${formatUsd(nanosToUsd(spent))} spent + ${formatUsd(nanosToUsd(reserved))} held by requests in flight / ${b}`;
}
