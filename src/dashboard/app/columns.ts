import type { BudgetEventView, GuardrailEventView, LogEntry, SessionCost } from './client.js';
import { setClass, setText } from './dom.js';
import { count, duration, MODALITY_LABEL, ms, usd, usdFine, when } from './format.js';
import type { Column } from './table.js';

function pill(td: HTMLTableCellElement, text: string, tone: string): void {
  let span = td.firstElementChild as HTMLSpanElement | null;
  if (!span) span = td.appendChild(document.createElement('span'));
  setText(span, text);
  setClass(span, `badge badge-${tone}`);
}

const STATUS_TONE: Record<string, string> = { success: 'ok', error: 'bad', cancelled: 'muted', fallback: 'warn', blocked: 'bad' };

export function units(r: LogEntry): string {
  if (r.modality === 'stt') return `${r.inputUnits.toFixed(1)} s audio`;
  if (r.modality === 'tts') return `${count(r.inputUnits)} chars`;
  if (r.modality === 'realtime') return `${count(r.inputUnits)} in / ${count(r.outputUnits)} out tokens (text + audio)`;
  const cached = r.cachedUnits ? ` (${count(r.cachedUnits)} cached)` : '';
  return `${count(r.inputUnits)} in / ${count(r.outputUnits)} out${cached}`;
}

export function logColumns(withProject: boolean): Column<LogEntry>[] {
  const cols: Column<LogEntry>[] = [
    { head: 'Time', text: (r) => when(r.time), title: (r) => r.time },
    { head: 'Type', render: (td, r) => pill(td, MODALITY_LABEL[r.modality] ?? r.modality, `mod-${r.modality}`) },
    { head: 'Model', text: (r) => `${r.provider}/${r.model}` },
    { head: 'Units', text: units },
    { head: 'Cost', cls: 'num', text: (r) => usdFine(r.costUsd), title: (r) => (r.costUsd === null ? 'No known price: add it under prices: in voicegw.yaml' : r.pricingSource) },
    { head: 'TTFB', cls: 'num', text: (r) => ms(r.ttfbMs) },
    { head: 'Latency', cls: 'num', text: (r) => ms(r.latencyMs) },
    {
      head: 'Status',
      render: (td, r) => pill(td, r.fallbackFrom ? `${r.status} ← ${r.fallbackFrom}` : r.throttle ? `${r.status} · throttled` : r.status, STATUS_TONE[r.status] ?? 'muted'),
      title: (r) => r.error ?? r.throttle ?? '',
    },
  ];
  if (withProject) cols.splice(1, 0, { head: 'Project', text: (r) => r.project });
  return cols;
}

export function sessionColumns(withProject: boolean): Column<SessionCost>[] {
  const cols: Column<SessionCost>[] = [
    { head: 'Session', cls: 'mono', text: (s) => s.id, title: (s) => s.id },
    { head: 'Started', text: (s) => when(s.startedAt), title: (s) => s.startedAt },
    { head: 'Duration', cls: 'num', text: (s) => duration(s.durationSec) },
    { head: 'STT', cls: 'num', text: (s) => usd(s.stt) },
    { head: 'LLM', cls: 'num', text: (s) => usd(s.llm) },
    { head: 'TTS', cls: 'num', text: (s) => usd(s.tts) },
    { head: 'Realtime', cls: 'num', text: (s) => usd(s.realtime) },
    { head: 'Total', cls: 'num strong', text: (s) => usd(s.total), title: (s) => (s.unpriced ? `${s.unpriced} request(s) with no known price are not counted` : '') },
    { head: '$/min', cls: 'num', text: (s) => (s.perMinute === null ? '—' : usd(s.perMinute)) },
    { head: 'Requests', cls: 'num', text: (s) => count(s.requests) },
  ];
  if (withProject) cols.splice(1, 0, { head: 'Project', text: (s) => s.project });
  return cols;
}

export const guardrailColumns: Column<GuardrailEventView>[] = [
  { head: 'Time', text: (e) => when(e.time), title: (e) => e.time },
  { head: 'Direction', text: (e) => (e.direction === 'in' ? 'into LLM' : 'from LLM') },
  { head: 'Category', text: (e) => e.category },
  { head: 'Detector', text: (e) => e.detector },
  { head: 'Action', render: (td, e) => pill(td, e.action, e.action === 'block' ? 'bad' : e.action === 'redact' ? 'warn' : 'muted') },
  { head: 'Excerpt (redacted)', cls: 'excerpt', text: (e) => e.excerpt },
];

const EVENT_TONE: Record<BudgetEventView['kind'], string> = { warning: 'warn', exceeded: 'bad', throttled: 'warn', blocked: 'bad' };

export const budgetEventColumns: Column<BudgetEventView>[] = [
  { head: 'Time', text: (e) => when(e.time), title: (e) => e.time },
  { head: 'Event', render: (td, e) => pill(td, e.kind, EVENT_TONE[e.kind]) },
  { head: 'Spent', cls: 'num', text: (e) => usd(e.spentUsd) },
  { head: 'Budget', cls: 'num', text: (e) => usd(e.budgetUsd) },
];
