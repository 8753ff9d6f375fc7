/**
 * Versioned schema migrations. Each version has one script per dialect; both dialects expose the
 * same tables and columns to the shared queries (storage layout may differ, as in v2).
 * `schema_version` records what ran. Append new versions, never edit old ones.
 *
 * Money columns are integer nano-USD (`cost_nanos` NULL = unknown price). Times are epoch ms.
 * `request_hours` and `sessions` are aggregates, so reports never scan raw rows beyond the partial
 * hours at a window's edges. PostgreSQL maintains them in each batch's transaction; SQLite folds
 * them in from `aggregate_inbox` (v2, see `sqlite-aggregates.ts`). Every index on `requests` costs
 * write throughput (one more page per commit), so there is none on `model`: per-model figures come
 * from `request_hours`, whose key starts with the report's grouping columns so a report aggregates
 * in key order without sorting.
 */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

type Dialect = 'sqlite' | 'postgres';

/** v1 written once for both dialects: only the integer, real and identity types differ. */
function v1(d: Dialect): string {
  const big = d === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const real = d === 'sqlite' ? 'REAL' : 'DOUBLE PRECISION';
  const serial = d === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY';
  const noRowid = d === 'sqlite' ? ' WITHOUT ROWID' : '';
  return `
CREATE TABLE requests (
  id TEXT PRIMARY KEY,
  ts ${big} NOT NULL,
  project TEXT NOT NULL,
  session_id TEXT,
  modality TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  input_units ${real} NOT NULL DEFAULT 0,
  output_units ${real} NOT NULL DEFAULT 0,
  cached_units ${real} NOT NULL DEFAULT 0,
  cost_nanos ${big},
  pricing_source TEXT NOT NULL DEFAULT '',
  ttfb_ms ${real},
  latency_ms ${real},
  status TEXT NOT NULL,
  fallback_from TEXT,
  error TEXT,
  throttle TEXT,
  guardrail_findings INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX requests_ts ON requests (ts);
CREATE INDEX requests_project_ts ON requests (project, ts);
CREATE INDEX requests_session ON requests (session_id, ts);

CREATE TABLE request_hours (
  hour ${big} NOT NULL,
  project TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  modality TEXT NOT NULL,
  cost_nanos ${big} NOT NULL DEFAULT 0,
  requests ${big} NOT NULL DEFAULT 0,
  unpriced ${big} NOT NULL DEFAULT 0,
  PRIMARY KEY (project, provider, model, modality, hour)
)${noRowid};
CREATE INDEX request_hours_hour ON request_hours (hour);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  project TEXT NOT NULL,
  started_at ${big} NOT NULL,
  ended_at ${big} NOT NULL,
  stt_nanos ${big} NOT NULL DEFAULT 0,
  llm_nanos ${big} NOT NULL DEFAULT 0,
  tts_nanos ${big} NOT NULL DEFAULT 0,
  requests ${big} NOT NULL DEFAULT 0,
  unpriced ${big} NOT NULL DEFAULT 0
)${noRowid};
CREATE INDEX sessions_ended ON sessions (ended_at);
CREATE INDEX sessions_project_ended ON sessions (project, ended_at);

CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  daily_budget_nanos ${big} NOT NULL DEFAULT 0,
  budget_action TEXT NOT NULL DEFAULT 'warn',
  tags TEXT NOT NULL DEFAULT '[]',
  created_at ${big} NOT NULL,
  updated_at ${big} NOT NULL
);

CREATE TABLE audit_log (
  id ${serial},
  ts ${big} NOT NULL,
  actor TEXT NOT NULL,
  source TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_ts ON audit_log (ts);

CREATE TABLE guardrail_events (
  id ${serial},
  ts ${big} NOT NULL,
  project TEXT NOT NULL,
  session_id TEXT,
  request_id TEXT,
  category TEXT NOT NULL,
  detector TEXT NOT NULL,
  action TEXT NOT NULL,
  direction TEXT NOT NULL,
  excerpt TEXT NOT NULL DEFAULT ''
);
CREATE INDEX guardrail_events_ts ON guardrail_events (ts);
CREATE INDEX guardrail_events_project_ts ON guardrail_events (project, ts);

CREATE TABLE budget_events (
  id ${serial},
  ts ${big} NOT NULL,
  project TEXT NOT NULL,
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  spent_nanos ${big} NOT NULL,
  budget_nanos ${big} NOT NULL
);
CREATE INDEX budget_events_ts ON budget_events (ts);
CREATE INDEX budget_events_project_ts ON budget_events (project, ts);

CREATE TABLE budget_days (
  project TEXT NOT NULL,
  day TEXT NOT NULL,
  spent_nanos ${big} NOT NULL DEFAULT 0,
  reserved_nanos ${big} NOT NULL DEFAULT 0,
  PRIMARY KEY (project, day)
)${noRowid};
`;
}

/**
 * v2, SQLite only: every page a commit touches is one more WAL frame, so `record()` writes as few
 * as it can. `requests` is keyed by (ts, id) without a rowid (the table is its own time index: no
 * separate id and ts indexes), and the aggregates leave the per-row transaction for an append-only
 * inbox that is folded in batches. A row's identity is (ts, id): a retried record has both.
 */
const V2_SQLITE = `
CREATE TABLE requests_v2 (
  id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  project TEXT NOT NULL,
  session_id TEXT,
  modality TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  input_units REAL NOT NULL DEFAULT 0,
  output_units REAL NOT NULL DEFAULT 0,
  cached_units REAL NOT NULL DEFAULT 0,
  cost_nanos INTEGER,
  pricing_source TEXT NOT NULL DEFAULT '',
  ttfb_ms REAL,
  latency_ms REAL,
  status TEXT NOT NULL,
  fallback_from TEXT,
  error TEXT,
  throttle TEXT,
  guardrail_findings INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (ts, id)
) WITHOUT ROWID;
INSERT INTO requests_v2 SELECT * FROM requests ORDER BY ts, id;
DROP TABLE requests;
ALTER TABLE requests_v2 RENAME TO requests;
CREATE INDEX requests_project_ts ON requests (project, ts);
CREATE INDEX requests_session ON requests (session_id, ts);

CREATE TABLE aggregate_inbox (
  ts INTEGER NOT NULL,
  ended_at INTEGER NOT NULL,
  project TEXT NOT NULL,
  session_id TEXT,
  modality TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  cost_nanos INTEGER
);
`;

const V3_SETTINGS = `ALTER TABLE projects ADD COLUMN settings TEXT NOT NULL DEFAULT '{}'`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sqlite: v1('sqlite'), postgres: v1('postgres') },
  { version: 2, name: 'sqlite: (ts, id) request key and aggregate inbox', sqlite: V2_SQLITE, postgres: 'SELECT 1 -- SQLite layout only' },
  { version: 3, name: 'sessions: realtime spend', sqlite: v3('INTEGER'), postgres: v3('BIGINT') },
  { version: 4, name: 'alert deliveries', sqlite: v4('INTEGER'), postgres: v4('BIGINT') },
  // runtime projects carry every field a YAML project can (block message, fallbacks, guardrails …) as JSON
  { version: 5, name: 'projects.settings', sqlite: V3_SETTINGS, postgres: V3_SETTINGS },
];

/**
 * v4: one row per (project, day, event, webhook): inserted if absent by the process that claims the
 * alert, so a fleet sends each alert once; then its delivery state (pending → sent | failed).
 */
function v4(big: string): string {
  return `
CREATE TABLE alert_deliveries (
  project TEXT NOT NULL,
  day TEXT NOT NULL,
  event TEXT NOT NULL,
  target TEXT NOT NULL,
  claimed_at ${big} NOT NULL,
  updated_at ${big} NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  PRIMARY KEY (project, day, event, target)
);
CREATE INDEX alert_deliveries_updated ON alert_deliveries (updated_at);`;
}

/** v3: speech-to-speech (modality `realtime`) spend of a session, beside stt/llm/tts. */
function v3(big: string): string {
  return `ALTER TABLE sessions ADD COLUMN realtime_nanos ${big} NOT NULL DEFAULT 0;`;
}

/** Created before any migration runs (both dialects accept this text). */
export const SCHEMA_VERSION_DDL = `CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

export function pendingMigrations(applied: number): Migration[] {
  return MIGRATIONS.filter((m) => m.version > applied);
}
