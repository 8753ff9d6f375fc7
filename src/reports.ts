import { dayWindow, daysBack } from './budget/day.js';
import type { Gateway } from './gateway.js';
import type { CostBucket, LogQuery, Period, RequestRecord, SessionRecord } from './ledger/types.js';
import { nanosToUsd } from './money.js';
import type { Modality } from './types.js';

export interface UsdBucket {
  key: string;
  costUsd: number;
  requests: number;
  /** requests with no known price (never counted as $0) */
  unpriced: number;
}

export interface CostsResult {
  project: string | null;
  period: { from: string; to: string; timeZone: string };
  totalUsd: number;
  requests: number;
  unpriced: number;
  byProvider: UsdBucket[];
  byModel: UsdBucket[];
  byModality: UsdBucket[];
  byProject: UsdBucket[];
}

export interface LogEntry extends Omit<RequestRecord, 'costNanos'> {
  costUsd: number | null;
  time: string;
}

/** One local day's spend by modality. */
export type DailySpend = { day: string } & Record<Modality, number>;

export interface SessionCost {
  id: string;
  project: string;
  startedAt: string;
  endedAt: string;
  durationSec: number;
  stt: number;
  llm: number;
  tts: number;
  /** speech-to-speech models (modality `realtime`) */
  realtime: number;
  total: number;
  /** total / minutes of session; null for sessions shorter than a second */
  perMinute: number | null;
  requests: number;
  unpriced: number;
}

/** Read-side queries for the CLI, API, dashboard and MCP: USD at the edge, calendar days in the budget zone. */
export class Reports {
  constructor(private readonly gw: Gateway) {}

  window(period: Period = 'today', project?: string): { from: number; to: number; timeZone: string } {
    const tz = this.gw.timeZoneOf(project);
    const now = this.gw.clock();
    if (typeof period === 'object') return { ...period, timeZone: tz };
    const today = dayWindow(now, tz);
    if (period === 'today') return { from: today.start, to: today.end, timeZone: tz };
    if (period === 'week') return { from: daysBack(now, tz, 6), to: today.end, timeZone: tz };
    if (period === 'month') return { from: daysBack(now, tz, 29), to: today.end, timeZone: tz };
    return { from: 0, to: today.end, timeZone: tz };
  }

  /** A filter on a project nobody defined is an error naming the defined ones, never an empty $0 report. */
  #known(project: string | undefined): void {
    if (project !== undefined) this.gw.requireProject(project);
  }

  async costs(q: { project?: string; period?: Period } = {}): Promise<CostsResult> {
    await this.gw.ready;
    this.#known(q.project);
    const w = this.window(q.period, q.project);
    const r = await this.gw.ledger.costs({ project: q.project, from: w.from, to: w.to });
    const usd = (b: CostBucket[]): UsdBucket[] => b.map((x) => ({ key: x.key, costUsd: nanosToUsd(x.costNanos), requests: x.requests, unpriced: x.unpriced }));
    return {
      project: q.project ?? null,
      period: { from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString(), timeZone: w.timeZone },
      totalUsd: nanosToUsd(r.totalNanos),
      requests: r.requests,
      unpriced: r.unpriced,
      byProvider: usd(r.byProvider),
      byModel: usd(r.byModel),
      byModality: usd(r.byModality),
      byProject: usd(r.byProject),
    };
  }

  async logs(q: LogQuery = {}): Promise<LogEntry[]> {
    await this.gw.ready;
    this.#known(q.project);
    const rows = await this.gw.ledger.logs({ ...q, limit: q.limit ?? 50 });
    return rows.map(toLogEntry);
  }

  async session(id: string): Promise<SessionCost | null> {
    await this.gw.ready;
    const s = await this.gw.ledger.session(id);
    return s ? toSessionCost(s) : null;
  }

  async sessions(q: { project?: string; limit?: number } = {}): Promise<SessionCost[]> {
    await this.gw.ready;
    this.#known(q.project);
    return (await this.gw.ledger.sessions(q)).map(toSessionCost);
  }

  /** Rows for accounting exports (CSV/JSON), oldest first. */
  async exportCosts(q: { from: number; to: number; project?: string }): Promise<LogEntry[]> {
    await this.gw.ready;
    this.#known(q.project);
    return (await this.gw.ledger.exportRows(q)).map(toLogEntry);
  }

  /** Daily spend by modality for the last `days` local days (dashboard trend). */
  async dailyTrend(q: { project?: string; days?: number } = {}): Promise<DailySpend[]> {
    await this.gw.ready;
    this.#known(q.project);
    const tz = this.gw.timeZoneOf(q.project);
    const days = q.days ?? 30;
    const now = this.gw.clock();
    const from = daysBack(now, tz, days - 1);
    const to = dayWindow(now, tz).end;
    const buckets = await this.gw.ledger.spendSeries({ project: q.project, from, to, bucketMs: 15 * 60_000 });
    const out = new Map<string, DailySpend>();
    for (let t = from; t < to; t = dayWindow(t, tz).end) {
      const day = dayWindow(t, tz).day;
      out.set(day, { day, stt: 0, llm: 0, tts: 0, realtime: 0 });
    }
    for (const b of buckets) {
      const row = out.get(dayWindow(b.start, tz).day);
      if (row) row[b.modality as Modality] += nanosToUsd(b.costNanos);
    }
    return [...out.values()];
  }
}

export function toLogEntry(r: RequestRecord): LogEntry {
  const { costNanos, ...rest } = r;
  return { ...rest, costUsd: costNanos === null ? null : nanosToUsd(costNanos), time: new Date(r.ts).toISOString() };
}

function toSessionCost(s: SessionRecord): SessionCost {
  const durationSec = Math.max(0, (s.endedAt - s.startedAt) / 1000);
  const total = nanosToUsd(s.totalNanos);
  return {
    id: s.id,
    project: s.project,
    startedAt: new Date(s.startedAt).toISOString(),
    endedAt: new Date(s.endedAt).toISOString(),
    durationSec,
    stt: nanosToUsd(s.sttNanos),
    llm: nanosToUsd(s.llmNanos),
    tts: nanosToUsd(s.ttsNanos),
    realtime: nanosToUsd(s.realtimeNanos),
    total,
    perMinute: durationSec >= 1 ? total / (durationSec / 60) : null,
    requests: s.requests,
    unpriced: s.unpriced,
  };
}
