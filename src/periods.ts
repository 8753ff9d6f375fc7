import { dayWindow } from './budget/day.js';
import type { Period } from './ledger/types.js';

export const PERIOD_NAMES = ['today', 'week', 'month', 'all'] as const;
export type PeriodName = (typeof PERIOD_NAMES)[number];

/** Why a `--period/--from/--to` (or `?period=&from=&to=`) combination was refused. */
export class PeriodError extends Error {
  constructor(
    message: string,
    readonly field: 'period' | 'from' | 'to',
  ) {
    super(message);
  }
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const EPOCH_MS = /^\d{1,15}$/;

/**
 * Turns what an operator typed into a report period. `from`/`to` accept a local date
 * (`2026-03-01`, a whole day in `timeZone`; `to` includes that day), an ISO 8601 instant, or
 * epoch milliseconds. A period name and an explicit range are mutually exclusive.
 */
export function resolvePeriod(q: { period?: string; from?: string; to?: string }, timeZone: string, now: number): Period {
  if (q.period !== undefined && (q.from !== undefined || q.to !== undefined)) {
    throw new PeriodError('use either a period or from/to, not both', 'period');
  }
  if (q.from === undefined && q.to === undefined) {
    const name = q.period ?? 'today';
    if (!(PERIOD_NAMES as readonly string[]).includes(name)) {
      throw new PeriodError(`must be one of ${PERIOD_NAMES.join(', ')}`, 'period');
    }
    return name as PeriodName;
  }
  const from = q.from === undefined ? 0 : parseInstant(q.from, 'from', timeZone);
  const to = q.to === undefined ? dayWindow(now, timeZone).end : parseInstant(q.to, 'to', timeZone);
  if (from >= to) throw new PeriodError(`must be after from (${new Date(from).toISOString()})`, 'to');
  return { from, to };
}

/** A local date's window start (`from`) or end (`to`), an ISO instant, or epoch ms. */
export function parseInstant(text: string, field: 'from' | 'to', timeZone: string): number {
  const value = text.trim();
  const date = DATE_ONLY.exec(value);
  if (date) {
    const day = localDay(Number(date[1]), Number(date[2]), Number(date[3]), timeZone);
    if (!day) throw new PeriodError(`'${value}' is not a calendar date`, field);
    return field === 'from' ? day.start : day.end;
  }
  if (EPOCH_MS.test(value)) return Number(value);
  // Date.parse accepts many loose forms; insist on an ISO-looking instant
  const t = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(t)) throw new PeriodError(`'${clip(value)}' is not a date (YYYY-MM-DD), an ISO 8601 time or epoch milliseconds`, field);
  return t;
}

/** The local calendar day y-m-d in `timeZone`, or null for a date that does not exist (2026-02-30). */
function localDay(y: number, m: number, d: number, timeZone: string): { start: number; end: number } | null {
  const noon = Date.UTC(y, m - 1, d, 12);
  const check = new Date(noon);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  const wanted = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  // UTC noon is the same local date except in zones beyond ±12h: step a day toward it
  let w = dayWindow(noon, timeZone);
  if (w.day > wanted) w = dayWindow(noon - 86_400_000, timeZone);
  else if (w.day < wanted) w = dayWindow(noon + 86_400_000, timeZone);
  return w.day === wanted ? { start: w.start, end: w.end } : null;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
