import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../src/gateway.js';
import { startMockOpenAI, type MockOpenAI } from '../../src/testing/index.js';
import { createTestDatabase, pgAvailability, PG_REQUIRED } from '../ledger/helpers.js';

const pgState = await pgAvailability('fleet alerts');
if (!pgState.ok && PG_REQUIRED) throw new Error(`PostgreSQL is required here: ${pgState.reason}`);

// $0.000324 a request: 4 workers × 10 requests = $0.01296 against a $0.006 budget crosses 80% and 100%
const BUDGET_USD = 0.006;
const WORKERS = 4;
const PER_WORKER = 10;

/** A Slack-style incoming webhook: records every JSON body it receives. */
async function receiver(): Promise<{ url: string; bodies: Record<string, unknown>[]; close(): Promise<void> }> {
  const bodies: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(text) as Record<string, unknown>);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/T000/B000/secret-path-token`,
    bodies,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe.skipIf(!pgState.ok)('budget alerts across a fleet', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let openai: MockOpenAI;
  let hook: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    openai = await startMockOpenAI({ reply: 'Okay.', usage: { prompt: 10, completion: 200, cached: 0 }, chunkDelayMs: 5 });
    hook = await receiver();
  });
  afterAll(async () => {
    await hook?.close();
    await openai?.close();
    await db?.drop();
  });

  it('4 worker processes crossing 80% and 100% POST exactly one budget_warning and one budget_exceeded', async () => {
    const alerts = { webhooks: [{ url: hook.url }], timeout_ms: 2000, max_attempts: 3 };
    const workers = Array.from({ length: WORKERS }, () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', new URL('./worker.ts', import.meta.url).pathname, JSON.stringify({ databaseUrl: db.url, openaiURL: openai.baseURL, budgetUsd: BUDGET_USD, requests: PER_WORKER, alerts, action: 'warn' })],
        { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, VOICEGW_LOG_LEVEL: 'warn' } },
      );
      const lines: string[] = [];
      createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
      createInterface({ input: child.stderr! }).on('line', (l) => process.stderr.write(`${l}\n`));
      return { child, lines, exited: new Promise<number | null>((r) => child.on('close', r)) };
    });
    const deadline = Date.now() + 150_000; // a loaded 2-core machine starts tsx processes slowly
    while (!workers.every((w) => w.lines.includes('ready'))) {
      if (Date.now() > deadline) throw new Error('workers did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const w of workers) w.child.stdin!.write('go\n');
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0, 0, 0]);
    // action warn: every request runs, so spend goes past 100% (a block project stops short of it)
    const served = workers.map((w) => JSON.parse(w.lines.at(-1)!) as { served: number }).reduce((s, r) => s + r.served, 0);
    expect(served).toBe(WORKERS * PER_WORKER);

    const count = (event: string) => hook.bodies.filter((b) => b.event === event).length;
    expect(hook.bodies.map((b) => b.event).sort()).toEqual(['budget_exceeded', 'budget_warning']);
    expect(count('budget_warning')).toBe(1);
    expect(count('budget_exceeded')).toBe(1);

    const warning = hook.bodies.find((b) => b.event === 'budget_warning')!;
    expect(Object.keys(warning).sort()).toEqual(['action', 'budget_usd', 'day', 'event', 'percent', 'project', 'spent_usd', 'text']);
    expect(warning).toMatchObject({ project: 'fleet', budget_usd: BUDGET_USD, action: 'warn' });
    expect(warning.percent as number).toBeGreaterThanOrEqual(80);
    expect(warning.text).toMatch(/^voicegateway: project 'fleet' reached 80% of its daily budget/);

    // the ledger holds each delivery once, sent; status screens read it from there
    const gw = await Gateway.open({ databaseUrl: db.url, env: {}, config: { alerts } });
    try {
      const rows = await gw.ledger.alertDeliveries({ limit: 10 });
      expect(rows.map((r) => [r.event, r.status, r.attempts]).sort()).toEqual([
        ['budget_exceeded', 'sent', 1],
        ['budget_warning', 'sent', 1],
      ]);
      expect(JSON.stringify(rows)).not.toContain('secret-path-token');
    } finally {
      await gw.close();
    }
  }, 300_000);
});
