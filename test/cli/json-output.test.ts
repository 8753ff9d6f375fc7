import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { Gateway } from '../../src/gateway.js';

/** Runs the CLI in this process (same code path as the binary, minus process start-up) and captures stdout. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    const code = await runCli(['node', 'voicegw', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('every read command has --json', () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'voicegw-cli-json-'));
    config = join(dir, 'voicegw.yaml');
    writeFileSync(config, 'providers:\n  openai:\n    api_key: sk-secret-abcdefghijkl7777\nprojects:\n  support:\n    name: Support\n    daily_budget: 2\ncost_tracking:\n  db_path: ./ledger.db\n');
    const gw = await Gateway.open({ path: config, env: {} });
    await gw.ledger.record({
      id: randomUUID(), ts: Date.now(), project: 'support', sessionId: 's', modality: 'llm', provider: 'openai', model: 'gpt-4.1-mini',
      inputUnits: 10, outputUnits: 5, cachedUnits: 0, costNanos: 500_000_000, pricingSource: 'test', ttfbMs: 100, latencyMs: 200,
      status: 'success', fallbackFrom: null, error: null, throttle: null, guardrailFindings: 0,
    });
    await gw.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => vi.restoreAllMocks());

  it.each([
    [['status'], (j: unknown) => expect(j).toMatchObject({ config_path: config, ledger: { kind: 'sqlite' }, projects: { total: 2, yaml: 1, runtime: 0 } })],
    [['projects'], (j: unknown) => expect(j).toMatchObject({ projects: expect.arrayContaining([expect.objectContaining({ id: 'support', daily_budget: 2, spent_today: 0.5, budget_status: 'ok', source: 'yaml', allow_unpriced: false, unpriced_today: 0 })]) })],
    [['project', 'support'], (j: unknown) => expect(j).toMatchObject({ id: 'support', budget: { percent: 25 }, today: { totalUsd: 0.5, requests: 1 } })],
    [['costs', '--period', 'month'], (j: unknown) => expect(j).toMatchObject({ totalUsd: 0.5, requests: 1, byModel: [{ key: 'openai/gpt-4.1-mini', costUsd: 0.5 }] })],
    [['logs', '-n', '5'], (j: unknown) => expect(j).toEqual({ logs: [expect.objectContaining({ project: 'support', costUsd: 0.5 })] })],
    [['budget', 'support'], (j: unknown) => expect(j).toMatchObject({ project: 'support', spentUsd: 0.5, budgetUsd: 2, remainingUsd: 1.5, status: 'ok' })],
  ])('%j --json', async (args, check) => {
    const r = await cli('--config', config, ...args, '--json');
    expect(r.code, r.err).toBe(0);
    check(JSON.parse(r.out));
    expect(r.out).not.toContain('sk-secret-abcdefghijkl7777');
  });
});
