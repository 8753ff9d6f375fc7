import type { LogEntry } from '../reports.js';

/** Export columns, in order: stable names an accounting sheet can rely on. */
export const EXPORT_COLUMNS: readonly [string, (e: LogEntry) => string | number | null][] = [
  ['time', (e) => e.time],
  ['id', (e) => e.id],
  ['project', (e) => e.project],
  ['session_id', (e) => e.sessionId],
  ['modality', (e) => e.modality],
  ['provider', (e) => e.provider],
  ['model', (e) => e.model],
  ['input_units', (e) => e.inputUnits],
  ['output_units', (e) => e.outputUnits],
  ['cached_units', (e) => e.cachedUnits],
  ['cost_usd', (e) => e.costUsd],
  ['pricing_source', (e) => e.pricingSource],
  ['ttfb_ms', (e) => e.ttfbMs],
  ['latency_ms', (e) => e.latencyMs],
  ['status', (e) => e.status],
  ['fallback_from', (e) => e.fallbackFrom],
  ['error', (e) => e.error],
  ['throttle', (e) => e.throttle],
  ['guardrail_findings', (e) => e.guardrailFindings],
];

/**
 * RFC 4180 field: quoted when it holds a comma, quote or line break. Text that a spreadsheet
 * would run as a formula (=, +, -, @ first) gets a leading apostrophe (OWASP CSV injection).
 * An unknown cost stays empty, never 0.
 */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: readonly LogEntry[]): string {
  const lines = [EXPORT_COLUMNS.map(([name]) => name).join(',')];
  for (const r of rows) lines.push(EXPORT_COLUMNS.map(([, get]) => csvField(get(r))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
