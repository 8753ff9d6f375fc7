import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresLedger } from '../../src/ledger/postgres.js';
import { captureLogs } from '../helpers/logs.js';
import { adminQuery, createTestDatabase, makeRow, PG_REQUIRED, pgAvailability, T0 } from './helpers.js';

const pgState = await pgAvailability('ledger/pg-outage');
// CI=true / VOICEGW_REQUIRE_PG=1: an unreachable PostgreSQL fails the run instead of skipping
if (!pgState.ok && PG_REQUIRED) throw new Error(pgState.reason);

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!pgState.ok)('PostgreSQL connection loss', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  const killConnections = () => adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [db.name]);
  const outage = async (on: boolean) => {
    await adminQuery(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS ${on ? 'false' : 'true'}`);
    if (on) await killConnections();
  };

  /** Records `n` rows one after another (as requests complete), returning the ids whose record() resolved. */
  async function recordLoop(ledger: PostgresLedger, prefix: string, n: number, during: (i: number) => Promise<void>): Promise<string[]> {
    const completed: string[] = [];
    for (let i = 0; i < n; i++) {
      await during(i);
      const id = `${prefix}-${i}`;
      await ledger.record(makeRow({ id, project: prefix, ts: T0 + i, sessionId: prefix, costNanos: 1000 }));
      completed.push(id);
    }
    return completed;
  }

  it('loses no completed row when pg_terminate_backend kills the pool connections mid-write', async () => {
    const ledger = await PostgresLedger.open(db.url, { maxBackoffMs: 200 });
    const log = captureLogs();
    const admin = new pg.Client({ connectionString: db.url });
    admin.on('error', () => {}); // it is connected to the database whose backends the test terminates
    await admin.connect();
    try {
      const before = await recordLoop(ledger, 'term', 100, async () => {});
      // pin a batch in flight: it waits on this lock when its connection is terminated
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE requests IN EXCLUSIVE MODE');
      const inFlight = ledger.record(makeRow({ id: 'term-in-flight', project: 'term', sessionId: 'term' }));
      await waitFor(async () => (await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [db.name])).rows[0].n > 0);
      const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db.name]);
      expect(killed.rowCount).toBeGreaterThan(0);
      await inFlight; // resolves (the row stays queued) instead of throwing into the request path
      await admin.query('COMMIT');
      await admin.end();
      // and again at random moments while requests keep completing
      const after = await recordLoop(ledger, 'term-b', 200, async (i) => {
        if (i % 40 === 20) await killConnections();
      });
      await ledger.flush();
      const ids = new Set((await ledger.exportRows({})).map((r) => r.id));
      expect([...before, 'term-in-flight', ...after].filter((id) => !ids.has(id))).toEqual([]);
      expect((await ledger.session('term'))!.requests).toBe(101);
      expect(ledger.backlog).toEqual({ rows: 0, settles: 0, dropped: 0 });
      expect(log.lines.some((l) => l.includes('PostgreSQL unreachable'))).toBe(true);
    } finally {
      log.restore();
      await admin.end().catch(() => {});
      await ledger.close();
    }
  });

  it('holds rows in memory while the database refuses connections and writes them when it returns', async () => {
    const ledger = await PostgresLedger.open(db.url, { maxBackoffMs: 100 });
    const log = captureLogs();
    try {
      let heldDuringOutage = 0;
      const completed = await recordLoop(ledger, 'down', 200, async (i) => {
        if (i === 50) await outage(true);
        if (i === 150) {
          heldDuringOutage = ledger.backlog.rows;
          await outage(false);
        }
      });
      // record() kept resolving during the outage (the loop finished) while rows waited in memory
      expect(heldDuringOutage).toBeGreaterThanOrEqual(90);
      await ledger.settle('support', '2026-11-20', 0, 4242);
      await ledger.flush();
      expect(ledger.backlog).toEqual({ rows: 0, settles: 0, dropped: 0 });
      const ids = new Set((await ledger.exportRows({ project: 'down' })).map((r) => r.id));
      expect(completed.filter((id) => !ids.has(id))).toEqual([]);
      expect((await ledger.costs({ project: 'down', from: T0, to: T0 + 1000 })).totalNanos).toBe(200 * 1000);
      expect((await ledger.session('down'))!.requests).toBe(200);
      expect((await ledger.budgetDay('support', '2026-11-20')).spentNanos).toBe(4242);
      expect(log.lines.some((l) => l.includes('PostgreSQL unreachable'))).toBe(true);
      expect(log.lines.some((l) => l.includes('reachable again'))).toBe(true);
    } finally {
      log.restore();
      await outage(false);
      await ledger.close();
    }
  });

  it('reports the rows it could not write when closed during an outage', async () => {
    const ledger = await PostgresLedger.open(db.url, { maxBackoffMs: 100, closeTimeoutMs: 300 });
    const log = captureLogs();
    try {
      await outage(true);
      for (let i = 0; i < 5; i++) await ledger.record(makeRow({ id: `lost-${i}` }));
      await ledger.close();
      expect(log.lines.some((l) => /5 request rows and 0 budget settlements were NOT written/.test(l))).toBe(true);
    } finally {
      log.restore();
      await outage(false);
    }
  });
});
