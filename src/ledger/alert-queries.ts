import type { Dialect, Query } from './queries.js';
import { type DbRow, num } from './rows.js';
import type { AlertDelivery } from './types.js';

/** `?` placeholders as each dialect spells them. */
function q(d: Dialect, text: string, params: unknown[]): Query {
  let i = 0;
  return { text: d === 'postgres' ? text.replace(/\?/g, () => `$${++i}`) : text, params };
}

type Key = Pick<AlertDelivery, 'project' | 'day' | 'event' | 'target'>;

/** Insert-if-absent: exactly one process in a fleet changes a row here for a key. */
export function claimAlertQuery(d: Dialect, a: Key, ts: number): Query {
  return q(
    d,
    `INSERT INTO alert_deliveries (project, day, event, target, claimed_at, updated_at, status, attempts)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', 0) ON CONFLICT (project, day, event, target) DO NOTHING`,
    [a.project, a.day, a.event, a.target, Math.round(ts), Math.round(ts)],
  );
}

export function updateAlertQuery(d: Dialect, a: Key & Pick<AlertDelivery, 'status' | 'attempts' | 'lastError'>, ts: number): Query {
  return q(
    d,
    'UPDATE alert_deliveries SET status = ?, attempts = ?, last_error = ?, updated_at = ? WHERE project = ? AND day = ? AND event = ? AND target = ?',
    [a.status, a.attempts, a.lastError, Math.round(ts), a.project, a.day, a.event, a.target],
  );
}

export function alertDeliveriesQuery(d: Dialect, f: { status?: AlertDelivery['status']; limit?: number }): Query {
  const limit = Math.max(0, Math.floor(f.limit ?? 20));
  return f.status
    ? q(d, `SELECT * FROM alert_deliveries WHERE status = ? ORDER BY updated_at DESC LIMIT ${limit}`, [f.status])
    : q(d, `SELECT * FROM alert_deliveries ORDER BY updated_at DESC LIMIT ${limit}`, []);
}

export function alertFromRow(row: DbRow): AlertDelivery {
  return {
    project: String(row.project),
    day: String(row.day),
    event: String(row.event),
    target: String(row.target),
    claimedAt: num(row.claimed_at),
    updatedAt: num(row.updated_at),
    status: row.status as AlertDelivery['status'],
    attempts: num(row.attempts),
    lastError: row.last_error === null || row.last_error === undefined ? null : String(row.last_error),
  };
}
