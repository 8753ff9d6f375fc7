import { Hono, type Context } from 'hono';
import { dayWindow } from '../budget/day.js';
import type { Gateway } from '../gateway.js';
import { nanosToUsd } from '../money.js';

export interface BudgetSeries {
  project: string;
  day: string;
  timeZone: string;
  budgetUsd: number;
  bucketMinutes: number;
  /** local midnight, then the end of each bucket: cumulative spend at `t`; null for buckets not started yet */
  points: { t: string; spentUsd: number | null }[];
}

export interface BudgetEventView {
  time: string;
  project: string;
  day: string;
  kind: 'warning' | 'exceeded' | 'throttled' | 'blocked';
  spentUsd: number;
  budgetUsd: number;
}

const BUCKET_MS = 15 * 60_000;

/**
 * Read routes the dashboard needs beyond the core HTTP API: trend, budget series and events.
 * Mounted under `/v1` after the API's bearer-auth middleware, so they take the same tokens.
 */
export function dashboardApi(gw: Gateway): Hono {
  const api = new Hono();

  api.get('/trend', async (c) => {
    const project = c.req.query('project') || undefined;
    const days = intParam(c, 'days', 30, 1, 366);
    if (days instanceof Response) return days;
    return c.json({ project: project ?? null, timeZone: gw.timeZoneOf(project), days: await gw.reports.dailyTrend({ project, days }) });
  });

  // the catalog as requests are priced: the same rows as `voicegw prices --json` and MCP list_models
  api.get('/prices', (c) => {
    const modality = c.req.query('modality');
    if (modality !== undefined && modality !== 'stt' && modality !== 'llm' && modality !== 'tts') {
      return c.json({ error: { code: 'bad_request', message: "modality must be 'stt', 'llm' or 'tts'" } }, 400);
    }
    const models = c.req.queries('model') ?? [];
    return c.json(gw.priceCatalog({ modality, models }));
  });

  api.get('/budget/:project/events', async (c) => {
    const project = c.req.param('project');
    gw.requireProject(project);
    const limit = intParam(c, 'limit', 50, 1, 500);
    if (limit instanceof Response) return limit;
    await gw.ready;
    const events = await gw.ledger.budgetEvents({ project, limit });
    return c.json({ events: events.map((e): BudgetEventView => ({ time: new Date(e.ts).toISOString(), project: e.project, day: e.day, kind: e.kind, spentUsd: nanosToUsd(e.spentNanos), budgetUsd: nanosToUsd(e.budgetNanos) })) });
  });

  api.get('/budget/:project/series', async (c) => {
    const project = c.req.param('project');
    gw.requireProject(project);
    return c.json(await budgetSeries(gw, project));
  });

  return api;
}

/** Cumulative spend over today (in the project's budget zone) in 15-minute buckets. */
export async function budgetSeries(gw: Gateway, project: string): Promise<BudgetSeries> {
  await gw.ready;
  const policy = gw.budgetPolicy(project);
  const now = gw.clock();
  const today = dayWindow(now, policy.timeZone);
  const buckets = await gw.ledger.spendSeries({ project, from: today.start, to: today.end, bucketMs: BUCKET_MS });
  const count = Math.ceil((today.end - today.start) / BUCKET_MS);
  const perBucket = new Array<number>(count).fill(0);
  for (const b of buckets) {
    const i = Math.min(count - 1, Math.max(0, Math.floor((b.start - today.start) / BUCKET_MS)));
    perBucket[i]! += b.costNanos;
  }
  let cumulative = 0;
  const points: BudgetSeries['points'] = [{ t: new Date(today.start).toISOString(), spentUsd: 0 }];
  perBucket.forEach((nanos, i) => {
    const start = today.start + i * BUCKET_MS;
    cumulative += nanos;
    points.push({ t: new Date(Math.min(start + BUCKET_MS, today.end)).toISOString(), spentUsd: start <= now ? nanosToUsd(cumulative) : null });
  });
  return { project, day: today.day, timeZone: policy.timeZone, budgetUsd: nanosToUsd(policy.budgetNanos), bucketMinutes: BUCKET_MS / 60_000, points };
}

function intParam(c: Context, name: string, fallback: number, min: number, max: number): number | Response {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  return c.json({ error: { code: 'invalid_query', message: `${name} must be an integer from ${min} to ${max}`, field: name } }, 400);
}
