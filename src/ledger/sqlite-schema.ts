import type Database from 'better-sqlite3';
import { pendingMigrations, SCHEMA_VERSION_DDL } from './migrations.js';
import * as R from './rows.js';

/** Brings a SQLite ledger file to the current schema (the migrations not yet applied, in one transaction). */
export function migrateSqlite(db: Database.Database): void {
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
