import type { Gateway } from '../gateway.js';
import { money } from './format.js';

export { projectView as projectJson } from '../projects.js';

export function budgetLabel(usd: number): string {
  return usd > 0 ? money(usd) : 'none';
}

/** Said beside a spend figure the ledger could not confirm (`BudgetStatus.partial`), with the ledger's problem. */
export function partialSpendNote(gw: Gateway): string {
  return `partial: the ledger cannot be read, so this counts only this process's requests (${gw.ledgerStatus().problem ?? 'it is still opening'})`;
}
