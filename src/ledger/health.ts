import { dirname } from 'node:path';

/** What a store says about its writes: the ground for degraded mode in status, /health and metrics. */
export interface StoreHealth {
  /** null while the store takes writes; otherwise what is wrong and what the operator should do */
  problem: string | null;
  /** epoch ms the current problem began */
  since: number | null;
  /** rows and events waiting in this process's memory for the store */
  queued: number;
  /** rows dropped since start: queue full, data the store rejected, closed before the store came back */
  lost: number;
}

export const HEALTHY: StoreHealth = { problem: null, since: null, queued: 0, lost: 0 };

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : '';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** SQLITE_BUSY/LOCKED: another connection holds the lock; normal for a moment between processes. */
export function isSqliteBusy(err: unknown): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test(codeOf(err));
}

/**
 * Data the store will never accept (constraint, type, size, or a binding error in our own code):
 * retrying cannot help, so the row is dropped (loudly). Everything else (busy, disk full, read-only,
 * I/O, corrupt, unreachable) is a store problem that may clear: the row waits.
 */
export function isRejectedData(err: unknown): boolean {
  const code = codeOf(err);
  if (code.startsWith('SQLITE_')) return /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code);
  if (/^(22|23|42)[0-9A-Z]{3}$/.test(code)) return true; // PostgreSQL SQLSTATE data/constraint/schema
  return err instanceof TypeError || err instanceof RangeError;
}

/** One line for the operator: what failed at `location`, and what to do about it. */
export function operatorHint(err: unknown, kind: 'sqlite' | 'postgres', location: string): string {
  const code = codeOf(err);
  const what = `${code ? `${code}: ` : ''}${errorMessage(err)}`;
  if (kind === 'postgres') {
    return `PostgreSQL ledger at ${location} unreachable (${what}): check that the server is up and accepts connections from this host (cost_tracking.database_url / $VOICEGW_DB_URL)`;
  }
  const dir = dirname(location);
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return `SQLite ledger ${location} is locked by another process (${what}): find it with \`fuser ${location}\` and end its open transaction`;
  if (/^SQLITE_FULL/.test(code) || /ENOSPC/.test(what)) return `disk full under ${dir} (${what}): free space there, or move cost_tracking.db_path to another disk`;
  if (/^SQLITE_(READONLY|PERM|CANTOPEN|AUTH)/.test(code) || /EACCES|EPERM|EROFS/.test(what)) {
    return `SQLite ledger ${location} cannot be written (${what}): give this process write access to the file and to ${dir}, or set cost_tracking.db_path to a writable place`;
  }
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) {
    return `SQLite ledger ${location} is not a valid database (${what}): move it aside (mv ${location} ${location}.corrupt) and a new ledger is created on the next retry, or set cost_tracking.db_path`;
  }
  return `SQLite ledger ${location} cannot be written (${what}): check the disk and the file`;
}

/** Retries `fn` while SQLite is busy, sleeping between tries on timers (never on the loop), up to `deadlineMs`. */
export async function retryWhileBusy<T>(fn: () => T, deadlineMs: number): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (let wait = 2; ; wait = Math.min(wait * 2, 100)) {
    try {
      return fn();
    } catch (err) {
      if (!isSqliteBusy(err) || Date.now() >= deadline) throw err;
      await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(1, deadline - Date.now()))));
    }
  }
}
