import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { call, childEnv, connectStdio, makeWorkspace, MCP_ENTRY, ROOT, seedLedger, structured, type StdioSession, type Workspace } from './helpers.js';

const CLI = ['src/cli/main.ts', 'mcp'];

let ws: Workspace;
let gw: Gateway;
let s: StdioSession;

beforeAll(async () => {
  ws = makeWorkspace();
  gw = await seedLedger(ws);
  s = await connectStdio(ws, { entry: CLI });
});

afterAll(async () => {
  await s?.close();
  await gw?.close();
});

describe('`voicegw mcp` through the CLI', () => {
  it('serves the same tools over stdio', async () => {
    const { tools } = await s.client.listTools();
    expect(tools).toHaveLength(16);
    const projects = structured<{ projects: { id: string }[] }>(await call(s.client, 'list_projects'));
    expect(projects.projects.map((p) => p.id).sort()).toEqual(gw.projects().map((p) => p.id).sort());
    const costs = structured<{ totalUsd: number; requests: number }>(await call(s.client, 'get_costs', { period: 'all', group_by: 'modality' }));
    expect(costs.totalUsd).toBe((await gw.reports.costs({ period: 'all' })).totalUsd);
    const created = structured<{ project: { id: string } }>(await call(s.client, 'create_project', { id: 'from-cli', name: 'From the CLI' }));
    expect(created.project.id).toBe('from-cli');
    const audit = await gw.ledger.auditLog({ limit: 5 });
    expect(audit.find((a) => a.target === 'from-cli')).toMatchObject({ source: 'mcp', action: 'project.create' });
  });
});

describe('lifecycle', () => {
  it.each([
    ['src/mcp/main.ts', [MCP_ENTRY]],
    ['voicegw mcp', CLI],
  ])('%s exits 0 when the client closes stdin, having written nothing to stdout', async (_name, entry) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...entry, '--config', ws.config], { cwd: ROOT, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
    while (!stderr.includes('MCP server on stdio') && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    child.stdin.end();
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, stderr).toBe(0);
    expect(stdout).toBe('');
  });

  it('a config error is reported on stderr with exit 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MCP_ENTRY, '--config', `${ws.dir}/missing.yaml`], { cwd: ROOT, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(stderr).toMatch(/Config file not found/);
  });
});
