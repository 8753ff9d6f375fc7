import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Gateway } from '../../src/gateway.js';
import type { GuardrailEvent, RequestRecord } from '../../src/ledger/types.js';
import { usdToNanos } from '../../src/money.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const MCP_ENTRY = 'src/mcp/main.ts';

/** Credentials planted in the config and env: no tool output, resource or log line may contain one. */
export const SECRETS = {
  openai: 'sk-test-SECRET-123456789',
  deepgram: 'dg-test-SECRET-987654321',
  cartesiaEnv: 'cart-env-SECRET-11223344',
  projectOpenai: 'sk-proj-SECRET-555666777',
  authToken: 'vgw-admin-SECRET-token-42',
  mcpToken: 'mcp-bearer-SECRET-0987654321',
  dbPassword: 'pg-pass-SECRET-24680',
} as const;

export interface Workspace {
  dir: string;
  config: string;
}

/** A temp dir with a voicegw.yaml (YAML projects `support` and `dev`, keys everywhere) and a SQLite ledger. */
export function makeWorkspace(opts: { openaiBaseURL?: string; deepgramBaseURL?: string } = {}): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'vgw-mcp-'));
  const config = join(dir, 'voicegw.yaml');
  writeFileSync(
    config,
    `providers:
  openai:
    api_key: ${SECRETS.openai}
    base_url: ${opts.openaiBaseURL ?? 'http://127.0.0.1:9/v1'}
  deepgram:
    api_key: ${SECRETS.deepgram}
${opts.deepgramBaseURL ? `    base_url: ${opts.deepgramBaseURL}\n` : ''}  cartesia:
    api_key: \${CARTESIA_API_KEY}
default_project: support
projects:
  support:
    name: Support Bot
    description: customer support
    daily_budget: 10
    budget_action: block
    tags: [prod]
    providers:
      openai:
        api_key: ${SECRETS.projectOpenai}
    guardrails:
      enabled: true
      categories: { pii: redact }
  dev:
    name: Development
    daily_budget: 0
    tags: [dev]
cost_tracking:
  db_path: ./ledger.db
  database_url_note: postgres://vgw:${SECRETS.dbPassword}@127.0.0.1:5432/unused
auth:
  api_keys:
    - token: ${SECRETS.authToken}
      name: admin
      scopes: ['*']
`,
  );
  return { dir, config };
}

/** The env the server child runs with: only what it needs (nothing inherited that names a key). */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    CARTESIA_API_KEY: SECRETS.cartesiaEnv,
    VOICEGW_LOG_LEVEL: 'info',
    ...extra,
  };
}

export interface StdioSession {
  client: Client;
  stderr(): string;
  /** transport errors, e.g. a non-JSON line on the server's stdout */
  protocolErrors(): Error[];
  close(): Promise<void>;
}

/** Spawns `node --import tsx <entry> [...args] --config <cfg>` and connects an MCP client over stdio. */
export async function connectStdio(ws: Workspace, opts: { entry?: string[]; env?: Record<string, string> } = {}): Promise<StdioSession> {
  const entry = opts.entry ?? [MCP_ENTRY];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', ...entry, '--config', ws.config],
    cwd: ROOT,
    env: childEnv(opts.env),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (c: Buffer) => void (stderr += c.toString()));
  const errors: Error[] = [];
  transport.onerror = (e) => void errors.push(e); // the client chains its own handler after this one
  const client = new Client({ name: 'voicegateway-test', version: '0.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, protocolErrors: () => errors, close: () => client.close() };
}

/** Calls a tool by name (the SDK answers bad arguments and unknown tools with `isError` results). */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

export function textOf(r: CallToolResult): string {
  return r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

export function structured<T = Record<string, unknown>>(r: CallToolResult): T {
  if (r.isError) throw new Error(`tool failed: ${textOf(r)}`);
  return r.structuredContent as T;
}

let seq = 0;
export function row(p: Partial<RequestRecord> & Pick<RequestRecord, 'project' | 'modality' | 'provider' | 'model'>, costUsd: number | null, ts = Date.now()): RequestRecord {
  return {
    id: `r-${++seq}-${randomUUID().slice(0, 8)}`,
    ts,
    sessionId: null,
    inputUnits: 100,
    outputUnits: 20,
    cachedUnits: 0,
    costNanos: costUsd === null ? null : usdToNanos(costUsd),
    pricingSource: costUsd === null ? '' : 'test@2025-01-01',
    ttfbMs: 120,
    latencyMs: 480,
    status: 'success',
    fallbackFrom: null,
    error: null,
    throttle: null,
    guardrailFindings: 0,
    ...p,
  };
}

/** Ledger rows for today: two projects, one session of three modalities, one unpriced row, one error. */
export async function seedLedger(ws: Workspace): Promise<Gateway> {
  const gw = await Gateway.open({ path: ws.config, env: childEnv() });
  const now = Date.now();
  const rows = [
    row({ project: 'support', modality: 'stt', provider: 'deepgram', model: 'nova-3', sessionId: 'sess-1', inputUnits: 30 }, 0.00215, now - 60_000),
    row({ project: 'support', modality: 'llm', provider: 'openai', model: 'gpt-4.1-mini', sessionId: 'sess-1' }, 0.0123, now - 50_000),
    row({ project: 'support', modality: 'tts', provider: 'cartesia', model: 'sonic-3', sessionId: 'sess-1', inputUnits: 120 }, 0.0045, now - 40_000),
    row({ project: 'dev', modality: 'llm', provider: 'ollama', model: 'qwen2.5:3b' }, null, now - 30_000),
    row({ project: 'dev', modality: 'llm', provider: 'openai', model: 'gpt-4.1-mini', status: 'error', error: 'APIStatusError 503: overloaded' }, 0, now - 20_000),
    row({ project: 'gone', modality: 'llm', provider: 'openai', model: 'gpt-4o-mini' }, 0.002, now - 10_000),
  ];
  for (const r of rows) await gw.ledger.record(r);
  const events: GuardrailEvent[] = [
    { ts: now - 45_000, project: 'support', sessionId: 'sess-1', requestId: rows[1]!.id, category: 'pii', detector: 'email', action: 'redact', direction: 'in', excerpt: 'write to [EMAIL] please' },
    { ts: now - 44_000, project: 'support', sessionId: 'sess-1', requestId: rows[1]!.id, category: 'prompt_injection', detector: 'heuristic', action: 'alert', direction: 'in', excerpt: 'ignore previous …' },
  ];
  await gw.ledger.recordGuardrailEvents(events);
  await gw.ledger.flush();
  return gw;
}
