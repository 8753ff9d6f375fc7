import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { pendingMigrations, SCHEMA_VERSION_DDL } from './migrations.js';
import * as R from './rows.js';

/**
 * The connection's page cache. Writes touch a few pages per row and reports read the small
 * aggregate tables, so a small cache costs them little (P3 unchanged, reports +1–5 ms on 300k rows),
 * while dropping it after another process's commit takes ~2 ms instead of 70+ ms.
 */
export const PAGE_CACHE_KIB = 512;

/** The ledger's connection to `location`, configured and migrated to the current schema. */
export function openSqliteConnection(location: string): Database.Database {
  if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
  // timeout 0: a lock held elsewhere fails at once (the write queues) instead of sleeping the loop
  const db = new Database(location, { timeout: 0 });
  try {
    // new files only: every commit writes (and checksums) each page it touched to the WAL, so
    // smaller pages make record() cheaper; reports read the small aggregate tables
    db.pragma('page_size = 2048');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // a commit by another process makes SQLite drop this connection's whole page cache at its next
    // transaction, on the event loop: ~9 µs per cached page, 70+ ms for better-sqlite3's default 16 MB
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    migrateSqlite(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Brings a SQLite ledger file to the current schema (the migrations not yet applied, in one transaction). */
function migrateSqlite(db: Database.Database): void {
  const migrate = db.transaction(() => {
    db.exec(SCHEMA_VERSION_DDL);
    const applied = R.num((db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as R.DbRow).v);
    for (const m of pendingMigrations(applied)) {
      db.exec(m.sqlite);
      db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    }
  });
  // the version is read first, so a file already migrated opens without the write lock;
  // IMMEDIATE: several workers opening one new file at once serialize here instead of racing
  const versioned = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  const current = versioned ? R.num((db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as R.DbRow).v) : 0;
  if (pendingMigrations(current).length > 0) migrate.immediate();
}
