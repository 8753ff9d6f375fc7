import { admits } from '../budget/rule.js';
import type { Modality } from '../types.js';
import type { CostQuery, LogQuery } from './types.js';

/**
 * Read queries shared by the SQLite and PostgreSQL stores: the same SQL text, only placeholders
 * (`?` vs `$n`) and integer casts differ.
 */
export type Dialect = 'sqlite' | 'postgres';

export interface Query {
  text: string;
  params: unknown[];
}

export const HOUR_MS = 3_600_000;

class Sql {
  readonly params: unknown[] = [];
  readonly where: string[] = [];
  constructor(readonly dialect: Dialect) {}

  /** a bound value */
  v(value: unknown): string {
    this.params.push(value);
    return this.dialect === 'postgres' ? `$${this.params.length}` : '?';
  }

  /** a bound integer for integer arithmetic (better-sqlite3 binds JS numbers as REAL) */
  int(value: number): string {
    const p = this.v(value);
    return this.dialect === 'postgres' ? `${p}::bigint` : `CAST(${p} AS INTEGER)`;
  }

  and(clause: string): void {
    this.where.push(clause);
  }

  whereClause(): string {
    return this.where.length ? `WHERE ${this.where.join(' AND ')}` : '';
  }
}

interface Range {
  from?: number;
  to?: number;
}

/**
 * Splits [from, to) into whole UTC hours (read from `request_hours`) and at most two partial
 * hours at the edges (read from raw `requests` through the ts indexes).
 */
export function splitWindow(from?: number, to?: number): { hours: Range | null; raw: Range[] } {
  const hFrom = from === undefined ? undefined : Math.ceil(from / HOUR_MS) * HOUR_MS;
  const hTo = to === undefined ? undefined : Math.floor(to / HOUR_MS) * HOUR_MS;
  if (hFrom !== undefined && hTo !== undefined && hFrom >= hTo) return { hours: null, raw: [{ from, to }] };
  const raw: Range[] = [];
  if (from !== undefined && hFrom !== undefined && from < hFrom) raw.push({ from, to: hFrom });
  if (to !== undefined && hTo !== undefined && hTo < to) raw.push({ from: hTo, to });
  return { hours: { from: hFrom, to: hTo }, raw };
}

function range(sql: Sql, column: string, r: Range): void {
  if (r.from !== undefined) sql.and(`${column} >= ${sql.v(r.from)}`);
  if (r.to !== undefined) sql.and(`${column} < ${sql.v(r.to)}`);
}

const NARROW_MS = 7 * 24 * HOUR_MS;

/**
 * Hour bounds on `request_hours`. A narrow window reads the (hour) index; a wide one scans the
 * table in key order (grouping without a sort), which beats thousands of index lookups plus a sort.
 * Unary `+` keeps SQLite's planner off the index; PostgreSQL plans from its statistics anyway.
 */
function hourRange(sql: Sql, r: Range): void {
  const narrow = r.from !== undefined && r.to !== undefined && r.to - r.from <= NARROW_MS;
  range(sql, narrow ? 'hour' : '+hour', r);
}

const UNPRICED = 'SUM(CASE WHEN cost_nanos IS NULL THEN 1 ELSE 0 END)';
const GROUP_COLUMNS = 'project, provider, model, modality';

/** Rows `{project, provider, model, modality, cost, n, u}`; the caller adds them up. */
export function costGroupQueries(d: Dialect, q: CostQuery): Query[] {
  const { hours, raw } = splitWindow(q.from, q.to);
  const out: Query[] = [];
  if (hours) {
    const sql = new Sql(d);
    if (q.project !== undefined) sql.and(`project = ${sql.v(q.project)}`);
    hourRange(sql, hours);
    out.push({
      text: `SELECT ${GROUP_COLUMNS}, SUM(cost_nanos) AS cost, SUM(requests) AS n, SUM(unpriced) AS u
             FROM request_hours ${sql.whereClause()} GROUP BY ${GROUP_COLUMNS}`,
      params: sql.params,
    });
  }
  for (const r of raw) {
    const sql = new Sql(d);
    if (q.project !== undefined) sql.and(`project = ${sql.v(q.project)}`);
    range(sql, 'ts', r);
    out.push({
      text: `SELECT ${GROUP_COLUMNS}, COALESCE(SUM(cost_nanos), 0) AS cost, COUNT(*) AS n, ${UNPRICED} AS u
             FROM requests ${sql.whereClause()} GROUP BY ${GROUP_COLUMNS}`,
      params: sql.params,
    });
  }
  return out;
}

/** Rows `{cost}` whose sum is the project's known spend in [from, to). */
export function spendQueries(d: Dialect, project: string, from: number, to: number): Query[] {
  const { hours, raw } = splitWindow(from, to);
  const out: Query[] = [];
  if (hours) {
    const sql = new Sql(d);
    sql.and(`project = ${sql.v(project)}`);
    hourRange(sql, hours);
    out.push({ text: `SELECT COALESCE(SUM(cost_nanos), 0) AS cost FROM request_hours ${sql.whereClause()}`, params: sql.params });
  }
  for (const r of raw) {
    const sql = new Sql(d);
    sql.and(`project = ${sql.v(project)}`);
    range(sql, 'ts', r);
    out.push({ text: `SELECT COALESCE(SUM(cost_nanos), 0) AS cost FROM requests ${sql.whereClause()}`, params: sql.params });
  }
  return out;
}

export interface SeriesQuery {
  project?: string;
  from: number;
  to: number;
  bucketMs: number;
}

/** Rows `{start, modality, cost, n}`; buckets are multiples of `bucketMs` since the epoch (UTC). */
export function seriesQueries(d: Dialect, q: SeriesQuery): Query[] {
  const bucket = Math.max(1, Math.round(q.bucketMs));
  const split = bucket % HOUR_MS === 0 ? splitWindow(q.from, q.to) : { hours: null, raw: [{ from: q.from, to: q.to }] };
  const out: Query[] = [];
  if (split.hours) {
    const sql = new Sql(d);
    const start = `(hour / ${sql.int(bucket)}) * ${sql.int(bucket)}`;
    if (q.project !== undefined) sql.and(`project = ${sql.v(q.project)}`);
    hourRange(sql, split.hours);
    out.push({
      text: `SELECT ${start} AS start, modality, SUM(cost_nanos) AS cost, SUM(requests) AS n
             FROM request_hours ${sql.whereClause()} GROUP BY 1, 2`,
      params: sql.params,
    });
  }
  for (const r of split.raw) {
    const sql = new Sql(d);
    const start = `(ts / ${sql.int(bucket)}) * ${sql.int(bucket)}`;
    if (q.project !== undefined) sql.and(`project = ${sql.v(q.project)}`);
    range(sql, 'ts', r);
    out.push({
      text: `SELECT ${start} AS start, modality, COALESCE(SUM(cost_nanos), 0) AS cost, COUNT(*) AS n
             FROM requests ${sql.whereClause()} GROUP BY 1, 2`,
      params: sql.params,
    });
  }
  return out;
}

/** Newest first. */
export function logsQuery(d: Dialect, q: LogQuery): Query {
  const sql = new Sql(d);
  if (q.project !== undefined) sql.and(`project = ${sql.v(q.project)}`);
  if (q.modality !== undefined) sql.and(`modality = ${sql.v(q.modality satisfies Modality)}`);
  if (q.session !== undefined) sql.and(`session_id = ${sql.v(q.session)}`);
  range(sql, 'ts', q);
  const limit = sql.int(clampLimit(q.limit, 100));
  return { text: `SELECT * FROM requests ${sql.whereClause()} ORDER BY ts DESC, id DESC LIMIT ${limit}`, params: sql.params };
}

/** Oldest first, for CSV/JSON export. */
export function exportQuery(d: Dialect, q: CostQuery & { limit?: number }): Query {
  const sql = new Sql(d);
  if (q.project !== undefined) sql.and(`project = ${sql.v(q.project)}`);
  range(sql, 'ts', q);
  const limit = q.limit === undefined ? '' : `LIMIT ${sql.int(clampLimit(q.limit, 0))}`;
  return { text: `SELECT * FROM requests ${sql.whereClause()} ORDER BY ts ASC, id ASC ${limit}`, params: sql.params };
}

export function sessionsQuery(d: Dialect, q: { project?: string; limit?: number }): Query {
  const sql = new Sql(d);
  if (q.project !== undefined) sql.and(`project = ${sql.v(q.project)}`);
  const limit = sql.int(clampLimit(q.limit, 50));
  return { text: `SELECT * FROM sessions ${sql.whereClause()} ORDER BY ended_at DESC, id DESC LIMIT ${limit}`, params: sql.params };
}

/** Newest first, for audit, guardrail and budget event tables. */
export function eventsQuery(d: Dialect, table: 'audit_log' | 'guardrail_events' | 'budget_events', q: { project?: string; limit?: number }): Query {
  const sql = new Sql(d);
  if (q.project !== undefined) sql.and(`project = ${sql.v(q.project)}`);
  const limit = sql.int(clampLimit(q.limit, 100));
  return { text: `SELECT * FROM ${table} ${sql.whereClause()} ORDER BY ts DESC, id DESC LIMIT ${limit}`, params: sql.params };
}

function clampLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.max(0, Math.floor(limit));
}

/**
 * Atomic reservation: one upsert whose row lock (ON CONFLICT DO UPDATE) makes check-and-add
 * indivisible across workers. The condition is the admission rule of `budget/rule.ts` (`admits`):
 * spent + reserved < budget, or no budget. `force` holds even when the rule says no (warn/throttle
 * requests run over budget). Returns the row after the update, or no row when refused.
 */
export function reserveQuery(d: Dialect, project: string, day: string, estimate: number, budget: number, force: boolean): Query {
  const sql = new Sql(d);
  const text = `INSERT INTO budget_days AS b (project, day, spent_nanos, reserved_nanos)
    VALUES (${sql.v(project)}, ${sql.v(day)}, 0, ${sql.int(estimate)})
    ON CONFLICT (project, day) DO UPDATE SET reserved_nanos = b.reserved_nanos + EXCLUDED.reserved_nanos
    WHERE ${sql.int(force ? 1 : 0)} = 1 OR ${sql.int(budget)} = 0 OR b.spent_nanos + b.reserved_nanos < ${sql.int(budget)}
    RETURNING spent_nanos, reserved_nanos`;
  return { text, params: sql.params };
}

/** What a `reserveQuery` row means: admitted by the rule on the figures before this hold. */
export function reserveOutcome(row: Record<string, unknown>, estimate: number, budget: number): { admitted: boolean; spentNanos: number; reservedNanos: number } {
  const spentNanos = Number(row.spent_nanos);
  const reservedNanos = Number(row.reserved_nanos);
  return { admitted: admits(spentNanos, reservedNanos - estimate, budget), spentNanos, reservedNanos };
}

/** Moves one reservation to spent: reserved -= estimate (floored at 0), spent += actual. */
export function settleQuery(d: Dialect, project: string, day: string, estimate: number, actual: number): Query {
  const sql = new Sql(d);
  const text = `INSERT INTO budget_days AS b (project, day, spent_nanos, reserved_nanos)
    VALUES (${sql.v(project)}, ${sql.v(day)}, ${sql.int(actual)}, 0)
    ON CONFLICT (project, day) DO UPDATE SET
      reserved_nanos = CASE WHEN b.reserved_nanos > ${sql.int(estimate)} THEN b.reserved_nanos - ${sql.int(estimate)} ELSE 0 END,
      spent_nanos = b.spent_nanos + EXCLUDED.spent_nanos`;
  return { text, params: sql.params };
}

export function budgetDayQuery(d: Dialect, project: string, day: string): Query {
  const sql = new Sql(d);
  return {
    text: `SELECT spent_nanos, reserved_nanos FROM budget_days WHERE project = ${sql.v(project)} AND day = ${sql.v(day)}`,
    params: sql.params,
  };
}
