import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountDashboard } from '../../src/dashboard/index.js';
import { Gateway } from '../../src/gateway.js';
import type { RequestRecord } from '../../src/ledger/types.js';
import { type RunningServer, startServer } from '../../src/server/index.js';

export const TOKENS = { read: 'tok-read-0123456789abcdef', write: 'tok-write-0123456789abcdef', admin: 'tok-admin-0123456789abcdef' };

/** Two YAML projects; `withAuth` adds one key per scope. */
export function yamlConfig(opts: { withAuth?: boolean; extra?: string; extraProjects?: string } = {}): string {
  const auth = opts.withAuth
    ? `auth:
  api_keys:
    - { token: ${TOKENS.read}, name: grafana, scopes: [read] }
    - { token: ${TOKENS.write}, name: ops-bot, scopes: [write] }
    - { token: ${TOKENS.admin}, name: root, scopes: [admin] }
    - { token: "", name: unset-var, scopes: [admin] }
`
    : '';
  return `providers:
  openai:
    api_key: sk-test-abcdefghijklmnop1f2b
projects:
${opts.extraProjects ?? ''}  support:
    name: Support
    description: Inbound line
    daily_budget: 1
    budget_action: block
    tags: [prod, voice]
  sales:
    name: Sales
    daily_budget: 0
cost_tracking:
  db_path: ./ledger.db
${auth}${opts.extra ?? ''}`;
}

export interface TempSetup {
  dir: string;
  configPath: string;
  cleanup(): void;
}

export function tempSetup(yaml: string): TempSetup {
  const dir = mkdtempSync(join(tmpdir(), 'voicegw-api-'));
  const configPath = join(dir, 'voicegw.yaml');
  writeFileSync(configPath, yaml);
  return { dir, configPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openGateway(configPath: string, env: NodeJS.ProcessEnv = {}): Promise<Gateway> {
  return Gateway.open({ path: configPath, env });
}

export interface Running {
  gw: Gateway;
  server: RunningServer;
  url: string;
  close(): Promise<void>;
}

/** The API on a free port; `dashboard: true` mounts the dashboard too, as `voicegw serve` does. */
export async function serve(configPath: string, env: NodeJS.ProcessEnv = {}, o: { dashboard?: boolean } = {}): Promise<Running> {
  const gw = await openGateway(configPath, env);
  const server = await startServer(gw, { host: '127.0.0.1', port: 0, mount: o.dashboard ? (app) => mountDashboard(app, gw) : undefined });
  return {
    gw,
    server,
    url: server.url,
    close: async () => {
      await server.close();
      await gw.close();
    },
  };
}

export function row(over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: randomUUID(),
    ts: Date.now(),
    project: 'support',
    sessionId: null,
    modality: 'llm',
    provider: 'openai',
    model: 'gpt-4.1-mini',
    inputUnits: 1000,
    outputUnits: 100,
    cachedUnits: 0,
    costNanos: 560_000,
    pricingSource: 'test',
    ttfbMs: 250,
    latencyMs: 900,
    status: 'success',
    fallbackFrom: null,
    error: null,
    throttle: null,
    guardrailFindings: 0,
    ...over,
  };
}

export async function call(url: string, method: string, path: string, opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url + path, { method, headers, body });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON (metrics)
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, any> };
}
