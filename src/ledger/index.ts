import { ConfigError } from '../errors.js';
import { SqliteLedger } from './sqlite.js';
import type { Ledger, LedgerTarget } from './types.js';

export { isAtomicBudgetStore } from './types.js';
export type * from './types.js';
export { SqliteLedger };

/**
 * Opens the ledger: PostgreSQL when `databaseUrl` is `postgres://…`/`postgresql://…`, otherwise the
 * SQLite file at `sqlitePath` (or a `sqlite:` / `file:` URL). Migrations run on open. The PostgreSQL
 * driver is imported only when it is used, so SQLite workers never load it.
 */
export async function openLedger(target: LedgerTarget): Promise<Ledger> {
  const url = target.databaseUrl?.trim();
  if (url && /^postgres(ql)?:\/\//i.test(url)) return (await import('./postgres.js')).PostgresLedger.open(url, target.postgres);
  const sqliteFromUrl = url ? url.replace(/^(sqlite|file):(\/\/)?/i, '') : undefined;
  if (url && sqliteFromUrl === url) {
    throw new ConfigError(
      `Unsupported database_url '${url.split(':')[0]}:…': use postgres://user@host:5432/db, or a SQLite path (cost_tracking.db_path)`,
      'cost_tracking.database_url',
    );
  }
  const path = sqliteFromUrl || target.sqlitePath;
  if (!path) throw new ConfigError('No ledger location: set cost_tracking.db_path (SQLite) or cost_tracking.database_url (PostgreSQL)', 'cost_tracking');
  return SqliteLedger.open(path);
}
