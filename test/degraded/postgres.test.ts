import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerStatus } from '../../src/ledger/status.js';
import { type MockOpenAI, startMockOpenAI } from '../../src/testing/index.js';
import { adminQuery, createTestDatabase, PG_REQUIRED, pgAvailability } from '../ledger/helpers.js';
import { waitFor } from './helpers.js';

const pgState = await pgAvailability('degraded/postgres');
if (!pgState.ok && PG_REQUIRED) throw new Error(pgState.reason);

interface Event {
  event: 'ready' | 'calls' | 'drained';
  served?: number;
  failed?: number;
  sawDegraded?: boolean;
  ledger: LedgerStatus;
}

/** A worker process (test/degraded/worker.ts): its JSON events, stdin to start its calls, its exit. */
function startWorker(args: { databaseUrl: string; openaiURL: string; calls: number; lanes: number; gapMs: number }) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', new URL('./worker.ts', import.meta.url).pathname, JSON.stringify(args)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, VOICEGW_LOG_LEVEL: 'error' },
  });
  const events: Event[] = [];
  let stderr = '';
  createInterface({ input: child.stdout! }).on('line', (l) => events.push(JSON.parse(l) as Event));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', r));
  const event = (name: Event['event']) => events.find((e) => e.event === name);
  return { child, events, event, exited, stderr: () => stderr, go: () => child.stdin!.write('go\n') };
}

describe.skipIf(!pgState.ok)('PostgreSQL away while workers take calls', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let openai: MockOpenAI;
  beforeAll(async () => {
    db = await createTestDatabase();
    openai = await startMockOpenAI({ reply: 'Okay.', usage: { prompt: 10, completion: 20, cached: 0 }, chunkDelayMs: 5 });
  });
  afterAll(async () => {
    await openai?.close();
    await db?.drop();
  });

  // refuse new connections and kill the open ones: the server itself stays up for everyone else
  const outage = async (on: boolean) => {
    await adminQuery(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS ${on ? 'false' : 'true'}`);
    if (on) await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db.name]);
  };
  const rowsOf = async (project: string) => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query('SELECT count(*)::int AS n FROM requests WHERE project = $1', [project])).rows[0].n as number;
    } finally {
      await c.end();
    }
  };

  it('4 workers: connections killed and refused for 10 s mid-run: 0 failed calls, 0 rows lost', async () => {
    const calls = 40;
    const workers = Array.from({ length: 4 }, () => startWorker({ databaseUrl: db.url, openaiURL: openai.baseURL, calls, lanes: 2, gapMs: 400 }));
    try {
      await waitFor(() => workers.every((w) => w.event('ready')), 180_000, 'workers started');
      for (const w of workers) w.go();
      await new Promise((r) => setTimeout(r, 1500));
      await outage(true);
      await new Promise((r) => setTimeout(r, 10_000));
      await outage(false);
      expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0, 0, 0]);
      for (const w of workers) {
        expect(w.event('calls'), w.stderr()).toMatchObject({ served: calls, failed: 0 });
        expect(w.event('drained')!.ledger).toMatchObject({ state: 'ok', queuedRows: 0, lostRows: 0 });
      }
      // the calls spanned the outage: the workers saw it, and served through it
      expect(workers.filter((w) => w.event('calls')!.sawDegraded).length).toBeGreaterThan(0);
      expect(await rowsOf('fleet')).toBe(4 * calls);
    } finally {
      await outage(false);
      for (const w of workers) w.child.kill('SIGKILL');
    }
  }, 300_000);

  it('a worker started while PostgreSQL refuses connections serves its calls and records all its rows once it is up', async () => {
    const before = await rowsOf('fleet');
    await outage(true);
    const w = startWorker({ databaseUrl: db.url, openaiURL: openai.baseURL, calls: 10, lanes: 1, gapMs: 0 });
    try {
      await waitFor(() => !!w.event('ready'), 180_000, 'worker started');
      const ready = w.event('ready')!.ledger;
      expect(ready).toMatchObject({ kind: 'postgres', state: 'degraded', budgets: 'in-process' });
      expect(ready.problem).toMatch(/PostgreSQL ledger at .* unreachable/);
      w.go();
      await waitFor(() => !!w.event('calls'), 60_000, 'calls done');
      expect(w.event('calls')).toMatchObject({ served: 10, failed: 0, ledger: { state: 'degraded', queuedRows: 10, lostRows: 0 } });
      await outage(false);
      expect(await w.exited).toBe(0);
      expect(w.event('drained')!.ledger).toMatchObject({ state: 'ok', queuedRows: 0, lostRows: 0 });
      expect(await rowsOf('fleet')).toBe(before + 10);
    } finally {
      await outage(false);
      w.child.kill('SIGKILL');
    }
  }, 300_000);
});
