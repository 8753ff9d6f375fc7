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
