import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogSink } from '../../src/log.js';
import { call, type Running, serve, tempSetup, type TempSetup, TOKENS, yamlConfig } from './helpers.js';

/** Every route the API serves (dashboard routes are mounted by the CLI and tested there). */
const READ_ROUTES = [
  '/v1/status',
  '/v1/projects',
  '/v1/projects/support',
  '/v1/costs',
  '/v1/logs',
  '/v1/sessions',
  '/v1/sessions/s1',
  '/v1/budget/support',
  '/v1/guardrails/events',
  '/v1/projects/support/guardrails',
  '/metrics',
];
const WRITE_ROUTES: [string, string, unknown][] = [
  ['POST', '/v1/projects', { id: 'w1', name: 'W' }],
  ['PATCH', '/v1/projects/w1', { name: 'W2' }],
  ['DELETE', '/v1/projects/w1', undefined],
  ['PUT', '/v1/projects/w1/guardrails', { categories: { pii: 'block' } }],
  ['DELETE', '/v1/projects/w1/guardrails', undefined],
];

describe('API auth with auth.api_keys', () => {
  let setup: TempSetup;
  let api: Running;
  const logged: string[] = [];
  let restoreLog: () => void;

  beforeAll(async () => {
    restoreLog = setLogSink((_level, message) => logged.push(message));
    setup = tempSetup(yamlConfig({ withAuth: true }));
    api = await serve(setup.configPath);
  });
  afterAll(async () => {
    await api.close();
    restoreLog();
    setup.cleanup();
  });

  it('keeps /health public', async () => {
    expect((await call(api.url, 'GET', '/health')).status).toBe(200);
  });

  it('answers 401 with no token, a wrong token, a malformed header, or an empty token', async () => {
    for (const path of [...READ_ROUTES, '/v1/audit', '/v1/unknown']) {
      const none = await call(api.url, 'GET', path);
      expect(none.status, path).toBe(401);
      expect(none.json.error.code).toBe('unauthorized');
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await call(api.url, 'GET', path, { token: 'tok-read-0123456789abcdeX' })).status, path).toBe(401);
    }
    for (const header of [`Basic ${TOKENS.admin}`, `Bearer`, `Bearer ${TOKENS.admin} extra`, TOKENS.admin, 'Bearer ']) {
      const r = await call(api.url, 'GET', '/v1/projects', { headers: { authorization: header } });
      expect(r.status, header).toBe(401);
    }
    for (const [method, path, body] of WRITE_ROUTES) {
      expect((await call(api.url, method, path, { body })).status, `${method} ${path}`).toBe(401);
    }
  });

  it('lets a read token read every route but not write (403) or see the audit log', async () => {
    for (const path of READ_ROUTES) {
      const r = await call(api.url, 'GET', path, { token: TOKENS.read });
      expect([200, 404], path).toContain(r.status); // /v1/sessions/s1 is a valid request for an unknown session
    }
    for (const [method, path, body] of WRITE_ROUTES) {
      const r = await call(api.url, method, path, { token: TOKENS.read, body });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.json.error.code).toBe('forbidden');
      expect(r.json.error.message).toContain("'write'");
    }
    expect((await call(api.url, 'GET', '/v1/audit', { token: TOKENS.read })).status).toBe(403);
  });

  it('lets a write token write (audit-logged under its name) and an admin token read the audit log', async () => {
    const [post, patch, del] = WRITE_ROUTES;
    expect((await call(api.url, post![0], post![1], { token: TOKENS.write, body: post![2] })).status).toBe(201);
    expect((await call(api.url, patch![0], patch![1], { token: TOKENS.admin, body: patch![2] })).status).toBe(200);
    expect((await call(api.url, 'GET', '/v1/audit', { token: TOKENS.write })).status).toBe(403);
    expect((await call(api.url, del![0], del![1], { token: TOKENS.write })).status).toBe(200);
    const audit = await call(api.url, 'GET', '/v1/audit', { token: TOKENS.admin });
    expect(audit.status).toBe(200);
    expect(audit.json.events.map((e: { action: string; actor: string; target: string }) => `${e.action}:${e.target}:${e.actor}`)).toEqual([
      'project.delete:w1:ops-bot',
      'project.update:w1:root',
      'project.create:w1:ops-bot',
    ]);
    expect(audit.json.events.every((e: { source: string; time: string }) => e.source === 'api' && !Number.isNaN(Date.parse(e.time)))).toBe(true);
  });

  it('accepts the bearer scheme case-insensitively', async () => {
    expect((await call(api.url, 'GET', '/v1/projects', { headers: { authorization: `bearer ${TOKENS.read}` } })).status).toBe(200);
  });

  it('never returns or logs tokens or provider keys', async () => {
    const status = await call(api.url, 'GET', '/v1/status', { token: TOKENS.admin });
    for (const secret of [...Object.values(TOKENS), 'sk-test-abcdefghijklmnop1f2b']) {
      expect(status.text).not.toContain(secret);
      expect(logged.join('\n')).not.toContain(secret);
    }
    expect(status.json.auth.enabled).toBe(true);
  });
});

describe('API auth with $VOICEGW_API_KEY', () => {
  let setup: TempSetup;
  let api: Running;
  beforeAll(async () => {
    setup = tempSetup(yamlConfig());
    api = await serve(setup.configPath, { VOICEGW_API_KEY: 'env-token-abcdef0123456789' });
  });
  afterAll(async () => {
    await api.close();
    setup.cleanup();
  });

  it('requires the env token for everything but /health, with every scope', async () => {
    expect((await call(api.url, 'GET', '/health')).status).toBe(200);
    expect((await call(api.url, 'GET', '/v1/projects')).status).toBe(401);
    expect((await call(api.url, 'GET', '/v1/projects', { token: 'env-token-abcdef0123456789' })).status).toBe(200);
    const created = await call(api.url, 'POST', '/v1/projects', { token: 'env-token-abcdef0123456789', body: { id: 'e1', name: 'E' } });
    expect(created.status).toBe(201);
    const audit = await call(api.url, 'GET', '/v1/audit', { token: 'env-token-abcdef0123456789' });
    expect(audit.json.events[0]).toMatchObject({ actor: 'VOICEGW_API_KEY', action: 'project.create' });
  });
});
