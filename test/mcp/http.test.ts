import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { childEnv, makeWorkspace, MCP_ENTRY, ROOT, SECRETS, seedLedger, structured, type Workspace } from './helpers.js';

interface Spawned {
  child: ChildProcess;
  stderr(): string;
}

function spawnMcp(ws: Workspace, args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', MCP_ENTRY, '--config', ws.config, ...args], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => void (stderr += c.toString()));
  return { child, stderr: () => stderr };
}

async function listeningUrl(p: Spawned): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const m = /listening on (http:\/\/\S+)/.exec(p.stderr());
    if (m) return m[1]!;
    if (p.child.exitCode !== null) throw new Error(`server exited: ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not start: ${p.stderr()}`);
}

let ws: Workspace;
let gw: Gateway;
let server: Spawned;
let url: string;

beforeAll(async () => {
  ws = makeWorkspace();
  gw = await seedLedger(ws);
  server = spawnMcp(ws, ['--http', '--host', '127.0.0.1', '--port', '0'], { VOICEGW_MCP_TOKEN: SECRETS.mcpToken });
  url = await listeningUrl(server);
});

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await once(server.child, 'exit');
  }
  await gw?.close();
});

const initialize = (headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } }),
  });

describe('voicegw mcp --http', () => {
  it('serves on loopback at /mcp', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(server.stderr()).toContain('bearer token required');
  });

  it('refuses requests without the bearer token, or with a wrong one', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token' }, { authorization: SECRETS.mcpToken }]) {
      const res = await initialize(headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.text()).not.toContain(SECRETS.mcpToken);
    }
    expect((await fetch(url.replace('/mcp', '/other'), { headers: { authorization: `Bearer ${SECRETS.mcpToken}` } })).status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding) on loopback', async () => {
    // fetch() may not set Host; node:http sends it as given
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(url, {
          method: 'POST',
          headers: { host, authorization: `Bearer ${SECRETS.mcpToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(body);
      });
    expect(await status('evil.example')).toBe(403);
    expect(await status(new URL(url).host)).toBe(200);
  });

  it('answers the SDK client with the token: tools, calls, resource', async () => {
    const client = new Client({ name: 'voicegateway-http-test', version: '0.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${SECRETS.mcpToken}` } } }));
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(16);
      const projects = structured<{ projects: { id: string }[] }>((await client.callTool({ name: 'list_projects', arguments: {} })) as never);
      expect(projects.projects.map((p) => p.id).sort()).toEqual(gw.projects().map((p) => p.id).sort());
      const costs = structured<{ totalUsd: number }>((await client.callTool({ name: 'get_costs', arguments: { period: 'all' } })) as never);
      expect(costs.totalUsd).toBe((await gw.reports.costs({ period: 'all' })).totalUsd);
      const bad = await client.callTool({ name: 'get_logs', arguments: { limit: -3 } });
      expect(bad.isError).toBe(true);
      const { contents } = await client.readResource({ uri: 'voicegw://config' });
      expect(JSON.stringify(contents)).not.toContain(SECRETS.openai);
    } finally {
      await client.close();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    const p = spawnMcp(ws, ['--http', '--port', '0'], {});
    await listeningUrl(p);
    p.child.kill('SIGTERM');
    const [code] = (await once(p.child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('will not bind beyond loopback without VOICEGW_MCP_TOKEN', async () => {
    const p = spawnMcp(ws, ['--http', '--host', '0.0.0.0', '--port', '0'], {});
    const [code] = (await once(p.child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(p.stderr()).toMatch(/Refusing to serve MCP on 0\.0\.0\.0 without authentication: export VOICEGW_MCP_TOKEN/);
  });
});
