import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/ledger/index.js';
import { PostgresLedger } from '../../src/ledger/postgres.js';
import type { LedgerTarget } from '../../src/ledger/types.js';
import { createTestDatabase, PG_REQUIRED, pgAvailability, spawnFixture, tempDir } from './helpers.js';

const WRITERS = 4;
const ROWS_EACH = 500;

/** 4 processes write one store at the same moment; every row and every aggregate must be there. */
async function concurrentWriters(target: LedgerTarget): Promise<void> {
  const startAt = Date.now() + 1500;
  const runs = Array.from({ length: WRITERS }, (_, w) => spawnFixture('writer.ts', { target, prefix: `w${w}`, count: ROWS_EACH, startAt }, () => {}));
  expect(await Promise.all(runs.map((r) => r.exited))).toEqual(Array(WRITERS).fill(0));

  const ledger = await openLedger(target);
  try {
    const rows = await ledger.exportRows({});
    expect(rows.length).toBe(WRITERS * ROWS_EACH);
    const ids = new Set(rows.map((r) => r.id));
    const missing = Array.from({ length: WRITERS * ROWS_EACH }, (_, k) => `w${Math.floor(k / ROWS_EACH)}-${k % ROWS_EACH}`).filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
    const perWriter = (ROWS_EACH * (ROWS_EACH + 1)) / 2; // costs 1..500
    const report = await ledger.costs({});
    expect(report.totalNanos).toBe(WRITERS * perWriter);
    expect(report.requests).toBe(WRITERS * ROWS_EACH);
    // sessions are shared by all writers: their upserted totals must add up exactly
    const sessions = await ledger.sessions({ limit: 100 });
    expect(sessions.length).toBe(10);
    expect(sessions.reduce((s, x) => s + x.requests, 0)).toBe(WRITERS * ROWS_EACH);
    expect(sessions.reduce((s, x) => s + x.totalNanos, 0)).toBe(WRITERS * perWriter);
  } finally {
    await ledger.close();
  }
}

describe('concurrent writer processes', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it(`SQLite: ${WRITERS} processes × ${ROWS_EACH} rows into one new file lose nothing to SQLITE_BUSY`, async () => {
    await concurrentWriters({ sqlitePath: join(tmp.dir, 'shared.db') });
  });
});

const pgState = await pgAvailability('ledger/concurrency');
// CI=true / VOICEGW_REQUIRE_PG=1: an unreachable PostgreSQL fails the run instead of skipping
if (!pgState.ok && PG_REQUIRED) throw new Error(pgState.reason);

describe.skipIf(!pgState.ok)('PostgreSQL fleet', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it(`${WRITERS} processes × ${ROWS_EACH} rows (migrating the new database together) lose nothing`, async () => {
    await concurrentWriters({ databaseUrl: db.url });
  });

  it('4 processes × 50 concurrent reserve() calls admit exactly while spent + reserved < budget', async () => {
    const estimate = 7_000;
    const budget = 1_000_000; // admitted while spent + reserved < budget: 143 of the 200 attempted
    const startAt = Date.now() + 2000;
    const admitted: number[] = [];
    const runs = Array.from({ length: 4 }, () =>
      spawnFixture('reserver.ts', { url: db.url, project: 'fleet', day: '2026-11-20', estimate, budget, concurrency: 50, startAt }, (line) => {
        admitted.push((JSON.parse(line) as { admitted: number }).admitted);
      }),
    );
    expect(await Promise.all(runs.map((r) => r.exited))).toEqual([0, 0, 0, 0]);
    const total = admitted.reduce((a, b) => a + b, 0);
    expect(total).toBe(Math.ceil(budget / estimate));

    const ledger = await PostgresLedger.open(db.url);
    try {
      expect(await ledger.budgetDay('fleet', '2026-11-20')).toEqual({ spentNanos: 0, reservedNanos: total * estimate });
      // settling moves reservations to spend and frees room for exactly that much more
      await Promise.all(Array.from({ length: 10 }, () => ledger.settle('fleet', '2026-11-20', estimate, 1_000)));
      await ledger.flush();
      expect(await ledger.budgetDay('fleet', '2026-11-20')).toEqual({ spentNanos: 10_000, reservedNanos: (total - 10) * estimate });
      const more = await Promise.all(Array.from({ length: 20 }, () => ledger.reserve('fleet', '2026-11-20', estimate, budget)));
      const room = budget - 10_000 - (total - 10) * estimate;
      expect(more.filter((r) => r.admitted).length).toBe(Math.ceil(room / estimate));
    } finally {
      await ledger.close();
    }
  });
});
