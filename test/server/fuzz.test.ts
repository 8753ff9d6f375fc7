import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../helpers/prng.js';
import { call, type Running, row, serve, tempSetup, type TempSetup, TOKENS, yamlConfig } from './helpers.js';

const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'PATCH', 'PATCH', 'DELETE', 'PUT', 'HEAD', 'OPTIONS', 'PROPFIND', 'SEARCH'];
const BASES = [
  '/v1/trend', '/v1/budget/support/events', '/v1/budget/support/series', '/app.js', '/index.html',
  '/health', '/metrics', '/v1', '/v1/', '/v1/status', '/v1/projects', '/v1/projects/', '/v1/projects/support', '/v1/projects/default',
  '/v1/costs', '/v1/logs', '/v1/sessions', '/v1/sessions/s1', '/v1/budget/support', '/v1/budget/', '/v1/guardrails/events', '/v1/audit',
  '/', '//v1//projects', '/V1/PROJECTS', '/v1/projects/support/extra', '/v2/projects', '/v1/../metrics', '/v1/projects/..%2F..%2Fetc%2Fpasswd',
];
const SEGMENTS = [
  '..', '%2e%2e', '%00', '%', '%zz', '%E0%A4%A', '%F0%9F%98%80', 'ñandú', '😀', '..%5C..%5Cwindows', 'a'.repeat(5000), "'; DROP TABLE requests;--",
  '<script>alert(1)</script>', '%0d%0aSet-Cookie:x=1', '${7*7}', 'null', 'undefined', '__proto__', 'constructor', '-1', '1e309', 'x'.repeat(201),
];
const KEYS = ['project', 'period', 'from', 'to', 'limit', 'modality', 'session', 'bogus', '__proto__', 'limit[]', '', 'project[0]', 'constructor'];
const VALUES = [
  '', 'today', 'week', 'all', 'forever', 'support', '-1', '0', '1', '999999999999999999999', '1e400', 'NaN', 'Infinity', '0x10', '1.5', 'stt', 'video',
  '2026-02-30', '2026-13-01', '9999-12-31', '0000-01-01', '1970-01-01T00:00:00Z', '%', '%ZZ', '%00', '😀', 'ñ', 'a'.repeat(3000), '..%2F..%2F', '[]', '{}', 'true',
];
const JSON_BODIES: unknown[] = [
  null, 0, -1, 'str', true, [], [1, 2], {}, { id: 1 }, { id: 'ok1', name: 5 }, { id: 'ok2', name: 'x', daily_budget: 'ten' },
  { id: 'ok3', name: 'x', daily_budget: -5 }, { id: 'ok4', name: 'x', daily_budget: 1e308 }, { id: 'ok5', name: 'x', tags: 'x' },
  { id: 'ok6', name: 'x', tags: new Array(50).fill('t') }, { id: 'OK7', name: 'x' }, { id: '../../x', name: 'x' }, { id: '', name: '' },
  { id: 'ok8', name: 'x', budget_action: 'nuke' }, { id: 'ok9', name: 'x', extra: true }, { name: { nested: { deep: [1, [2, [3]]] } } },
  { id: 'ok10', name: '😀'.repeat(300) }, { daily_budget: null }, { tags: [null] }, { description: 12 }, { __proto__: { admin: true } },
  JSON.parse('{"__proto__": {"polluted": 1}, "id": "pp1", "name": "x"}'), { id: 'f'.repeat(64), name: 'x' },
];
const RAW_BODIES = ['{', '{"id":', 'not json', '\u0000\u0001', '[[[[[[[[[[[[[[[[[[[[', '{"a":1}garbage', '"just a string"', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, 'x'.repeat(70_000)];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', 'application/jsonx', 'APPLICATION/JSON'];

interface Probe {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function makeProbe(rand: () => number, withToken: boolean): Probe {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let path = pick(BASES);
  // non-ASCII is percent-encoded (HTTP/1.1 cannot carry it raw); broken % sequences stay broken
  if (rand() < 0.25) path += `/${pick(SEGMENTS).replace(/[^\x21-\x7e]/gu, (ch) => encodeURIComponent(ch))}`;
  if (rand() < 0.6) {
    const n = 1 + Math.floor(rand() * 4);
    const parts = Array.from({ length: n }, () => `${encodeURIComponent(pick(KEYS))}=${rand() < 0.7 ? encodeURIComponent(pick(VALUES)) : pick(VALUES).replace(/[^\x21-\x7e]/g, '')}`);
    path += `?${parts.join('&')}`;
  }
  const headers: Record<string, string> = {};
  if (withToken) headers.authorization = rand() < 0.7 ? `Bearer ${pick(Object.values(TOKENS))}` : pick(['Bearer', 'Bearer x', 'Basic abc', `Bearer ${'t'.repeat(2000)}`, 'bearer  ']);
  const method = pick(METHODS);
  let body: string | undefined;
  if (method !== 'GET' && method !== 'HEAD' && rand() < 0.85) {
    body = rand() < 0.6 ? JSON.stringify(pick(JSON_BODIES)) : pick(RAW_BODIES);
    const type = pick(CONTENT_TYPES);
    if (type) headers['content-type'] = type;
  }
  return { method, path, headers, body };
}

function send(base: URL, p: Probe): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, method: p.method, path: p.path, headers: p.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout: ${p.method} ${p.path.slice(0, 80)}`)));
    req.end(p.body);
  });
}

/** Bytes that are not valid HTTP at all; node's parser must answer 4xx or hang up, never 5xx. */
function sendRaw(base: URL, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(Number(base.port), base.hostname);
    let data = '';
    socket.setTimeout(3000, () => socket.destroy());
    socket.on('data', (c) => (data += c.toString('latin1')));
    socket.on('close', () => resolve(data));
    socket.on('error', () => resolve(data));
    socket.end(bytes);
  });
}

async function fuzz(api: Running, seed: number, count: number, withToken: boolean) {
  const rand = prng(seed);
  const base = new URL(api.url);
  const results: { probe: Probe; status: number; body: string }[] = [];
  const probes = Array.from({ length: count }, () => makeProbe(rand, withToken));
  for (let i = 0; i < probes.length; i += 16) {
    const batch = probes.slice(i, i + 16);
    const answers = await Promise.all(batch.map((p) => send(base, p)));
    answers.forEach((a, j) => results.push({ probe: batch[j]!, ...a }));
  }
  return results;
}

function expectNoServerErrors(results: { probe: Probe; status: number; body: string }[]) {
  const bad = results.filter((r) => r.status >= 500 || r.status < 100);
  expect(bad.map((r) => `${r.status} ${r.probe.method} ${r.probe.path.slice(0, 120)} ${r.body.slice(0, 200)}`)).toEqual([]);
  for (const r of results) {
    expect(r.body).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack traces
    if (r.status >= 400 && r.probe.method !== 'HEAD' && r.body) {
      const parsed = JSON.parse(r.body) as { error?: { code?: unknown; message?: unknown } };
      expect(typeof parsed.error?.code, `${r.probe.method} ${r.probe.path.slice(0, 80)}`).toBe('string');
      expect(typeof parsed.error?.message).toBe('string');
    }
  }
}

describe('fuzz: malformed requests over a real socket', () => {
  let open: TempSetup;
  let locked: TempSetup;
  let apiOpen: Running;
  let apiLocked: Running;
  beforeAll(async () => {
    open = tempSetup(yamlConfig());
    locked = tempSetup(yamlConfig({ withAuth: true }));
    apiOpen = await serve(open.configPath);
    apiLocked = await serve(locked.configPath);
    await apiOpen.gw.ledger.record(row({ sessionId: 's1' }));
  });
  afterAll(async () => {
    await apiOpen.close();
    await apiLocked.close();
    open.cleanup();
    locked.cleanup();
  });

  it('answers 1,200 random malformed requests with no 5xx, JSON errors only, and stays healthy', { timeout: 60_000 }, async () => {
    const results = [...(await fuzz(apiOpen, 7, 700, false)), ...(await fuzz(apiLocked, 11, 500, true))];
    expect(results.length).toBeGreaterThanOrEqual(1200);
    expectNoServerErrors(results);
    // the sample really exercised the error paths and the happy paths
    const statuses = new Set(results.map((r) => r.status));
    for (const s of [200, 400, 401, 404, 405]) expect(statuses, `status ${s} seen`).toContain(s);

    for (const api of [apiOpen, apiLocked]) {
      const health = await call(api.url, 'GET', '/health');
      expect(health.status).toBe(200);
      expect(health.json.status).toBe('ok');
    }
    const projects = await call(apiLocked.url, 'GET', '/v1/projects', { token: TOKENS.read });
    expect(projects.status).toBe(200);
    expect(projects.json.projects.map((p: { id: string }) => p.id)).toContain('support');
  });

  it('keeps the same guarantees with the dashboard mounted (what `voicegw serve` runs)', { timeout: 60_000 }, async () => {
    const composed = await serve(locked.configPath, {}, { dashboard: true });
    try {
      const results = await fuzz(composed, 23, 400, true);
      expectNoServerErrors(results);
      expect((await call(composed.url, 'GET', '/health')).status).toBe(200);
    } finally {
      await composed.close();
    }
  });

  it('never answers 5xx to concurrent creates, edits, deletes and reads of the same projects', async () => {
    const ops = Array.from({ length: 120 }, (_, i) => {
      const id = `race${i % 4}`;
      const kind = i % 5;
      if (kind === 0) return call(apiOpen.url, 'POST', '/v1/projects', { body: { id, name: 'R' } });
      if (kind === 1) return call(apiOpen.url, 'PATCH', `/v1/projects/${id}`, { body: { daily_budget: i } });
      if (kind === 2) return call(apiOpen.url, 'DELETE', `/v1/projects/${id}`);
      if (kind === 3) return call(apiOpen.url, 'GET', `/v1/projects/${id}`);
      return call(apiOpen.url, 'GET', '/v1/projects');
    });
    const statuses = (await Promise.all(ops)).map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(new Set(statuses)).toContain(201);
  });

  it('survives bytes that are not HTTP', async () => {
    const base = new URL(apiOpen.url);
    const raws = [
      'GARBAGE\r\n\r\n',
      'GET /v1/projects HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'POST /v1/projects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{"id"',
      'POST /v1/projects HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      'GET /v1/projects HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n',
      'GET /health HTTP/9.9\r\n\r\n',
    ];
    for (const bytes of raws) {
      const reply = await sendRaw(base, bytes);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0);
      expect(status >= 500, `${bytes.slice(0, 60)} -> ${reply.slice(0, 80)}`).toBe(false);
    }
    expect((await call(apiOpen.url, 'GET', '/health')).status).toBe(200);
  });
});
