import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountDashboard } from '../../src/dashboard/index.js';
import { Gateway } from '../../src/gateway.js';
import type { RequestRecord } from '../../src/ledger/types.js';
import { createApp } from '../../src/server/index.js';
import type { Modality } from '../../src/types.js';
import { buildDashboard, tempDir } from './harness.js';

// 2026-03-10 12:07 UTC = 08:07 in New York (EDT since 2026-03-08)
const NOW = Date.parse('2026-03-10T12:07:00Z');
let gw: Gateway;
let app: Hono;
let assets: string;
let n = 0;

function row(project: string, iso: string, usd: number, modality: Modality = 'llm'): RequestRecord {
  return {
    id: `r${++n}`, ts: Date.parse(iso), project, sessionId: null, modality, provider: 'openai', model: 'gpt-4.1-mini',
    inputUnits: 1, outputUnits: 1, cachedUnits: 0, costNanos: Math.round(usd * 1e9), pricingSource: 'test', ttfbMs: 10, latencyMs: 20,
    status: 'success', fallbackFrom: null, error: null, throttle: null, guardrailFindings: 0,
  };
}

beforeAll(async () => {
  const dir = tempDir();
  assets = join(dir, 'assets');
  await buildDashboard(assets);
  gw = await Gateway.open({
    env: {},
    dbPath: join(dir, 'ledger.db'),
    clock: () => NOW,
    config: {
      projects: {
        support: { name: 'Support', daily_budget: 1, budget_action: 'block' },
        ny: { name: 'New York', daily_budget: 2, budget_timezone: 'America/New_York' },
      },
      auth: { api_keys: [{ token: 'read-token', name: 'viewer', scopes: ['read'] }] },
    },
  });
  for (const r of [
    row('support', '2026-03-09T23:50:00Z', 5), // yesterday
    row('support', '2026-03-10T00:05:00Z', 0.1, 'stt'),
    row('support', '2026-03-10T06:20:00Z', 0.2),
    row('support', '2026-03-10T12:01:00Z', 0.3, 'tts'),
    row('ny', '2026-03-10T03:30:00Z', 0.4), // 23:30 on Mar 9 in New York: yesterday there
    row('ny', '2026-03-10T04:10:00Z', 0.5), // 00:10 on Mar 10 in New York
  ]) {
    await gw.ledger.record(r);
  }
  await gw.ledger.recordBudgetEvent({ ts: Date.parse('2026-03-10T12:01:00Z'), project: 'support', day: '2026-03-10', kind: 'warning', spentNanos: 6e8, budgetNanos: 1e9 });
  await gw.ledger.flush();
  app = createApp(gw, { extraRoutes: (a) => mountDashboard(a, gw, { assetsDir: assets }) });
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

const auth = { headers: { Authorization: 'Bearer read-token' } };
const getJson = async (path: string) => {
  const res = await app.request(path, auth);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; field: string | null } } };
};

describe('dashboard read routes', () => {
  it('prices: the same catalog as `voicegw prices` (Gateway.priceCatalog), filterable by modality and model', async () => {
    const all = await getJson('/v1/prices');
    expect(all.status).toBe(200);
    expect(all.body).toEqual(JSON.parse(JSON.stringify(gw.priceCatalog())));
    const stt = await getJson('/v1/prices?modality=stt');
    const rows = stt.body.rows as { modality: string; model: string; prices: Record<string, number> }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.modality === 'stt')).toBe(true);
    expect(rows.find((r) => r.model === 'deepgram/nova-3')!.prices).toEqual({ per_minute: 0.0043, streaming_per_minute: 0.0048 });
    const one = await getJson('/v1/prices?model=anthropic/claude-sonnet-4-20250514&model=acme/x');
    expect(one.body).toMatchObject({ rows: [{ model: 'anthropic/claude-sonnet-4-0', requested: 'anthropic/claude-sonnet-4-20250514' }], missing: [{ model: 'acme/x' }] });
    expect((await getJson('/v1/prices?modality=video')).status).toBe(400);
  });

  it('budget series: cumulative spend at each 15-minute bucket end of today, null after now', async () => {
    const { status, body } = await getJson('/v1/budget/support/series');
    expect(status).toBe(200);
    const points = body.points as { t: string; spentUsd: number | null }[];
    expect(body).toMatchObject({ project: 'support', day: '2026-03-10', timeZone: 'UTC', budgetUsd: 1, bucketMinutes: 15 });
    expect(points).toHaveLength(97);
    expect(points[0]).toEqual({ t: '2026-03-10T00:00:00.000Z', spentUsd: 0 });
    expect(points[1]).toEqual({ t: '2026-03-10T00:15:00.000Z', spentUsd: 0.1 });
    expect(points[25]!.spentUsd).toBeCloseTo(0.1, 9);
    expect(points[26]).toEqual({ t: '2026-03-10T06:30:00.000Z', spentUsd: expect.closeTo(0.3, 9) });
    expect(points[49]).toEqual({ t: '2026-03-10T12:15:00.000Z', spentUsd: expect.closeTo(0.6, 9) });
    expect(points.slice(50).every((p) => p.spentUsd === null)).toBe(true);
    expect(points[96]!.t).toBe('2026-03-11T00:00:00.000Z');
    // the last point reached is what the budget enforcer reports as spent today
    expect(points[49]!.spentUsd).toBeCloseTo((await gw.budgetStatus('support')).spentUsd, 9);
  });

  it('budget series follows the project’s budget time zone', async () => {
    const { body } = await getJson('/v1/budget/ny/series');
    const points = body.points as { t: string; spentUsd: number | null }[];
    expect(body).toMatchObject({ day: '2026-03-10', timeZone: 'America/New_York', budgetUsd: 2 });
    expect(points[0]!.t).toBe('2026-03-10T04:00:00.000Z');
    expect(points[1]!.spentUsd).toBeCloseTo(0.5, 9); // the 23:30 request was yesterday in New York
    expect(points[33]!.spentUsd).toBeCloseTo(0.5, 9); // 08:15 local: the bucket holding now (08:07)
    expect(points[34]!.spentUsd).toBeNull();
  });

  it('trend: one row per local day by modality, adding up to the month’s costs', async () => {
    const { body } = await getJson('/v1/trend?project=support&days=3');
    expect(body.days).toEqual([
      { day: '2026-03-08', stt: 0, llm: 0, tts: 0, realtime: 0 },
      { day: '2026-03-09', stt: 0, llm: 5, tts: 0, realtime: 0 },
      { day: '2026-03-10', stt: 0.1, llm: 0.2, tts: 0.3, realtime: 0 },
    ]);
    const all = await getJson('/v1/trend');
    const days = all.body.days as { stt: number; llm: number; tts: number; realtime: number }[];
    expect(days).toHaveLength(30);
    const sum = days.reduce((s, d) => s + d.stt + d.llm + d.tts + d.realtime, 0);
    expect(sum).toBeCloseTo((await gw.reports.costs({ period: 'month' })).totalUsd, 9);
  });

  it('budget events in USD', async () => {
    const { body } = await getJson('/v1/budget/support/events');
    expect(body.events).toEqual([{ time: '2026-03-10T12:01:00.000Z', project: 'support', day: '2026-03-10', kind: 'warning', spentUsd: 0.6, budgetUsd: 1 }]);
  });

  it('refuses unknown projects and bad numbers with the API’s error shape', async () => {
    expect(await getJson('/v1/budget/nope/series')).toMatchObject({ status: 404, body: { error: { code: 'not_found', field: 'project' } } });
    expect(await getJson('/v1/trend?project=nope')).toMatchObject({ status: 404, body: { error: { code: 'not_found', field: 'project' } } });
    expect(await getJson('/v1/trend?days=0')).toMatchObject({ status: 400, body: { error: { code: 'invalid_query', field: 'days' } } });
    expect(await getJson('/v1/budget/support/events?limit=x')).toMatchObject({ status: 400, body: { error: { code: 'invalid_query', field: 'limit' } } });
  });

  it('data routes sit behind the API’s bearer auth', async () => {
    for (const path of ['/v1/trend', '/v1/budget/support/series', '/v1/budget/support/events']) {
      expect((await app.request(path)).status).toBe(401);
      expect((await app.request(path, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await app.request(path, auth)).status).toBe(200);
    }
  });
});

describe('static assets', () => {
  it('serves the built app at / without a token, with a strict CSP', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<script defer src="app.js"></script>');
    const js = await app.request('/app.js');
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await js.text()).length).toBeGreaterThan(50_000); // Chart.js is bundled, nothing comes from a CDN
    expect((await app.request('/app.css')).status).toBe(200);
  });

  it('serves only the built files: never compiled server code or paths outside the folder', async () => {
    for (const path of ['/index.js', '/api.js', '/static.js', '/../package.json', '/%2e%2e/package.json', '/app.js.map']) {
      expect((await app.request(path)).status).toBe(404);
    }
  });

  it('answers with the build command when the assets are missing', async () => {
    const bare = createApp(gw, { extraRoutes: (a) => mountDashboard(a, gw, { assetsDir: join(assets, 'missing') }) });
    const res = await bare.request('/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});
