import { ConfigError } from '../errors.js';
import { maskUrls } from '../secrets.js';
import type { LedgerTarget } from './types.js';

/** Which store a target names, where, and its display location (no password). Checked at load. */
export type ResolvedTarget =
  | { kind: 'postgres'; location: string; databaseUrl: string }
  | { kind: 'sqlite'; location: string; path: string };

/**
 * PostgreSQL when `databaseUrl` is `postgres://…`/`postgresql://…`, otherwise the SQLite file at
 * `sqlitePath` (or a `sqlite:` / `file:` URL). Throws `ConfigError` for anything else.
 */
export function resolveTarget(target: LedgerTarget): ResolvedTarget {
  const url = target.databaseUrl?.trim();
  if (url && /^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', location: maskUrls(url), databaseUrl: url };
  const sqliteFromUrl = url ? url.replace(/^(sqlite|file):(\/\/)?/i, '') : undefined;
  if (url && sqliteFromUrl === url) {
    throw new ConfigError(
      `Unsupported database_url '${url.split(':')[0]}:…': use postgres://user@host:5432/db, or a SQLite path (cost_tracking.db_path)`,
      'cost_tracking.database_url',
    );
  }
  const path = sqliteFromUrl || target.sqlitePath;
  if (!path) throw new ConfigError('No ledger location: set cost_tracking.db_path (SQLite) or cost_tracking.database_url (PostgreSQL)', 'cost_tracking');
  return { kind: 'sqlite', location: path, path };
}
