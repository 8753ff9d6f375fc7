import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import type { LedgerTarget } from '../../src/ledger/types.js';
import { tempDir } from './helpers.js';
import { ledgerSuite } from './suite.js';

const tmp = tempDir();
let n = 0;
afterAll(() => tmp.cleanup());

ledgerSuite('SQLite', () => ({
  fresh: async () => ({ sqlitePath: join(tmp.dir, `ledger-${++n}.db`) }),
  schemaVersions: async (target: LedgerTarget) => {
    const db = new Database(target.sqlitePath!, { readonly: true });
    try {
      return (db.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[]).map((r) => r.version);
    } finally {
      db.close();
    }
  },
}));
