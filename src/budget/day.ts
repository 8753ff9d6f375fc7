/** Calendar-day windows in an IANA time zone, correct across DST changes (a day may be 23 or 25 hours). */
export interface DayWindow {
  /** local date, `YYYY-MM-DD` */
  day: string;
  /** local midnight, epoch ms */
  start: number;
  /** next local midnight, epoch ms */
  end: number;
}

/** Zones answered without ICU: the first Intl.DateTimeFormat pages in ~6 MB of time-zone data. */
export const UTC_ZONES: ReadonlySet<string> = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT']);

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

function localParts(t: number, tz: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  if (UTC_ZONES.has(tz)) {
    const u = new Date(t);
    return { y: u.getUTCFullYear(), m: u.getUTCMonth() + 1, d: u.getUTCDate(), h: u.getUTCHours(), min: u.getUTCMinutes(), s: u.getUTCSeconds() };
  }
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(t)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year!, m: parts.month!, d: parts.day!, h: parts.hour!, min: parts.minute!, s: parts.second! };
}

/** Offset of `tz` from UTC at instant `t`, in ms (e.g. -4h for New York in summer). */
function offsetAt(t: number, tz: string): number {
  const p = localParts(t, tz);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s);
  return asUtc - Math.floor(t / 1000) * 1000;
}

/** The instant of local midnight starting `y-m-d` in `tz`. */
function localMidnight(y: number, m: number, d: number, tz: string): number {
  const naive = Date.UTC(y, m - 1, d);
  let t = naive - offsetAt(naive, tz);
  const again = naive - offsetAt(t, tz);
  if (again !== t) t = again;
  return t;
}

export function dayWindow(now: number, tz: string): DayWindow {
  const p = localParts(now, tz);
  const start = localMidnight(p.y, p.m, p.d, tz);
  const next = new Date(Date.UTC(p.y, p.m - 1, p.d + 1));
  const end = localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), tz);
  const day = `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
  return { day, start, end };
}

/** Start of the window `days` local days before today's (for week/month reports). */
export function daysBack(now: number, tz: string, days: number): number {
  const p = localParts(now, tz);
  const back = new Date(Date.UTC(p.y, p.m - 1, p.d - days));
  return localMidnight(back.getUTCFullYear(), back.getUTCMonth() + 1, back.getUTCDate(), tz);
}
