import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { loadConfig } from '../../src/config/load.js';
import { inference } from '../../src/index.js';
import { createMcpServer } from '../../src/mcp/index.js';
import { createApp } from '../../src/server/index.js';
import { startMockOpenAI, type MockOpenAI } from '../../src/testing/index.js';
import { captureLogs } from '../helpers/logs.js';
import { captureErrors, chatCtx, openGateway } from '../helpers/stack.js';

/** One distinct secret per place a credential can be configured; none may appear on any output surface. */
const S = {
  openaiKey: 'sk-sentinel-openai-0001aaaa',
  groqKey: 'gsk-sentinel-groq-0002bbbb',
  urlPassword: 'sentinel-urlpass-0003cccc',
  queryKey: 'sentinel-querykey-0004dddd',
  queryToken: 'sentinel-querytok-0005eeee',
  authHeader: 'sentinel-authhdr-0006ffff',
  apiKeyHeader: 'sentinel-xapikey-0007gggg',
  apiToken: 'sentinel-apitoken-0008hhhh',
  webhookPath: 'sentinel-hookpath-0009iiii',
  webhookHeader: 'sentinel-hookhdr-0010jjjj',
  mcpToken: 'sentinel-mcptoken-0011kkkk',
  envKey: 'sentinel-envkey-0012llll',
  codeKey: 'sk-sentinel-code-0013mmmm',
};
const leaks = (text: string) => Object.entries(S).filter(([, v]) => text.includes(v)).map(([k]) => k);

let mock: MockOpenAI;
beforeAll(async () => {
  mock = await startMockOpenAI({ reply: 'Okay.' });
});
afterAll(async () => mock?.close());

function config() {
  return {
    providers: {
      openai: { api_key: S.openaiKey, base_url: mock.baseURL },
      groq: {
        api_key: S.groqKey,
        base_url: `https://user:${S.urlPassword}@groq.example/openai/v1?api-key=${S.queryKey}&token=${S.queryToken}&region=eu`,
        default_headers: { Authorization: `Bearer ${S.authHeader}`, 'x-api-key': S.apiKeyHeader },
      },
    },
    projects: { support: { name: 'Support', daily_budget: 5 } },
    default_project: 'support',
    auth: { api_keys: [{ token: S.apiToken, name: 'ops', scopes: ['admin'] }] },
    alerts: { webhooks: [{ url: `https://hooks.example/services/${S.webhookPath}`, headers: { Authorization: `Bearer ${S.webhookHeader}` } }] },
  };
}

describe('sentinel secrets in every config field never reach an output surface', () => {
  it('config errors quote ${VAR} as written, never its value', () => {
    const env = { OPENAI_API_KEY: S.envKey };
    let message = '';
    try {
      loadConfig({ config: { providers: { openai: '${OPENAI_API_KEY}' } }, env });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/providers\.openai: expected object, got "\$\{OPENAI_API_KEY\}"/);
    expect(leaks(message)).toEqual([]);
  });

  it('status API, MCP resource and tools, drop-in error events, log lines, ledger rows, CLI status', async () => {
    const logs = captureLogs();
    const env = { VOICEGW_MCP_TOKEN: S.mcpToken, DEEPGRAM_API_KEY: S.envKey };
    const gw = await openGateway(config(), { env });
    const out: string[] = [];
    try {
      // the provider echoes the key it was sent, and a URL with a key, in its error (as OpenAI's 401 does)
      mock.fail({ kind: 'status', status: 401, message: `Incorrect API key provided: ${S.codeKey}; see https://x.example/?key=${S.queryKey}` });
      const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, apiKey: S.codeKey });
      const errors = captureErrors(m);
      await m.chat({ chatCtx: chatCtx('hello') }).collect().catch(() => {});
      mock.heal();
      await gw.drain();
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]!.error.message).toMatch(/Incorrect API key provided: sk-s…mmmm/); // shown, masked
      out.push(...errors.map((e) => `${e.error.message} ${JSON.stringify((e.error as { body?: unknown }).body ?? null)}`));
      const rows = await gw.ledger.logs({});
      expect(rows[0]?.error).toMatch(/401/);
      out.push(JSON.stringify(rows));

      const app = createApp(gw);
      const status = await app.request('/v1/status', { headers: { authorization: `Bearer ${S.apiToken}` } });
      expect(status.status).toBe(200);
      const statusText = await status.text();
      expect(statusText).toContain('groq.example'); // the base URL is shown, cleaned
      out.push(statusText);

      const client = new Client({ name: 'sentinel', version: '0' });
      const [a, b] = InMemoryTransport.createLinkedPair();
      const server = createMcpServer(gw);
      await Promise.all([server.connect(a), client.connect(b)]);
      out.push(JSON.stringify(await client.readResource({ uri: 'voicegw://config' })));
      for (const name of ['list_providers', 'get_logs', 'get_budget_status']) out.push(JSON.stringify(await client.callTool({ name, arguments: {} })));
      await client.close();
    } finally {
      await gw.close();
      logs.restore();
    }
    out.push(logs.lines.join('\n'));
    expect(out.join('').length).toBeGreaterThan(2000);
    expect(leaks(out.join('\n'))).toEqual([]);
  }, 60_000);

  it('voicegw status (text and --json)', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { stringify } = await import('yaml');
    const dir = mkdtempSync(join(tmpdir(), 'vgw-sentinel-'));
    const path = join(dir, 'voicegw.yaml');
    writeFileSync(path, stringify({ ...config(), cost_tracking: { db_path: './ledger.db' } }));
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const writeErr = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      expect(await runCli(['node', 'voicegw', '--config', path, 'status'])).toBe(0);
      expect(await runCli(['node', 'voicegw', '--config', path, 'status', '--json'])).toBe(0);
    } finally {
      process.stdout.write = write;
      process.stderr.write = writeErr;
    }
    const text = written.join('');
    expect(text).toContain('groq.example');
    expect(leaks(text)).toEqual([]);
  }, 60_000);
});
