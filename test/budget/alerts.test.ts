import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inference } from '../../src/index.js';
import { voicegw } from '../cli/helpers.js';
import { tempDir } from '../ledger/helpers.js';
import { chatCtx, type Mocks, mockProviders, openGateway, startMocks } from '../helpers/stack.js';

interface Receiver {
  url: string;
  bodies: Record<string, unknown>[];
  /** requests received and never answered */
  pending: ServerResponse[];
  close(): Promise<void>;
}

/** `hang`: reads the body and never answers (a webhook that is down behind a load balancer). */
async function receiver(mode: 'ok' | 'hang'): Promise<Receiver> {
  const bodies: Record<string, unknown>[] = [];
  const pending: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(text) as Record<string, unknown>);
      if (mode === 'ok') res.writeHead(204).end();
      else pending.push(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    pending,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let mocks: Mocks;
beforeAll(async () => {
  // $0.00056 a request against a $0.0005 budget: the first request crosses 80% and 100%
  mocks = await startMocks({ openai: { reply: 'Okay.', usage: { prompt: 1000, completion: 100, cached: 0 } } });
});
afterAll(async () => mocks?.close());

describe('budget alert webhooks', () => {
  it('a hanging and a dead webhook never hold up a call; their failures are recorded for status screens', async () => {
    const hanging = await receiver('hang');
    const dir = tempDir();
    const config = {
      providers: mockProviders(mocks),
      projects: { w: { name: 'W', daily_budget: 0.0005, budget_action: 'warn' } },
      alerts: { webhooks: [{ url: hanging.url }, { url: 'http://127.0.0.1:9/dead', events: ['budget_exceeded'] }], timeout_ms: 300, max_attempts: 2 },
    };
    const gw = await openGateway(config, { dbPath: join(dir.dir, 'ledger.db') });
    try {
      const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: 'w' });
      const ask = async () => (await m.chat({ chatCtx: chatCtx('hello') }).collect()).text;
      expect(await ask()).toBe('Okay.');
      // the alert POSTs are out and unanswered: calls still complete meanwhile
      await until(() => hanging.pending.length >= 2, 'both alerts to reach the hanging webhook');
      expect(hanging.bodies.map((b) => b.event).sort()).toEqual(['budget_exceeded', 'budget_warning']);
      for (let i = 0; i < 3; i++) expect(await ask()).toBe('Okay.');
      expect(hanging.pending.length).toBeGreaterThanOrEqual(2);
    } finally {
      await gw.close();
      await hanging.close();
    }

    const again = await openGateway(config, { dbPath: join(dir.dir, 'ledger.db') });
    try {
      const status = await again.alertStatus();
      expect(status.webhooks).toBe(2);
      expect(status.failed).toHaveLength(3); // warning + exceeded to the hanging hook, exceeded to the dead one
      expect(status.failed.filter((f) => f.lastError === 'no answer within 300 ms')).toHaveLength(2);
      expect(status.failed.find((f) => f.target.startsWith('http://127.0.0.1:9 '))?.lastError).toMatch(/fetch failed|ECONNREFUSED/);
    } finally {
      await again.close();
      dir.cleanup();
    }
  }, 60_000);

  it('voicegw alerts test posts a sample to every webhook and exits 1 naming the one that failed', async () => {
    const ok = await receiver('ok');
    const dir = tempDir();
    try {
      const config = join(dir.dir, 'voicegw.yaml');
      writeFileSync(
        config,
        `projects:\n  support: { name: Support, daily_budget: 5, budget_action: block }\ndefault_project: support\ncost_tracking: { db_path: ./ledger.db }\nalerts:\n  webhooks:\n    - url: ${ok.url}\n      headers: { Authorization: "Bearer hook-secret-0123456789" }\n    - { url: "http://127.0.0.1:9/dead" }\n  timeout_ms: 2000\n`,
      );
      const r = await voicegw(['--config', config, 'alerts', 'test'], { cwd: dir.dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/http:\/\/127\.0\.0\.1:\d+ \([0-9a-f]{8}\)\s+delivered/);
      expect(r.stdout).toMatch(/http:\/\/127\.0\.0\.1:9 \([0-9a-f]{8}\)\s+FAILED/);
      expect(r.stderr).toContain('1 of 2 webhook(s) did not accept the sample');
      expect(ok.bodies).toHaveLength(1);
      expect(ok.bodies[0]).toMatchObject({ event: 'budget_warning', project: 'support', budget_usd: 5, spent_usd: 4, percent: 80, action: 'block' });
      expect(ok.bodies[0]!.text).toMatch(/^\[test\] voicegateway: project 'support' reached 80%/);
      expect(r.stdout + r.stderr).not.toContain('hook-secret-0123456789');
    } finally {
      await ok.close();
      dir.cleanup();
    }
  }, 90_000);
});
