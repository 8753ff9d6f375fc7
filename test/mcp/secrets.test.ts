import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { startMockOpenAI, type MockOpenAI } from '../../src/testing/index.js';
import { call, connectStdio, makeWorkspace, SECRETS, seedLedger, textOf, type StdioSession } from './helpers.js';

let mock: MockOpenAI;
let gw: Gateway;
let s: StdioSession;

beforeAll(async () => {
  mock = await startMockOpenAI();
  const ws = makeWorkspace({ openaiBaseURL: mock.baseURL });
  gw = await seedLedger(ws);
  s = await connectStdio(ws, { env: { VOICEGW_MCP_TOKEN: SECRETS.mcpToken, VOICEGW_LOG_LEVEL: 'debug' } });
});

afterAll(async () => {
  await s?.close();
  await gw?.close();
  await mock?.close();
});

describe('secrets never leave the MCP server', () => {
  it('in any tool result, resource, error or stderr line', async () => {
    const outputs: unknown[] = [];
    const record = async (name: string, args: Record<string, unknown> = {}) => {
      const r = await call(s.client, name, args);
      outputs.push(r);
      return r;
    };
    const { tools } = await s.client.listTools();
    outputs.push(tools);
    // every tool, read and write, successful and failing
    await record('list_projects');
    await record('get_project', { id: 'support' });
    await record('get_project', { id: 'dev' });
    await record('create_project', { id: 'temp', name: 'temp' });
    await record('update_project', { id: 'temp', description: 'changed' });
    await record('delete_project', { id: 'temp' });
    await record('delete_project', { id: 'temp', confirm: true });
    await record('get_costs', { period: 'all', group_by: 'project' });
    await record('get_budget_status');
    await record('get_logs', { limit: 100 });
    await record('get_session', { id: 'sess-1' });
    await record('list_providers');
    await record('list_models');
    await record('get_guardrail_events');
    await record('test_provider', { model: 'openai/gpt-4.1-mini' });
    // a provider that echoes the key it was sent in its error, as OpenAI's 401 does
    mock.fail({ kind: 'status', status: 401, message: `Incorrect API key provided: ${SECRETS.projectOpenai}. Also tried ${SECRETS.openai}` });
    const echoed = await record('test_provider', { model: 'openai/gpt-4.1-mini' });
    mock.heal();
    expect(textOf(echoed)).toMatch(/401/);
    expect(textOf(echoed)).toContain('sk-p…6777'); // the error is shown, masked
    await record('create_project', { id: SECRETS.openai, name: 'x' });
    outputs.push(await s.client.readResource({ uri: 'voicegw://config' }));
    const { resources } = await s.client.listResources();
    outputs.push(resources);
    expect(outputs.length).toBeGreaterThan(15);
    // the failed request reached the ledger with the provider's message: still masked when read back
    await record('get_logs', { project: 'support', limit: 5 });

    const everything = JSON.stringify(outputs) + s.stderr();
    for (const [name, secret] of Object.entries(SECRETS)) expect(everything.includes(secret), `${name} leaked`).toBe(false);
    expect(mock.requests.some((q) => q.headers.authorization === `Bearer ${SECRETS.projectOpenai}`)).toBe(true);
  });
});
