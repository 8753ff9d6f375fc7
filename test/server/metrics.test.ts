import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Running, row, serve, tempSetup, type TempSetup, yamlConfig } from './helpers.js';

/** The value of one sample line, e.g. `voicegw_requests_total{project="support",...}`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const inner = line.slice(name.length).match(/^\{(.*)\}/)?.[1] ?? '';
    const have = inner ? inner.split(',') : [];
    if (want.every((w) => have.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics', () => {
  let setup: TempSetup;
  let api: Running;
  beforeAll(async () => {
    setup = tempSetup(yamlConfig());
    // a row from before the server started: in the all-time totals, not in the latency histograms
    const { openGateway } = await import('./helpers.js');
    const before = await openGateway(setup.configPath);
    await before.ledger.record(row({ ts: Date.now() - 86_400_000 * 3, costNanos: 1_000_000_000 }));
    await before.close();
    api = await serve(setup.configPath);
  });
  afterAll(async () => {
    await api.close();
    setup.cleanup();
  });

  it('exposes ledger totals, latency/TTFB histograms per provider/model and budget gauges', async () => {
    const now = Date.now();
    await api.gw.ledger.record(row({ ts: now, costNanos: 400_000_000, latencyMs: 800, ttfbMs: 150 }));
    await api.gw.ledger.record(row({ ts: now, costNanos: null, latencyMs: 3000, ttfbMs: 400, status: 'error' }));
    await api.gw.ledger.record(row({ ts: now, project: 'sales', modality: 'stt', provider: 'deepgram', model: 'nova-3', costNanos: 50_000_000, latencyMs: 12_000, ttfbMs: null }));

    const r = await call(api.url, 'GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    const m = r.text;
    const gpt = { project: 'support', provider: 'openai', model: 'gpt-4.1-mini' };
    expect(sample(m, 'voicegw_requests_total', gpt)).toBe(3);
    expect(sample(m, 'voicegw_cost_usd_total', gpt)).toBeCloseTo(1.4, 9);
    expect(sample(m, 'voicegw_unpriced_requests_total', gpt)).toBe(1);
    expect(sample(m, 'voicegw_requests_total', { project: 'sales', provider: 'deepgram', model: 'nova-3' })).toBe(1);

    const perModel = { modality: 'llm', provider: 'openai', model: 'gpt-4.1-mini' };
    expect(sample(m, 'voicegw_request_latency_seconds_count', perModel)).toBe(2);
    expect(sample(m, 'voicegw_request_latency_seconds_sum', perModel)).toBeCloseTo(3.8, 9);
    expect(sample(m, 'voicegw_request_latency_seconds_bucket', { ...perModel, le: '1' })).toBe(1);
    expect(sample(m, 'voicegw_request_ttfb_seconds_count', perModel)).toBe(2);
    expect(sample(m, 'voicegw_request_ttfb_seconds_count', { modality: 'stt', provider: 'deepgram', model: 'nova-3' })).toBeUndefined();
    expect(sample(m, 'voicegw_request_outcomes_total', { ...perModel, status: 'error' })).toBe(1);
    expect(sample(m, 'voicegw_request_outcomes_total', { ...perModel, status: 'success' })).toBe(1);

    expect(sample(m, 'voicegw_budget_limit_usd', { project: 'support' })).toBe(1);
    expect(sample(m, 'voicegw_budget_spent_usd', { project: 'support' })).toBeCloseTo(0.4, 9);
    expect(sample(m, 'voicegw_budget_utilisation_ratio', { project: 'support' })).toBeCloseTo(0.4, 9);
    expect(sample(m, 'voicegw_budget_utilisation_ratio', { project: 'sales' })).toBeUndefined(); // no budget
    expect(sample(m, 'voicegw_projects', { source: 'yaml' })).toBe(2);
    expect(sample(m, 'voicegw_provider_configured', { provider: 'openai', kind: 'cloud' })).toBe(1);
  });

  it('counts each ledger row once across scrapes and picks up new rows', async () => {
    await api.gw.ledger.record(row({ ts: Date.now(), latencyMs: 100 }));
    const first = (await call(api.url, 'GET', '/metrics')).text;
    const second = (await call(api.url, 'GET', '/metrics')).text;
    const perModel = { modality: 'llm', provider: 'openai', model: 'gpt-4.1-mini' };
    expect(sample(first, 'voicegw_request_latency_seconds_count', perModel)).toBe(3);
    expect(sample(second, 'voicegw_request_latency_seconds_count', perModel)).toBe(3);
    expect(sample(second, 'voicegw_requests_total', { project: 'support', provider: 'openai', model: 'gpt-4.1-mini' })).toBe(4);
  });

  it("counts the API's own requests by route pattern, not raw path", async () => {
    await call(api.url, 'GET', '/v1/projects/does-not-exist');
    const m = (await call(api.url, 'GET', '/metrics')).text;
    expect(sample(m, 'voicegw_http_requests_total', { method: 'GET', route: '/v1/projects/:id', status: '404' })).toBe(1);
    expect(m).not.toContain('does-not-exist');
  });
});
