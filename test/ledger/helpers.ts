import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import type { LedgerTarget, RequestRecord } from '../../src/ledger/types.js';

export const T0 = Date.UTC(2026, 10, 20, 0, 0, 0);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function makeRow(over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: randomUUID(),
    ts: T0,
    project: 'support',
    sessionId: null,
    modality: 'llm',
    provider: 'openai',
    model: 'gpt-4.1-mini',
    inputUnits: 1200,
    outputUnits: 80,
    cachedUnits: 1000,
    costNanos: 308_000,
    pricingSource: 'openai.com/api/pricing@2025-06-01',
    ttfbMs: 120.5,
    latencyMs: 900.25,
    status: 'success',
    fallbackFrom: null,
    error: null,
    throttle: null,
    guardrailFindings: 0,
    ...over,
  };
}

export { prng } from '../helpers/prng.js';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'voicegw-ledger-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---- PostgreSQL -------------------------------------------------------------------------------

export const PG_ADMIN_URL = process.env.VOICEGW_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** CI=true or VOICEGW_REQUIRE_PG=1: an unreachable PostgreSQL fails the run instead of skipping. */
export const PG_REQUIRED = process.env.CI === 'true' || process.env.VOICEGW_REQUIRE_PG === '1';

export async function probePg(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: `PostgreSQL at ${PG_ADMIN_URL} is unreachable (${err instanceof Error ? err.message : String(err)})` };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Probes once per test file and prints why the PostgreSQL tests are skipped. */
export async function pgAvailability(suite: string): Promise<{ ok: boolean; reason: string }> {
  const probe = await probePg();
  if (probe.ok) return { ok: true, reason: '' };
  console.warn(`[${suite}] PostgreSQL tests ${PG_REQUIRED ? 'FAIL' : 'skipped'}: ${probe.reason}. Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`);
  return { ok: false, reason: probe.reason };
}

export async function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** A database of its own for one test file, dropped afterwards. */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `voicegw_test_${process.pid}_${randomUUID().slice(0, 8)}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await adminQuery(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => {});
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

// ---- child processes --------------------------------------------------------------------------

const FIXTURES = new URL('./fixtures/', import.meta.url);

/** Starts a TypeScript fixture under node with the tsx loader; lines of its stdout go to `onLine`. */
export function spawnFixture(script: string, args: unknown, onLine: (line: string, child: ChildProcess) => void): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL(script, FIXTURES).pathname, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VOICEGW_LOG_LEVEL: 'error' },
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => onLine(line, child));
  const exited = new Promise<number | null>((resolve) => {
    // 'close' fires after stdout is fully read, so every printed line has been seen
    child.on('close', (code) => {
      if (code !== 0 && code !== null) console.error(`${script} exited ${code}: ${stderr}`);
      resolve(code);
    });
  });
  return { child, exited };
}

export type { LedgerTarget };
