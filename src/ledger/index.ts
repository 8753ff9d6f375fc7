import { retryWhileBusy } from './health.js';
import { type ResolvedTarget, resolveTarget } from './location.js';
import { SqliteLedger } from './sqlite.js';
import type { Ledger, LedgerTarget } from './types.js';

export { isAtomicBudgetStore } from './types.js';
export type * from './types.js';
export type { StoreHealth } from './health.js';
export { SqliteLedger };

/**
 * How long opening a SQLite file waits (on timers) for a lock another process holds for a moment:
 * its migration, its WAL recovery, or the checkpoint of its last connection closing. Several workers
 * or CLI commands starting at once meet these; a lock held longer is reported as degraded and the
 * gateway's ledger keeps retrying (`ResilientLedger`).
 */
const SQLITE_OPEN_WAIT_MS = 2000;

/**
 * Opens the ledger: PostgreSQL when `databaseUrl` is `postgres://…`/`postgresql://…`, otherwise the
 * SQLite file at `sqlitePath` (or a `sqlite:` / `file:` URL). Migrations run on open. The PostgreSQL
 * driver is imported only when it is used, so SQLite workers never load it.
 */
export function openLedger(target: LedgerTarget): Promise<Ledger> {
  return openStore(resolveTarget(target), target.postgres);
}

/** Opens a target already resolved (and checked at load). */
export async function openStore(t: ResolvedTarget, postgres?: LedgerTarget['postgres']): Promise<Ledger> {
  if (t.kind === 'postgres') return (await import('./postgres.js')).PostgresLedger.open(t.databaseUrl, postgres);
  return retryWhileBusy(() => SqliteLedger.open(t.path), SQLITE_OPEN_WAIT_MS);
}
