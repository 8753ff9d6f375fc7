import { formatUsd } from '../../money.js';

/** Totals read the same as the CLI's (`$0.0123` below a dollar, `$12.34` above). */
export const usd = formatUsd;

/** Per-request costs are often fractions of a cent: keep up to 6 decimals there. */
export function usdFine(v: number | null): string {
  if (v === null) return 'unpriced';
  if (v === 0 || Math.abs(v) >= 0.0001) return formatUsd(v);
  return `$${v.toFixed(6)}`;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const count = (n: number): string => integer.format(n);

export function percent(p: number): string {
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}

export function ms(v: number | null): string {
  if (v === null) return '—';
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`;
}

export function duration(sec: number): string {
  if (sec < 60) return `${sec.toFixed(1)} s`;
  const m = Math.floor(sec / 60);
  const s = Math.round(sec % 60);
  return m < 60 ? `${m}m ${String(s).padStart(2, '0')}s` : `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

const timeFmt = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const dateTimeFmt = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** Today's times as `14:03:07`, older ones with their date. */
export function when(iso: string): string {
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString() ? timeFmt.format(d) : dateTimeFmt.format(d);
}

/** An instant as its ISO calendar day (`2026-12-03`) in a time zone, like every other date on the dashboard. */
export function isoDay(iso: string | number, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** `2026-03-07` → `Mar 7` (the trend's day labels, already local to the budget zone). */
export function dayLabel(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export type Accent = 'green' | 'yellow' | 'blue' | 'pink';

/** Card accent from the first tag: `prod` green, `stag` yellow, `dev`/`test` blue, anything else pink. */
export function tagAccent(tags: readonly string[]): Accent {
  const first = (tags[0] ?? '').toLowerCase();
  if (first.includes('prod')) return 'green';
  if (first.includes('stag')) return 'yellow';
  if (first.includes('dev') || first.includes('test')) return 'blue';
  return 'pink';
}

export const MODALITY_LABEL: Record<string, string> = { stt: 'STT', llm: 'LLM', tts: 'TTS', realtime: 'Realtime' };

export const ACTION_LABEL: Record<string, string> = {
  warn: 'warns when over budget',
  throttle: 'throttles when over budget',
  block: 'blocks when over budget',
};

/**
 * Axis ticks: `$0`, `$0.25`, `$12`: as many decimals as the tick step needs (at least cents below
 * $1), so small values never repeat a label ("$0.01 $0.01 $0.01" for steps of $0.0025).
 */
export function axisUsd(v: number, step = 0): string {
  if (v === 0) return '$0';
  const stepDecimals = step > 0 ? decimalsOf(step) : 0;
  const decimals = Math.abs(v) >= 100 && stepDecimals === 0 ? 0 : Math.max(stepDecimals, step >= 1 ? 0 : 2);
  return `$${v.toFixed(Math.min(decimals, 8))}`;
}

/** Decimals in a tick step such as 0.0025 (4); steps come from Chart.js as rounded nice numbers. */
function decimalsOf(step: number): number {
  const text = Number(step.toPrecision(6)).toFixed(10).replace(/0+$/, '');
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}
