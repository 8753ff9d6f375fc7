import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { startServer } from '../../src/server/index.js';
import { openGateway, type Running, serve, tempSetup, type TempSetup, TOKENS, yamlConfig } from './helpers.js';

/** node:http sends Host and Origin exactly as given (fetch() would not). */
function send(url: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(url + path, { method, headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) } });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

describe('HTTP API and dashboard: loopback Host/Origin only (DNS rebinding)', () => {
  let setup: TempSetup;
  let api: Running;
  let port: string;

  beforeAll(async () => {
    setup = tempSetup(yamlConfig({ extra: 'server:\n  allowed_hosts: [voice.internal.example]\n' }));
    api = await serve(setup.configPath, {}, { dashboard: true });
    port = new URL(api.url).port;
  });
  afterAll(async () => {
    await api?.close();
    setup?.cleanup();
  });

  it('refuses a rebinding Host on every method, the dashboard and /health, and changes nothing', async () => {
    const evil = { host: `rebind.evil.example:${port}` };
    const probes: [string, string, unknown?][] = [
      ['GET', '/v1/status'],
      ['POST', '/v1/projects', { id: 'pwned', name: 'pwned' }],
      ['DELETE', '/v1/projects/pwned'],
      ['GET', '/'],
      ['GET', '/health'],
    ];
    for (const [method, path, body] of probes) {
      const r = await send(api.url, method, path, evil, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(JSON.parse(r.text).error).toMatchObject({ code: 'host_not_allowed' });
      expect(r.text).toContain('server.allowed_hosts');
    }
    expect(api.gw.project('pwned')).toBeUndefined();
  });

  it('accepts loopback names and the hosts listed in server.allowed_hosts', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `127.0.0.2:${port}`, `voice.internal.example:${port}`, `VOICE.internal.example`]) {
      expect((await send(api.url, 'GET', '/v1/status', { host })).status, host).toBe(200);
    }
    const created = await send(api.url, 'POST', '/v1/projects', { host: `localhost:${port}`, origin: `http://localhost:${port}` }, { id: 'fine', name: 'fine' });
    expect(created.status).toBe(201);
    expect((await send(api.url, 'DELETE', '/v1/projects/fine', { host: `127.0.0.1:${port}` })).status).toBe(200);
  });

  it('refuses a foreign Origin even with a loopback Host (a web page posting to localhost)', async () => {
    for (const origin of ['https://evil.example', 'null']) {
      const r = await send(api.url, 'POST', '/v1/projects', { host: `127.0.0.1:${port}`, origin }, { id: 'csrf', name: 'csrf' });
      expect(r.status, origin).toBe(403);
    }
    expect(api.gw.project('csrf')).toBeUndefined();
  });
});

describe('binding beyond loopback', () => {
  it('is refused without auth keys, with a message saying how to add one', async () => {
    const setup = tempSetup(yamlConfig());
    const gw = await openGateway(setup.configPath);
    try {
      for (const host of ['0.0.0.0', '::']) {
        const err = await startServer(gw, { host, port: 0 }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as Error).message).toMatch(new RegExp(`Refusing to serve the API on ${host.replace(/\./g, '\\.')} without authentication: add a key under auth\\.api_keys`));
        expect((err as Error).message).toContain('VOICEGW_API_KEY');
      }
    } finally {
      await gw.close();
      setup.cleanup();
    }
  });

  it('is allowed with keys; loopback Host names still need no listing, other names do', async () => {
    const setup = tempSetup(yamlConfig({ withAuth: true }));
    const gw = await openGateway(setup.configPath);
    const server = await startServer(gw, { host: '0.0.0.0', port: 0 });
    try {
      const url = `http://127.0.0.1:${server.port}`;
      const auth = { authorization: `Bearer ${TOKENS.read}` };
      expect((await send(url, 'GET', '/v1/status', { ...auth, host: `127.0.0.1:${server.port}` })).status).toBe(200);
      expect((await send(url, 'GET', '/v1/status', { ...auth, host: 'rebind.evil.example' })).status).toBe(403);
    } finally {
      await server.close();
      await gw.close();
      setup.cleanup();
    }
  });
});
