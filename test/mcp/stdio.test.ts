import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Gateway } from '../../src/gateway.js';
import { call, connectStdio, makeWorkspace, row, seedLedger, structured, textOf, type StdioSession, type Workspace } from './helpers.js';

const TOOLS = [
  'clear_guardrails',
  'create_project',
  'delete_project',
  'get_budget_status',
  'get_costs',
  'get_guardrail_events',
  'get_guardrails',
  'get_logs',
  'get_project',
  'get_session',
  'list_models',
  'list_projects',
  'list_providers',
  'set_guardrails',
  'test_provider',
  'update_project',
];

let ws: Workspace;
let gw: Gateway;
let s: StdioSession;

beforeAll(async () => {
  ws = makeWorkspace();
  gw = await seedLedger(ws);
  s = await connectStdio(ws);
});

afterAll(async () => {
  await s?.close();
  await gw?.close();
});

describe('voicegw mcp over stdio: discovery', () => {
  it('lists every tool with input and output schemas, and the config resource', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    for (const t of tools) {
      expect(t.description, t.name).toBeTruthy();
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type, t.name).toBe('object');
    }
    const create = tools.find((t) => t.name === 'create_project')!;
    expect(create.inputSchema.required).toEqual(['id', 'name']);
    expect(tools.find((t) => t.name === 'delete_project')!.annotations?.destructiveHint).toBe(true);
    const { resources } = await s.client.listResources();
    expect(resources.map((r) => r.uri)).toContain('voicegw://config');
    expect(s.client.getServerVersion()?.name).toBe('voicegateway');
  });
});

describe('read tools agree with Gateway', () => {
  it('list_projects', async () => {
    const r = structured<{ projects: { id: string; source: string; readOnly: boolean }[]; count: number }>(await call(s.client, 'list_projects'));
    expect(r.projects.map((p) => [p.id, p.source]).sort()).toEqual(gw.projects().map((p) => [p.id, p.source]).sort());
    expect(r.projects.find((p) => p.id === 'support')!.readOnly).toBe(true);
    const prod = structured<{ projects: { id: string }[] }>(await call(s.client, 'list_projects', { tag: 'prod' }));
    expect(prod.projects.map((p) => p.id)).toEqual(['support']);
  });

  it('get_project: settings, masked provider override, today\'s budget', async () => {
    const res = await call(s.client, 'get_project', { id: 'support' });
    const r = structured<{ project: { dailyBudgetUsd: number; budgetAction: string }; budget: { spentUsd: number; budgetUsd: number; status: string }; config: { providers: { openai: { api_key: string } }; guardrails: unknown } }>(res);
    const status = await gw.budgetStatus('support');
    expect(r.project).toMatchObject({ dailyBudgetUsd: 10, budgetAction: 'block' });
    expect(r.budget).toMatchObject({ spentUsd: status.spentUsd, budgetUsd: 10, status: status.status });
    expect(r.budget.spentUsd).toBeCloseTo(0.00215 + 0.0123 + 0.0045, 9);
    expect(r.config.providers.openai.api_key).toBe('sk-p…6777');
    expect(r.config.guardrails).toMatchObject({ enabled: true });
    expect(textOf(res)).toContain('support');
  });

  it('get_project: an unknown id is a tool error naming the known ones', async () => {
    for (const [tool, args] of [['get_project', { id: 'nope' }], ['get_costs', { project: 'nope' }], ['get_logs', { project: 'nope' }], ['get_budget_status', { project: 'nope' }]] as const) {
      const res = await call(s.client, tool, args);
      expect(res.isError, tool).toBe(true);
      expect(textOf(res)).toMatch(/Unknown project 'nope'\. Defined projects: .*support/);
    }
  });

  it('get_costs: totals and groups as Reports computes them', async () => {
    for (const [period, group_by, key] of [
      ['today', 'provider', 'byProvider'],
      ['all', 'model', 'byModel'],
      ['week', 'project', 'byProject'],
    ] as const) {
      const r = structured<{ totalUsd: number; requests: number; unpriced: number; groups: unknown[] }>(await call(s.client, 'get_costs', { period, group_by }));
      const want = await gw.reports.costs({ period });
      expect(r.totalUsd).toBe(want.totalUsd);
      expect(r.requests).toBe(6);
      expect(r.unpriced).toBe(1);
      expect(r.groups).toEqual(want[key]);
    }
    const one = structured<{ totalUsd: number; requests: number; project: string }>(await call(s.client, 'get_costs', { project: 'support' }));
    expect(one).toMatchObject({ project: 'support', requests: 3 });
    expect(one.totalUsd).toBe((await gw.reports.costs({ project: 'support' })).totalUsd);
    // a project that is no longer defined is unknown like any other; its history stays in the totals
    const gone = await call(s.client, 'get_costs', { project: 'gone', period: 'all' });
    expect(gone.isError).toBe(true);
    expect(textOf(gone)).toMatch(/Unknown project 'gone'\. Defined projects: support, dev, default/);
    const byProject = structured<{ groups: { key: string; requests: number }[] }>(await call(s.client, 'get_costs', { period: 'all', group_by: 'project' }));
    expect(byProject.groups.find((g) => g.key === 'gone')?.requests).toBe(1);
  });

  it('get_costs: an explicit window, and half a window is refused', async () => {
    const [stt] = await gw.reports.logs({ modality: 'stt' });
    const from = new Date(Date.parse(stt!.time) + 1).toISOString(); // every seeded row but the first
    const to = new Date(Date.now() + 1000).toISOString();
    const r = structured<{ requests: number; totalUsd: number }>(await call(s.client, 'get_costs', { from, to, group_by: 'modality' }));
    const want = await gw.reports.costs({ period: { from: Date.parse(from), to: Date.parse(to) } });
    expect(r.requests).toBe(want.requests);
    expect(r.requests).toBe(5);
    const half = await call(s.client, 'get_costs', { from });
    expect(half.isError).toBe(true);
    expect(textOf(half)).toMatch(/both from and to/);
  });

  it('get_budget_status: every project, or one', async () => {
    const all = structured<{ statuses: { project: string; spentUsd: number; status: string }[] }>(await call(s.client, 'get_budget_status'));
    expect(all.statuses.map((x) => x.project).sort()).toEqual(gw.projects().map((p) => p.id).sort());
    for (const st of all.statuses) expect(st.spentUsd).toBe((await gw.budgetStatus(st.project)).spentUsd);
    const one = structured<{ statuses: { project: string }[] }>(await call(s.client, 'get_budget_status', { project: 'dev' }));
    expect(one.statuses.map((x) => x.project)).toEqual(['dev']);
  });

  it('get_logs: newest first, filters, errors shown', async () => {
    const r = structured<{ entries: { id: string; status: string; error: string | null; costUsd: number | null }[]; count: number }>(await call(s.client, 'get_logs', { limit: 50 }));
    expect(r.entries.map((e) => e.id)).toEqual((await gw.reports.logs({ limit: 50 })).map((e) => e.id));
    expect(r.count).toBe(6);
    expect(r.entries.find((e) => e.status === 'error')!.error).toContain('503');
    expect(r.entries.filter((e) => e.costUsd === null)).toHaveLength(1);
    const stt = structured<{ entries: { modality: string }[] }>(await call(s.client, 'get_logs', { modality: 'stt' }));
    expect(stt.entries.map((e) => e.modality)).toEqual(['stt']);
    const two = structured<{ count: number }>(await call(s.client, 'get_logs', { project: 'support', limit: 2 }));
    expect(two.count).toBe(2);
  });

  it('get_session: cost split and its requests', async () => {
    const res = await call(s.client, 'get_session', { id: 'sess-1' });
    const r = structured<{ session: { totalUsd: number; sttUsd: number; requests: number }; requests: { sessionId: string }[] }>(res);
    const want = (await gw.reports.session('sess-1'))!;
    expect(r.session).toMatchObject({ totalUsd: want.total, sttUsd: want.stt, requests: 3 });
    expect(r.requests).toHaveLength(3);
    expect(r.requests.every((x) => x.sessionId === 'sess-1')).toBe(true);
    const missing = await call(s.client, 'get_session', { id: 'no-such-session' });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/No session 'no-such-session'/);
  });

  it('list_providers: the gateway summary, keys masked', async () => {
    const r = structured<{ providers: { name: string; maskedKey: string | null; configured: boolean }[] }>(await call(s.client, 'list_providers'));
    expect(r.providers).toEqual(gw.providerSummary());
    expect(r.providers.find((p) => p.name === 'openai')!.maskedKey).toBe('sk-t…6789');
    expect(r.providers.find((p) => p.name === 'cartesia')!).toMatchObject({ configured: true, maskedKey: 'cart…3344' });
    const some = structured<{ providers: { configured: boolean }[] }>(await call(s.client, 'list_providers', { configured_only: true }));
    expect(some.providers.every((p) => p.configured)).toBe(true);
  });

  it('list_models: the price book', async () => {
    const r = structured<{ models: { model: string; modality: string; source: string; asOf: string }[]; count: number }>(await call(s.client, 'list_models'));
    expect(r.count).toBe(gw.prices.list().length);
    expect(r.models.map((m) => `${m.modality}:${m.model}`)).toEqual(gw.prices.list().map((e) => `${e.modality}:${e.model}`));
    const stt = structured<{ models: { modality: string; model: string }[] }>(await call(s.client, 'list_models', { modality: 'stt', provider: 'deepgram' }));
    expect(stt.models.length).toBeGreaterThan(0);
    expect(stt.models.every((m) => m.modality === 'stt' && m.model.startsWith('deepgram/'))).toBe(true);
    expect(stt.models.map((m) => m.model)).toContain('deepgram/nova-3');
  });

  it('get_guardrail_events: findings without their values', async () => {
    const r = structured<{ events: { category: string; excerpt: string }[]; count: number }>(await call(s.client, 'get_guardrail_events', { project: 'support' }));
    expect(r.count).toBe(2);
    expect(r.events.map((e) => e.category).sort()).toEqual(['pii', 'prompt_injection']);
    expect(r.events.find((e) => e.category === 'pii')!.excerpt).toBe('write to [EMAIL] please');
    const none = structured<{ count: number }>(await call(s.client, 'get_guardrail_events', { project: 'dev' }));
    expect(none.count).toBe(0);
  });
});

describe('write tools: validated, persisted, audit-logged with source mcp', () => {
  it('create → update → delete preview → delete', async () => {
    const created = structured<{ project: { id: string; source: string; dailyBudgetUsd: number } }>(
      await call(s.client, 'create_project', { id: 'mcp-made', name: 'Made by MCP', daily_budget: 2.5, budget_action: 'throttle', tags: ['x'] }),
    );
    expect(created.project).toMatchObject({ id: 'mcp-made', source: 'runtime', dailyBudgetUsd: 2.5 });
    await gw.reloadProjects();
    expect(gw.project('mcp-made')).toMatchObject({ name: 'Made by MCP', budgetAction: 'throttle', source: 'runtime' });

    const dup = await call(s.client, 'create_project', { id: 'mcp-made', name: 'again' });
    expect(dup.isError).toBe(true);
    expect(textOf(dup)).toMatch(/^conflict: .*already exists/);

    const updated = structured<{ project: { dailyBudgetUsd: number; name: string }; changed: string[] }>(await call(s.client, 'update_project', { id: 'mcp-made', daily_budget: 4 }));
    expect(updated).toMatchObject({ project: { dailyBudgetUsd: 4, name: 'Made by MCP' }, changed: ['daily_budget'] });
    await gw.reloadProjects();
    // fields not named keep their values
    expect(gw.project('mcp-made')).toMatchObject({ dailyBudgetUsd: 4, budgetAction: 'throttle', tags: ['x'], name: 'Made by MCP' });
    await call(s.client, 'update_project', { id: 'mcp-made', description: 'now described' });
    await gw.reloadProjects();
    expect(gw.project('mcp-made')).toMatchObject({ dailyBudgetUsd: 4, budgetAction: 'throttle', description: 'now described' });

    const nothing = await call(s.client, 'update_project', { id: 'mcp-made' });
    expect(nothing.isError).toBe(true);
    expect(textOf(nothing)).toMatch(/Nothing to change/);

    await gw.ledger.record(row({ project: 'mcp-made', modality: 'llm', provider: 'openai', model: 'gpt-4.1-mini' }, 0.25));
    const preview = await call(s.client, 'delete_project', { id: 'mcp-made' });
    const p = structured<{ deleted: boolean; todaySpendUsd: number; requestsToday: number; effects: string[] }>(preview);
    expect(p).toMatchObject({ deleted: false, todaySpendUsd: 0.25, requestsToday: 1 });
    expect(textOf(preview)).toMatch(/Preview only, nothing deleted.*confirm: true/);
    await gw.reloadProjects();
    expect(gw.project('mcp-made')).toBeDefined();

    const done = structured<{ deleted: boolean }>(await call(s.client, 'delete_project', { id: 'mcp-made', confirm: true }));
    expect(done.deleted).toBe(true);
    await gw.reloadProjects();
    expect(gw.project('mcp-made')).toBeUndefined();

    const audit = (await gw.ledger.auditLog({ limit: 20 })).filter((a) => a.target === 'mcp-made');
    expect(audit.map((a) => a.action).sort()).toEqual(['project.create', 'project.delete', 'project.update', 'project.update']);
    expect(audit.every((a) => a.source === 'mcp' && a.actor === 'mcp')).toBe(true);
  });

  it('YAML and built-in projects are refused, even for a preview', async () => {
    for (const [tool, args] of [
      ['delete_project', { id: 'support' }],
      ['delete_project', { id: 'support', confirm: true }],
      ['update_project', { id: 'dev', daily_budget: 1 }],
      ['delete_project', { id: 'default' }],
    ] as const) {
      const r = await call(s.client, tool, args);
      expect(r.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      expect(textOf(r)).toMatch(/^read_only: /);
    }
    await gw.reloadProjects();
    expect(gw.project('support')).toBeDefined();
    expect(gw.project('dev')!.dailyBudgetUsd).toBe(0);
  });

  it('a YAML id cannot be created at run time', async () => {
    const r = await call(s.client, 'create_project', { id: 'dev', name: 'shadow' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/conflict/);
  });
});

describe('invalid arguments are MCP errors, never crashes', () => {
  it.each([
    ['create_project', { id: 'Bad Id!', name: 'x' }, /id/],
    ['create_project', { id: 'ok-id' }, /name/],
    ['create_project', { id: 'ok-id', name: 'x', daily_budget: -1 }, /daily_budget/],
    ['create_project', { id: 'ok-id', name: 'x', surprise: true }, /surprise|Unrecognized/i],
    ['get_logs', { limit: 0 }, /limit/],
    ['get_logs', { modality: 'video' }, /modality/],
    ['get_costs', { period: 'decade' }, /period/],
    ['get_costs', { from: 'yesterday-ish', to: 'now' }, /ISO 8601/],
    ['delete_project', { id: 'x', confirm: 'yes' }, /confirm/],
    ['get_project', {}, /id/],
    ['no_such_tool', {}, /not found/],
  ])('%s %j', async (tool, args, message) => {
    const r = await call(s.client, tool, args);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(message);
  });

  it('the server still answers afterwards, and stdout carried only protocol', async () => {
    const r = structured<{ count: number }>(await call(s.client, 'list_projects'));
    expect(r.count).toBeGreaterThan(0);
    expect(s.stderr()).toContain('voicegateway MCP server on stdio');
  });
});

describe('resource voicegw://config', () => {
  it('is the effective config as YAML with keys masked and runtime projects merged', async () => {
    await call(s.client, 'create_project', { id: 'rt-visible', name: 'Runtime one' });
    const { contents } = await s.client.readResource({ uri: 'voicegw://config' });
    const text = String((contents[0] as { text: string }).text);
    expect(contents[0]!.mimeType).toBe('application/yaml');
    const doc = parse(text) as { source: string; providers: { openai: { api_key: string; base_url: string } }; runtime_projects: Record<string, unknown>; auth: { api_keys: { token: string }[] }; cost_tracking: Record<string, string> };
    expect(doc.source).toBe(ws.config);
    expect(doc.providers.openai).toMatchObject({ api_key: 'sk-t…6789', base_url: 'http://127.0.0.1:9/v1' });
    expect(doc.auth.api_keys[0]!.token).toBe('vgw-…n-42');
    expect(doc.cost_tracking.database_url_note).toBe('postgres://vgw:****@127.0.0.1:5432/unused');
    expect(Object.keys(doc.runtime_projects)).toContain('rt-visible');
  });
});
