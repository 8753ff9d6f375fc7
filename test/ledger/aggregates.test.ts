import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/ledger/migrations.js';
import { SqliteLedger } from '../../src/ledger/sqlite.js';
import { HOUR, makeRow, T0, tempDir } from './helpers.js';

const tmp = tempDir();
let n = 0;
afterAll(() => tmp.cleanup());
const newPath = () => join(tmp.dir, `agg-${++n}.db`);

/** rows waiting in the inbox, and rows of the two aggregate tables, read on a separate connection */
function peek(path: string): { inbox: number; hours: number; sessions: number } {
  const db = new Database(path, { readonly: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { inbox: count('aggregate_inbox'), hours: count('request_hours'), sessions: count('sessions') };
  } finally {
    db.close();
  }
}

describe('SQLite aggregates fold from the inbox', () => {
  it('record() commits the row and an inbox entry only; a read folds first, so reports are exact', async () => {
    const path = newPath();
    const ledger = SqliteLedger.open(path);
    await Promise.all(Array.from({ length: 10 }, (_, i) => ledger.record(makeRow({ sessionId: `s-${i % 2}`, ts: T0 + i * HOUR, modality: i % 2 ? 'tts' : 'llm' }))));
    expect(peek(path)).toEqual({ inbox: 10, hours: 0, sessions: 0 });

    const report = await ledger.costs({});
    expect(report.requests).toBe(10);
    expect(report.totalNanos).toBe(10 * 308_000);
    expect(peek(path)).toEqual({ inbox: 0, hours: 10, sessions: 2 });
    expect((await ledger.session('s-1'))?.requests).toBe(5);
    await ledger.close();
  });

  it('folds on the next turn of the event loop after everyRows rows, and in the same turn after maxRows', async () => {
    const path = newPath();
    const ledger = SqliteLedger.open(path, { aggregates: { everyRows: 4, maxRows: 16 } });
    await Promise.all([ledger.record(makeRow()), ledger.record(makeRow()), ledger.record(makeRow())]);
    await tick();
    expect(peek(path).inbox).toBe(3); // below everyRows: nothing scheduled
    await ledger.record(makeRow());
    expect(peek(path).inbox).toBe(4);
    await tick();
    expect(peek(path).inbox).toBe(0);

    // 20 rows committed in one turn (one group commit): folded before their record() resolves
    await Promise.all(Array.from({ length: 20 }, () => ledger.record(makeRow())));
    expect(peek(path).inbox).toBe(0);
    expect((await ledger.costs({})).requests).toBe(24);
    await ledger.close();
  });

  it('any process folds what another left in the inbox, exactly once', async () => {
    const path = newPath();
    const writer = SqliteLedger.open(path);
    const reader = SqliteLedger.open(path);
    await Promise.all(Array.from({ length: 5 }, () => writer.record(makeRow({ sessionId: 'shared' }))));
    expect((await reader.costs({})).requests).toBe(5);
    await writer.record(makeRow({ sessionId: 'shared' }));
    expect((await writer.costs({})).requests).toBe(6);
    expect((await reader.costs({})).requests).toBe(6);
    expect((await reader.session('shared'))?.requests).toBe(6);
    await writer.close();
    await reader.close();
  });

  it('close() folds the inbox, and a retried row adds nothing to it', async () => {
    const path = newPath();
    const ledger = SqliteLedger.open(path);
    const row = makeRow({ sessionId: 's' });
    await Promise.all([ledger.record(row), ledger.record(row)]); // one group commit: the second insert is ignored
    expect(peek(path).inbox).toBe(1);
    await ledger.close();
    expect(peek(path)).toEqual({ inbox: 0, hours: 1, sessions: 1 });
  });
});

describe('SQLite schema v2 migration', () => {
  it('moves a v1 file’s rows to the (ts, id) table and keeps its aggregates', async () => {
    const path = newPath();
    const v1 = new Database(path);
    v1.exec(MIGRATIONS[0]!.sqlite);
    v1.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    v1.prepare('INSERT INTO schema_version VALUES (1, ?, 0)').run(MIGRATIONS[0]!.name);
    const rows = Array.from({ length: 50 }, (_, i) =>
      makeRow({ id: `req-${i}`, ts: T0 + i * 600_000, sessionId: `s-${i % 3}`, costNanos: i % 7 ? 1000 + i : null }),
    );
    const insert = v1.prepare(
      `INSERT INTO requests (id, ts, project, session_id, modality, provider, model, input_units, output_units, cached_units,
        cost_nanos, pricing_source, ttfb_ms, latency_ms, status, fallback_from, error, throttle, guardrail_findings)
       VALUES (@id, @ts, @project, @sessionId, @modality, @provider, @model, @inputUnits, @outputUnits, @cachedUnits,
        @costNanos, @pricingSource, @ttfbMs, @latencyMs, @status, @fallbackFrom, @error, @throttle, @guardrailFindings)`,
    );
    for (const r of rows) insert.run(r);
    v1.close();

    const ledger = SqliteLedger.open(path);
    ledger.rebuildAggregates(); // what the v1 file's own aggregates would hold
    const migrated = await ledger.exportRows({});
    expect(migrated).toEqual(rows);
    const report = await ledger.costs({});
    expect(report.requests).toBe(50);
    expect(report.totalNanos).toBe(rows.reduce((sum, r) => sum + (r.costNanos ?? 0), 0));
    expect(report.unpriced).toBe(rows.filter((r) => r.costNanos === null).length);
    await ledger.close();

    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(() => db.prepare('SELECT rowid FROM requests').get()).toThrow(/rowid/);
    db.close();
  });
});
