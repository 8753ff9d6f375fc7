import { retryWhileBusy } from './health.js';
import { resolveTarget } from './location.js';
import { SqliteLedger } from './sqlite.js';
import type { Ledger, LedgerTarget } from './types.js';

export { isAtomicBudgetStore } from './types.js';
export type * from './types.js';
export type { StoreHealth } from './health.js';
export { SqliteLedger };

/** how long opening a SQLite file waits (on timers) for another process's migration or write lock */
const SQLITE_OPEN_WAIT_MS = 10_000;

/**
 * Opens the ledger: PostgreSQL when `databaseUrl` is `postgres://…`/`postgresql://…`, otherwise the
 * SQLite file at `sqlitePath` (or a `sqlite:` / `file:` URL). Migrations run on open. The PostgreSQL
 * driver is imported only when it is used, so SQLite workers never load it.
 */
export async function openLedger(target: LedgerTarget): Promise<Ledger> {
  const t = resolveTarget(target);
  if (t.kind === 'postgres') return (await import('./postgres.js')).PostgresLedger.open(t.databaseUrl, target.postgres);
  return retryWhileBusy(() => SqliteLedger.open(t.path), SQLITE_OPEN_WAIT_MS);
}
