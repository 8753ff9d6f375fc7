import { formatUsd } from '../money.js';

export { formatUsd };

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** right-align (numbers, money) */
  right?: boolean;
}

/** An aligned plain-text table (no borders, so output stays greppable and pipe-friendly). */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => clean(c.value(r))));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((row) => width(row[i]!))));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i]!.right ? pad(v, widths[i]!, 'left') : pad(v, widths[i]!, 'right')))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n');
}

/** `key: value` lines with the values aligned. */
export function keyValues(pairs: readonly (readonly [string, string])[]): string {
  const w = Math.max(...pairs.map(([k]) => width(k)));
  return pairs.map(([k, v]) => `${pad(`${k}:`, w + 1, 'right')} ${clean(v)}`).join('\n');
}

export const money = (usd: number | null) => formatUsd(usd);

export function percent(p: number): string {
  return `${p.toFixed(p >= 100 || p === 0 ? 0 : 1)}%`;
}

export function ms(v: number | null): string {
  return v === null ? '-' : v >= 1000 ? `${(v / 1000).toFixed(2)}s` : `${Math.round(v)}ms`;
}

/** Compact local-time-free timestamp: `2026-03-01 14:05:09Z`. */
export function time(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

// control characters (from ledger text such as provider errors) would break the alignment or the terminal
function clean(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, side: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return side === 'left' ? fill + s : s + fill;
}
