import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Running, serve, tempSetup, type TempSetup, TOKENS, yamlConfig } from './helpers.js';

const YAML_GUARDED = `  guarded:
    name: Guarded
    guardrails: { enabled: true, categories: { pii: redact } }
`;

describe('GET/PUT/DELETE /v1/projects/:id/guardrails', () => {
  let setup: TempSetup;
  let api: Running;
  const as = (token: string) => ({
    get: (path: string) => call(api.url, 'GET', path, { token }),
    put: (path: string, body: unknown) => call(api.url, 'PUT', path, { token, body }),
    del: (path: string) => call(api.url, 'DELETE', path, { token }),
  });

  beforeAll(async () => {
    setup = tempSetup(yamlConfig({ withAuth: true, extraProjects: YAML_GUARDED, extra: 'guardrails:\n  categories: { prompt_injection: { action: alert, classifier: true } }\n' }));
    api = await serve(setup.configPath);
    const created = await call(api.url, 'POST', '/v1/projects', { token: TOKENS.write, body: { id: 'ops', name: 'Ops' } });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await api?.close();
    setup?.cleanup();
  });

  it('GET: every category with its action and where it is set; YAML projects say they are read-only', async () => {
    const r = await as(TOKENS.read).get('/v1/projects/guarded/guardrails');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ project: 'guarded', source: 'yaml', read_only: true, enabled: true, regions: ['US'], stream_holdback: 'word', injection_classifier: true });
    expect(r.json.categories).toEqual({
      pii: { action: 'redact', from: 'project' },
      financial: { action: 'off', from: 'none' },
      medical: { action: 'off', from: 'none' },
      prompt_injection: { action: 'alert', from: 'defaults' },
      off_topic: { action: 'off', from: 'none' },
    });
    const ops = await as(TOKENS.read).get('/v1/projects/ops/guardrails');
    expect(ops.json).toMatchObject({ project: 'ops', source: 'runtime', read_only: false, enabled: false });
  });

  it('PUT sets and clears actions on a runtime project, audited under the token name with source api; DELETE clears them all', async () => {
    const w = as(TOKENS.write);
    const put = await w.put('/v1/projects/ops/guardrails', { categories: { pii: 'block', financial: 'redact' } });
    expect(put.status, put.text).toBe(200);
    expect(put.json.enabled).toBe(true);
    expect(put.json.categories.pii).toEqual({ action: 'block', from: 'project' });
    expect(put.json.categories.prompt_injection).toEqual({ action: 'alert', from: 'defaults' });
    expect(put.json.injection_classifier).toBe(true); // the top-level rule, classifier included
    // null: back to the top-level default; categories not named keep theirs
    const clearOne = await w.put('/v1/projects/ops/guardrails', { categories: { pii: null } });
    expect(clearOne.json.categories.pii).toEqual({ action: 'off', from: 'none' });
    expect(clearOne.json.categories.financial).toEqual({ action: 'redact', from: 'project' });
    expect((await as(TOKENS.read).get('/v1/projects/ops/guardrails')).json.categories.financial.action).toBe('redact');
    const off = await w.put('/v1/projects/ops/guardrails', { enabled: false });
    expect(off.json.enabled).toBe(false);
    const cleared = await w.del('/v1/projects/ops/guardrails');
    expect(cleared.status).toBe(200);
    expect(cleared.json.categories.financial).toEqual({ action: 'off', from: 'none' });

    const audit = await as(TOKENS.admin).get('/v1/audit');
    const mine = (audit.json.events as { action: string; target: string; actor: string; source: string; detail: string }[]).filter((e) => e.target === 'ops' && e.action.startsWith('project.guardrails'));
    expect(mine.map((e) => `${e.action}:${e.actor}:${e.source}`)).toEqual([
      'project.guardrails.clear:ops-bot:api',
      'project.guardrails:ops-bot:api',
      'project.guardrails:ops-bot:api',
      'project.guardrails:ops-bot:api',
    ]);
    expect(JSON.parse(mine.at(-1)!.detail)).toEqual({ categories: { pii: 'block', financial: 'redact' } });
  });

  it('refuses: unknown project 404, YAML project 409, the built-in default 409, a read token 403', async () => {
    const w = as(TOKENS.write);
    const unknown = await w.put('/v1/projects/nope/guardrails', { categories: { pii: 'block' } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toContain("Unknown project 'nope'. Defined projects: guarded, support, sales, ops, default");
    expect((await as(TOKENS.read).get('/v1/projects/nope/guardrails')).status).toBe(404);
    const yaml = await w.put('/v1/projects/guarded/guardrails', { categories: { pii: 'block' } });
    expect(yaml.status).toBe(409);
    expect(yaml.json.error).toMatchObject({ code: 'read_only', field: 'id' });
    expect(yaml.json.error.message).toContain('edit projects.guarded.guardrails in voicegw.yaml');
    expect((await w.del('/v1/projects/guarded/guardrails')).status).toBe(409);
    expect((await w.put('/v1/projects/default/guardrails', { categories: { pii: 'block' } })).status).toBe(409);
    expect((await as(TOKENS.read).put('/v1/projects/ops/guardrails', { categories: { pii: 'block' } })).status).toBe(403);
  });

  it('validates the body: each error names the JSON field; nothing is stored', async () => {
    const w = as(TOKENS.write);
    const cases: [unknown, string, RegExp][] = [
      [{ categories: { pci: 'block' } }, 'categories.pci', /unknown field/],
      [{ categories: { pii: 'deny' } }, 'categories.pii', /redact|block|alert|off/],
      [{ categories: 'pii' }, 'categories', /object/],
      [{ enabled: 'yes' }, 'enabled', /boolean/],
      [{ mode: 'strict' }, 'mode', /unknown field/],
      [{}, 'categories', /at least one category/],
      [{ categories: { off_topic: 'block' } }, 'categories.off_topic', /no topic is set/],
    ];
    for (const [body, field, message] of cases) {
      const r = await w.put('/v1/projects/ops/guardrails', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.field, JSON.stringify(body)).toBe(field);
      expect(r.json.error.message, JSON.stringify(body)).toMatch(message);
    }
    const raw = await call(api.url, 'PUT', '/v1/projects/ops/guardrails', { token: TOKENS.write, raw: '{"categories":', headers: { 'content-type': 'application/json' } });
    expect(raw.status).toBe(400);
    const text = await call(api.url, 'PUT', '/v1/projects/ops/guardrails', { token: TOKENS.write, raw: 'pii=block' });
    expect(text.status).toBe(415);
    const after = await as(TOKENS.read).get('/v1/projects/ops/guardrails');
    expect(Object.values(after.json.categories as Record<string, { from: string }>).filter((c) => c.from === 'project')).toEqual([]);
  });

  it('POST/PATCH of a project refuse guardrails no session could use; with a topic, off_topic can be set', async () => {
    const w = as(TOKENS.write);
    const patch = await call(api.url, 'PATCH', '/v1/projects/ops', { token: TOKENS.write, body: { guardrails: { enabled: true, categories: { off_topic: 'block' } } } });
    expect(patch.status).toBe(400);
    expect(patch.json.error).toMatchObject({ code: 'invalid', field: 'guardrails.topic' });
    const post = await call(api.url, 'POST', '/v1/projects', { token: TOKENS.write, body: { id: 'bad-policy', name: 'Bad', guardrails: { enabled: true, categories: { off_topic: 'alert' } } } });
    expect(post.status).toBe(400);
    expect((await as(TOKENS.read).get('/v1/projects/bad-policy/guardrails')).status).toBe(404);

    const topic = await call(api.url, 'PATCH', '/v1/projects/ops', { token: TOKENS.write, body: { guardrails: { topic: 'banking support' } } });
    expect(topic.status, topic.text).toBe(200);
    const put = await w.put('/v1/projects/ops/guardrails', { categories: { off_topic: 'alert' } });
    expect(put.status, put.text).toBe(200);
    expect(put.json).toMatchObject({ enabled: true, topic: 'banking support', categories: { off_topic: { action: 'alert', from: 'project' } } });
  });
});

