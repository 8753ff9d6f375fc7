import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { LedgerTarget } from '../../src/ledger/types.js';
import { createTestDatabase, PG_REQUIRED, pgAvailability } from './helpers.js';
import { ledgerSuite } from './suite.js';

const pgState = await pgAvailability('ledger/postgres');

// CI=true / VOICEGW_REQUIRE_PG=1: an unreachable PostgreSQL fails the run instead of skipping
if (!pgState.ok && PG_REQUIRED) throw new Error(pgState.reason);

describe.skipIf(!pgState.ok)('PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function query(sql: string): Promise<pg.QueryResult> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  }

  ledgerSuite('PostgreSQL', () => ({
    // one database per run; each test starts from empty tables
    fresh: async (): Promise<LedgerTarget> => {
      const exists = await query(`SELECT to_regclass('requests') IS NOT NULL AS e`);
      if (exists.rows[0].e) {
        await query('TRUNCATE requests, request_hours, sessions, projects, audit_log, guardrail_events, budget_events, budget_days');
      }
      return { databaseUrl: db.url, postgres: { maxBackoffMs: 200, closeTimeoutMs: 1000 } };
    },
    schemaVersions: async () => (await query('SELECT version FROM schema_version ORDER BY version')).rows.map((r) => Number(r.version)),
  }));
});
