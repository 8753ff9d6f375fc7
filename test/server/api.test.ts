import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Running, row, serve, tempSetup, type TempSetup, yamlConfig } from './helpers.js';

describe('HTTP API (auth off)', () => {
  let setup: TempSetup;
  let api: Running;
  const session = 'sess-1';

  beforeAll(async () => {
    setup = tempSetup(yamlConfig());
    api = await serve(setup.configPath);
    const now = Date.now();
    await api.gw.ledger.record(row({ ts: now - 3000, sessionId: session, modality: 'stt', provider: 'deepgram', model: 'nova-3', inputUnits: 30, outputUnits: 0, costNanos: 2_150_000 }));
    await api.gw.ledger.record(row({ ts: now - 2000, sessionId: session, costNanos: 1_000_000 }));
    await api.gw.ledger.record(row({ ts: now - 1000, sessionId: session, modality: 'tts', provider: 'cartesia', model: 'sonic-3', inputUnits: 120, costNanos: null }));
    await api.gw.ledger.record(row({ ts: now - 500, project: 'sales', costNanos: 3_000_000 }));
    await api.gw.ledger.recordGuardrailEvents([
      { ts: now, project: 'support', sessionId: session, requestId: null, category: 'pii', detector: 'email', action: 'redact', direction: 'in', excerpt: 'mail me at [EMAIL]' },
    ]);
  });
  afterAll(async () => {
    await api.close();
    setup.cleanup();
  });

  it('GET /health is public and says ok', async () => {
    const r = await call(api.url, 'GET', '/health');
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('ok');
    expect(typeof r.json.version).toBe('string');
  });

  it('GET /v1/status lists providers with masked keys only', async () => {
    const r = await call(api.url, 'GET', '/v1/status');
    expect(r.status).toBe(200);
    expect(r.json.ledger.kind).toBe('sqlite');
    expect(r.json.auth.enabled).toBe(false);
    const openai = r.json.providers.find((p: { name: string }) => p.name === 'openai');
    expect(openai).toMatchObject({ kind: 'cloud', configured: true, maskedKey: 'sk-t…1f2b' });
    expect(r.text).not.toContain('sk-test-abcdefghijklmnop1f2b');
  });

  it('GET /v1/projects lists YAML and auto projects with spend and budget status', async () => {
    const r = await call(api.url, 'GET', '/v1/projects');
    expect(r.status).toBe(200);
    const byId = Object.fromEntries(r.json.projects.map((p: { id: string }) => [p.id, p]));
    expect(Object.keys(byId).sort()).toEqual(['default', 'sales', 'support']);
    expect(byId.support).toEqual({
      id: 'support',
      name: 'Support',
      description: 'Inbound line',
      tags: ['prod', 'voice'],
      daily_budget: 1,
      budget_action: 'block',
      source: 'yaml',
      read_only: true,
      spent_today: 0.00315,
      spend_partial: false,
      budget_status: 'ok',
      // the TTS row has no known price: counted here, never in spent_today
      allow_unpriced: false,
      unpriced_today: 1,
    });
    expect(byId.sales).toMatchObject({ source: 'yaml', spent_today: 0.003, budget_status: 'ok' });
    expect(byId.default).toMatchObject({ source: 'auto', read_only: true });
  });

  it('GET /v1/projects/:id returns detail with budget and today by modality; 404 when unknown', async () => {
    const r = await call(api.url, 'GET', '/v1/projects/support');
    expect(r.status).toBe(200);
    expect(r.json.budget).toMatchObject({ project: 'support', budgetUsd: 1, spentUsd: 0.00315, status: 'ok', action: 'block' });
    expect(r.json.today.requests).toBe(3);
    expect(r.json.today.unpriced).toBe(1);
    expect(r.json).toMatchObject({ unpriced_today: 1, budget: { unpricedRequests: 1 } });
    expect((await call(api.url, 'GET', '/v1/budget/support')).json).toMatchObject({ spentUsd: 0.00315, unpricedRequests: 1 });
    expect(r.json.today.byModality.map((b: { key: string }) => b.key)).toEqual(['stt', 'llm', 'tts', 'realtime']);
    const stt = r.json.today.byModality.find((b: { key: string }) => b.key === 'stt');
    expect(stt.costUsd).toBeCloseTo(0.00215, 9);
    const missing = await call(api.url, 'GET', '/v1/projects/nope');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toEqual({ code: 'not_found', message: expect.stringMatching(/^Unknown project 'nope'\. Defined projects: support, sales/), field: 'project' });
  });

  it('an unknown project in any report filter is a 404 naming the defined projects, never an empty $0 report', async () => {
    for (const path of ['/v1/costs?project=nope', '/v1/logs?project=nope', '/v1/sessions?project=nope', '/v1/budget/nope']) {
      const r = await call(api.url, 'GET', path);
      expect(r.status, path).toBe(404);
      expect(r.json.error.message, path).toMatch(/Unknown project 'nope'\. Defined projects: support, sales/);
    }
  });

  it('GET /v1/costs returns the Gateway.costs shape and validates period/from/to', async () => {
    const all = await call(api.url, 'GET', '/v1/costs?period=today');
    expect(all.status).toBe(200);
    expect(all.json).toMatchObject({ project: null, requests: 4, unpriced: 1 });
    expect(all.json.totalUsd).toBeCloseTo(0.00615, 9);
    expect(all.json.byProject.map((b: { key: string }) => b.key).sort()).toEqual(['sales', 'support']);
    const one = await call(api.url, 'GET', '/v1/costs?project=sales&period=week');
    expect(one.json).toMatchObject({ project: 'sales', requests: 1, totalUsd: 0.003 });
    const today = new Date().toISOString().slice(0, 10);
    const ranged = await call(api.url, 'GET', `/v1/costs?from=${today}&to=${today}`);
    expect(ranged.json.requests).toBe(4);
    const past = await call(api.url, 'GET', '/v1/costs?from=2020-01-01&to=2020-01-31');
    expect(past.json.requests).toBe(0);

    for (const [query, field] of [
      ['period=yesterday', 'period'],
      ['period=today&from=2020-01-01', 'period'],
      ['from=2020-02-30', 'from'],
      ['from=2020-03-01&to=2020-02-01', 'to'],
      ['from=next tuesday', 'from'],
      ['bogus=1', 'bogus'],
      ['project=', 'project'],
    ]) {
      const bad = await call(api.url, 'GET', `/v1/costs?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.json.error.field, query).toBe(field);
      expect(bad.json.error.code, query).toBe('invalid_query');
    }
  });

  it('GET /v1/logs filters by project and modality, limits, validates', async () => {
    const r = await call(api.url, 'GET', '/v1/logs?project=support&limit=2');
    expect(r.status).toBe(200);
    expect(r.json.logs).toHaveLength(2);
    expect(r.json.logs[0].modality).toBe('tts'); // newest first
    expect(r.json.logs[0].costUsd).toBeNull(); // unknown price stays null
    const stt = await call(api.url, 'GET', '/v1/logs?modality=stt');
    expect(stt.json.logs.map((l: { provider: string }) => l.provider)).toEqual(['deepgram']);
    for (const q of ['limit=0', 'limit=1001', 'limit=abc', 'limit=1.5', 'modality=video', 'limit=1&limit=2']) {
      const bad = await call(api.url, 'GET', `/v1/logs?${q}`);
      expect(bad.status, q).toBe(400);
    }
  });

  it('GET /v1/sessions/:id returns the session cost and its rows; 404 when unknown', async () => {
    const r = await call(api.url, 'GET', `/v1/sessions/${session}`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: session, project: 'support', requests: 3, unpriced: 1 });
    expect(r.json.logs).toHaveLength(3);
    const list = await call(api.url, 'GET', '/v1/sessions?project=support');
    expect(list.json.sessions.map((s: { id: string }) => s.id)).toEqual([session]);
    expect((await call(api.url, 'GET', '/v1/sessions/none')).status).toBe(404);
  });

  it('GET /v1/budget/:project gives the budget status; 404 when unknown', async () => {
    const r = await call(api.url, 'GET', '/v1/budget/support');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ project: 'support', budgetUsd: 1, status: 'ok', action: 'block' });
    expect(r.json.remainingUsd).toBeCloseTo(1 - 0.00315, 9);
    expect((await call(api.url, 'GET', '/v1/budget/ghost')).status).toBe(404);
  });

  it('GET /v1/guardrails/events returns redacted events, filterable by project', async () => {
    const r = await call(api.url, 'GET', '/v1/guardrails/events?project=support');
    expect(r.status).toBe(200);
    expect(r.json.events).toHaveLength(1);
    expect(r.json.events[0]).toMatchObject({ category: 'pii', excerpt: 'mail me at [EMAIL]' });
    const none = await call(api.url, 'GET', '/v1/guardrails/events?project=sales');
    expect(none.json.events).toEqual([]);
  });

  it('answers unknown routes with 404 and wrong methods with 405, both as JSON errors', async () => {
    const r = await call(api.url, 'GET', '/v1/nothing');
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('not_found');
    const m = await call(api.url, 'PUT', '/v1/projects');
    expect(m.status).toBe(405);
    expect(m.headers.get('allow')).toContain('POST');
    expect(m.json.error.code).toBe('method_not_allowed');
  });
});

describe('runtime projects: CRUD, YAML precedence, persistence, audit', () => {
  let setup: TempSetup;
  beforeAll(() => {
    setup = tempSetup(yamlConfig());
  });
  afterAll(() => setup.cleanup());

  it('creates, edits and deletes runtime projects; YAML projects are read-only (409)', async () => {
    const api = await serve(setup.configPath);
    try {
      const created = await call(api.url, 'POST', '/v1/projects', { body: { id: 'kiosk', name: 'Kiosk', daily_budget: 2.5, budget_action: 'throttle', tags: ['edge'] } });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe('/v1/projects/kiosk');
      expect(created.json).toMatchObject({ id: 'kiosk', source: 'runtime', read_only: false, daily_budget: 2.5, budget_action: 'throttle', tags: ['edge'], spent_today: 0 });

      const dup = await call(api.url, 'POST', '/v1/projects', { body: { id: 'kiosk', name: 'Again' } });
      expect(dup.status).toBe(409);
      expect(dup.json.error.code).toBe('conflict');
      const shadow = await call(api.url, 'POST', '/v1/projects', { body: { id: 'support', name: 'Shadow' } });
      expect(shadow.status).toBe(409);

      const patched = await call(api.url, 'PATCH', '/v1/projects/kiosk', { body: { daily_budget: 4, description: 'lobby' } });
      expect(patched.status).toBe(200);
      expect(patched.json).toMatchObject({ daily_budget: 4, description: 'lobby', name: 'Kiosk' });

      for (const [method, body] of [['PATCH', { name: 'X' }], ['DELETE', undefined]] as const) {
        const ro = await call(api.url, method, '/v1/projects/support', { body });
        expect(ro.status, method).toBe(409);
        expect(ro.json.error.code).toBe('read_only');
        expect(ro.json.error.message).toMatch(/voicegw\.yaml/);
      }
      expect((await call(api.url, 'DELETE', '/v1/projects/default')).status).toBe(409);
      expect((await call(api.url, 'PATCH', '/v1/projects/ghost', { body: { name: 'x' } })).status).toBe(404);
      expect((await call(api.url, 'DELETE', '/v1/projects/ghost')).status).toBe(404);

      const audit = await call(api.url, 'GET', '/v1/audit');
      expect(audit.json.events.map((e: { action: string; actor: string; source: string }) => `${e.action}:${e.actor}:${e.source}`)).toEqual([
        'project.update:anonymous:api',
        'project.create:anonymous:api',
      ]);
    } finally {
      await api.close();
    }
  });

  it('validates bodies: bad JSON, wrong types, unknown fields, wrong content type', async () => {
    const api = await serve(setup.configPath);
    try {
      const cases: [string, { body?: unknown; raw?: string; headers?: Record<string, string> }, number, string, string | null][] = [
        ['bad json', { raw: '{"id":', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json', null],
        ['array', { body: [1, 2] }, 400, 'invalid_body', null],
        ['no id', { body: { name: 'x' } }, 400, 'invalid_body', 'id'],
        ['bad id', { body: { id: '../etc', name: 'x' } }, 400, 'invalid_body', 'id'],
        ['budget type', { body: { id: 'a1', name: 'x', daily_budget: '5' } }, 400, 'invalid_body', 'daily_budget'],
        ['negative', { body: { id: 'a1', name: 'x', daily_budget: -1 } }, 400, 'invalid_body', 'daily_budget'],
        ['huge', { body: { id: 'a1', name: 'x', daily_budget: 1e300 } }, 400, 'invalid_body', 'daily_budget'],
        ['action', { body: { id: 'a1', name: 'x', budget_action: 'explode' } }, 400, 'invalid_body', 'budget_action'],
        ['unknown', { body: { id: 'a1', name: 'x', api_key: 'sk-1' } }, 400, 'invalid_body', 'api_key'],
        ['text', { raw: 'id=a1', headers: { 'content-type': 'text/plain' } }, 415, 'unsupported_media_type', null],
        ['too big', { body: { id: 'a1', name: 'x', description: 'x'.repeat(70_000) } }, 413, 'payload_too_large', null],
      ];
      for (const [label, opts, status, code, field] of cases) {
        const r = await call(api.url, 'POST', '/v1/projects', opts);
        expect(r.status, label).toBe(status);
        expect(r.json.error.code, label).toBe(code);
        expect(r.json.error.field, label).toBe(field);
      }
      const empty = await call(api.url, 'PATCH', '/v1/projects/kiosk', { body: { tags: 'x' } });
      expect(empty.status).toBe(400);
      expect(empty.json.error.field).toBe('tags');
    } finally {
      await api.close();
    }
  });

  it('runtime projects persist across restarts; a YAML project with the same id wins and becomes read-only', async () => {
    let api = await serve(setup.configPath);
    let list = await call(api.url, 'GET', '/v1/projects');
    expect(list.json.projects.find((p: { id: string }) => p.id === 'kiosk')).toMatchObject({ source: 'runtime', daily_budget: 4 });
    await api.close();

    writeFileSync(setup.configPath, yamlConfig({ extraProjects: '  kiosk:\n    name: Kiosk from YAML\n    daily_budget: 9\n' }));
    api = await serve(setup.configPath);
    try {
      list = await call(api.url, 'GET', '/v1/projects');
      const kiosk = list.json.projects.find((p: { id: string }) => p.id === 'kiosk');
      expect(kiosk).toMatchObject({ source: 'yaml', name: 'Kiosk from YAML', daily_budget: 9, read_only: true });
      expect(list.json.projects.filter((p: { id: string }) => p.id === 'kiosk')).toHaveLength(1);
      expect((await call(api.url, 'DELETE', '/v1/projects/kiosk')).status).toBe(409);
    } finally {
      await api.close();
    }

    writeFileSync(setup.configPath, yamlConfig());
    api = await serve(setup.configPath);
    try {
      // the stored runtime row was never touched: it is back once YAML no longer defines the id
      const kiosk = await call(api.url, 'GET', '/v1/projects/kiosk');
      expect(kiosk.json).toMatchObject({ source: 'runtime', daily_budget: 4 });
      const del = await call(api.url, 'DELETE', '/v1/projects/kiosk');
      expect(del.status).toBe(200);
      expect(del.json).toEqual({ deleted: 'kiosk' });
      expect((await call(api.url, 'GET', '/v1/projects/kiosk')).status).toBe(404);
    } finally {
      await api.close();
    }
  });
});
