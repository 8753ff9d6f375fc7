import { afterAll, beforeAll, describe } from 'vitest';
import { createTestDatabase, PG_REQUIRED, pgAvailability } from '../ledger/helpers.js';
import { budgetSuite } from './suite.js';

const pgState = await pgAvailability('budget/postgres');
if (!pgState.ok && PG_REQUIRED) throw new Error(pgState.reason);

describe.skipIf(!pgState.ok)('PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  // one database for the file; every test uses projects of its own
  budgetSuite('PostgreSQL', () => ({ store: async () => ({ databaseUrl: db.url }) }));
});
