import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/ledger/index.js';
import type { LedgerTarget } from '../../src/ledger/types.js';
import { adminQuery, createTestDatabase, PG_REQUIRED, pgAvailability, spawnFixture, tempDir } from './helpers.js';

/**
 * kill -9 a writer after it has reported N completed record() calls: every reported row must be in
 * the ledger, plus at most the one row whose record() was under way when the signal landed.
 */
async function killMidRun(target: LedgerTarget, killAfter: number, afterKill: () => Promise<void> = async () => {}): Promise<void> {
  const printed: string[] = [];
  const { exited } = spawnFixture('writer.ts', { target, prefix: 'crash', count: 1_000_000 }, (line, child) => {
    if (!line.startsWith('ok ')) return;
    printed.push(line.slice(3));
    if (printed.length === killAfter) child.kill('SIGKILL');
  });
  await exited;
  await afterKill();
  expect(printed.length).toBeGreaterThanOrEqual(killAfter);

  const ledger = await openLedger(target);
  try {
    const ids = new Set((await ledger.exportRows({})).map((r) => r.id));
    const missing = printed.filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
    expect(ids.size - printed.length).toBeLessThanOrEqual(1);
    // every committed row reaches the aggregates exactly once (SQLite: via the inbox, folded here)
    const report = await ledger.costs({});
    expect(report.requests).toBe(ids.size);
  } finally {
    await ledger.close();
  }
}

describe('kill -9 durability', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('SQLite: every row whose record() returned survives SIGKILL', async () => {
    await killMidRun({ sqlitePath: join(tmp.dir, 'crash.db') }, 300);
  });
});

const pgState = await pgAvailability('ledger/crash');
// CI=true / VOICEGW_REQUIRE_PG=1: an unreachable PostgreSQL fails the run instead of skipping
if (!pgState.ok && PG_REQUIRED) throw new Error(pgState.reason);

describe.skipIf(!pgState.ok)('kill -9 durability on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('PostgreSQL: every row whose record() resolved survives SIGKILL', async () => {
    // the server may still commit the dead client's last statement: wait until its backend is gone
    const backendsGone = async () => {
      for (let i = 0; i < 250; i++) {
        const { rows } = await adminQuery('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [db.name]);
        if (rows[0].n === 0) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('the killed writer still has a backend after 5 s');
    };
    await killMidRun({ databaseUrl: db.url }, 100, backendsGone);
  });
});
