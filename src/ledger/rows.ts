import { type Nanos, nanosToUsd, usdToNanos } from '../money.js';
import type { BudgetAction, Modality } from '../types.js';
import type {
  AuditEvent,
  BudgetEvent,
  CostBucket,
  CostReport,
  GuardrailEvent,
  RequestRecord,
  RequestStatus,
  SessionRecord,
  SpendBucket,
  StoredProject,
} from './types.js';

/**
 * Database rows ↔ records, shared by both stores. PostgreSQL returns BIGINT and SUM() as strings,
 * SQLite as numbers: `num` accepts both (all values stay below 2^53).
 */
type DbValue = string | number | bigint | null | undefined;
export type DbRow = Record<string, unknown>;

export function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v as DbValue);
}

function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v as DbValue);
}

function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/** Column order used by every insert of a request row. */
export const REQUEST_COLUMNS = [
  'id',
  'ts',
  'project',
  'session_id',
  'modality',
  'provider',
  'model',
  'input_units',
  'output_units',
  'cached_units',
  'cost_nanos',
  'pricing_source',
  'ttfb_ms',
  'latency_ms',
  'status',
  'fallback_from',
  'error',
  'throttle',
  'guardrail_findings',
] as const;

export function requestValues(r: RequestRecord): unknown[] {
  return [
    r.id,
    Math.round(r.ts),
    r.project,
    r.sessionId,
    r.modality,
    r.provider,
    r.model,
    finite(r.inputUnits),
    finite(r.outputUnits),
    finite(r.cachedUnits),
    r.costNanos === null ? null : Math.round(r.costNanos),
    r.pricingSource ?? '',
    r.ttfbMs,
    r.latencyMs,
    r.status,
    r.fallbackFrom,
    r.error,
    r.throttle,
    Math.round(r.guardrailFindings ?? 0),
  ];
}

function finite(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

/** The session end a row contributes to the aggregates. */
export function sessionEnd(r: RequestRecord): number {
  return Math.round(r.ts + (r.latencyMs !== null && Number.isFinite(r.latencyMs) ? Math.max(0, r.latencyMs) : 0));
}

export function requestFromRow(row: DbRow): RequestRecord {
  return {
    id: String(row.id),
    ts: num(row.ts),
    project: String(row.project),
    sessionId: strOrNull(row.session_id),
    modality: row.modality as Modality,
    provider: String(row.provider),
    model: String(row.model),
    inputUnits: num(row.input_units),
    outputUnits: num(row.output_units),
    cachedUnits: num(row.cached_units),
    costNanos: numOrNull(row.cost_nanos),
    pricingSource: String(row.pricing_source ?? ''),
    ttfbMs: numOrNull(row.ttfb_ms),
    latencyMs: numOrNull(row.latency_ms),
    status: row.status as RequestStatus,
    fallbackFrom: strOrNull(row.fallback_from),
    error: strOrNull(row.error),
    throttle: strOrNull(row.throttle),
    guardrailFindings: num(row.guardrail_findings),
  };
}

export function sessionFromRow(row: DbRow): SessionRecord {
  const stt = num(row.stt_nanos);
  const llm = num(row.llm_nanos);
  const tts = num(row.tts_nanos);
  const realtime = num(row.realtime_nanos);
  return {
    id: String(row.id),
    project: String(row.project),
    startedAt: num(row.started_at),
    endedAt: num(row.ended_at),
    sttNanos: stt,
    llmNanos: llm,
    ttsNanos: tts,
    realtimeNanos: realtime,
    totalNanos: stt + llm + tts + realtime,
    unpriced: num(row.unpriced),
    requests: num(row.requests),
  };
}

export function projectValues(p: StoredProject): unknown[] {
  return [p.id, p.name, p.description, usdToNanos(p.dailyBudgetUsd), p.budgetAction, JSON.stringify(p.tags), Math.round(p.createdAt), Math.round(p.updatedAt), JSON.stringify(p.settings)];
}

export function projectFromRow(row: DbRow): StoredProject {
  return {
    id: String(row.id),
    name: String(row.name),
    description: String(row.description ?? ''),
    dailyBudgetUsd: nanosToUsd(num(row.daily_budget_nanos)),
    budgetAction: row.budget_action as BudgetAction,
    tags: parseTags(row.tags),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
    settings: parseSettings(row.settings),
  };
}

function parseSettings(v: unknown): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(String(v ?? '{}'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function parseTags(v: unknown): string[] {
  try {
    const parsed: unknown = JSON.parse(String(v ?? '[]'));
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

export function auditFromRow(row: DbRow): AuditEvent {
  return {
    ts: num(row.ts),
    actor: String(row.actor),
    source: row.source as AuditEvent['source'],
    action: String(row.action),
    target: String(row.target),
    detail: String(row.detail ?? ''),
  };
}

export function guardrailFromRow(row: DbRow): GuardrailEvent {
  return {
    ts: num(row.ts),
    project: String(row.project),
    sessionId: strOrNull(row.session_id),
    requestId: strOrNull(row.request_id),
    category: String(row.category),
    detector: String(row.detector),
    action: String(row.action),
    direction: row.direction as GuardrailEvent['direction'],
    excerpt: String(row.excerpt ?? ''),
  };
}

export function budgetEventFromRow(row: DbRow): BudgetEvent {
  return {
    ts: num(row.ts),
    project: String(row.project),
    day: String(row.day),
    kind: row.kind as BudgetEvent['kind'],
    spentNanos: num(row.spent_nanos),
    budgetNanos: num(row.budget_nanos),
  };
}

/** Adds up `{project, provider, model, modality, cost, n, u}` groups into a report. */
export function foldCostReport(groups: DbRow[]): CostReport {
  const by = { provider: new Map<string, CostBucket>(), model: new Map<string, CostBucket>(), modality: new Map<string, CostBucket>(), project: new Map<string, CostBucket>() };
  let totalNanos = 0;
  let requests = 0;
  let unpriced = 0;
  for (const g of groups) {
    const cost = num(g.cost);
    const n = num(g.n);
    const u = num(g.u);
    totalNanos += cost;
    requests += n;
    unpriced += u;
    add(by.provider, String(g.provider), cost, n, u);
    add(by.model, `${String(g.provider)}/${String(g.model)}`, cost, n, u);
    add(by.modality, String(g.modality), cost, n, u);
    add(by.project, String(g.project), cost, n, u);
  }
  return {
    totalNanos,
    requests,
    unpriced,
    byProvider: sorted(by.provider),
    byModel: sorted(by.model),
    byModality: sorted(by.modality),
    byProject: sorted(by.project),
  };
}

function add(map: Map<string, CostBucket>, key: string, cost: Nanos, n: number, u: number): void {
  const b = map.get(key);
  if (b) {
    b.costNanos += cost;
    b.requests += n;
    b.unpriced += u;
  } else {
    map.set(key, { key, costNanos: cost, requests: n, unpriced: u });
  }
}

function sorted(map: Map<string, CostBucket>): CostBucket[] {
  return [...map.values()].sort((a, b) => b.costNanos - a.costNanos || a.key.localeCompare(b.key));
}

/** Adds up `{start, modality, cost, n}` rows (whole hours + edges) into buckets, oldest first. */
export function foldSeries(rows: DbRow[]): SpendBucket[] {
  const map = new Map<string, SpendBucket>();
  for (const r of rows) {
    const start = num(r.start);
    const modality = r.modality as Modality;
    const key = `${start}:${modality}`;
    const b = map.get(key);
    if (b) {
      b.costNanos += num(r.cost);
      b.requests += num(r.n);
    } else {
      map.set(key, { start, modality, costNanos: num(r.cost), requests: num(r.n) });
    }
  }
  return [...map.values()].sort((a, b) => a.start - b.start || a.modality.localeCompare(b.modality));
}
