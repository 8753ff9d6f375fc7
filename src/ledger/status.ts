import type { Ledger } from './types.js';

/** The ledger as status screens, `/health` and metrics show it (docs/degraded-mode.md). */
export interface LedgerStatus {
  kind: 'sqlite' | 'postgres';
  /** file path or URL, password masked */
  location: string;
  /** `degraded`: the store cannot be opened or written; calls are served and rows wait in memory */
  state: 'ok' | 'degraded';
  /** what is wrong and what the operator should do; null when ok */
  problem: string | null;
  /** ISO time the problem began */
  since: string | null;
  /** rows and events waiting in this process's memory for the store */
  queuedRows: number;
  /** rows this process could not record (queue full, rejected by the store, closed while degraded) */
  lostRows: number;
  /** where budgets get the day's spend: the ledger, or this process's own spend while the store is away */
  budgets: 'ledger' | 'in-process';
}

export function ledgerStatus(ledger: Ledger): LedgerStatus {
  const h = ledger.health();
  return {
    kind: ledger.kind,
    location: ledger.location,
    state: h.problem ? 'degraded' : 'ok',
    problem: h.problem,
    since: h.since === null ? null : new Date(h.since).toISOString(),
    queuedRows: h.queued,
    lostRows: h.lost,
    budgets: h.problem ? 'in-process' : 'ledger',
  };
}
