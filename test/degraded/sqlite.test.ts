import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../src/gateway.js';
import { SqliteLedger } from '../../src/ledger/sqlite.js';
import { startServer } from '../../src/server/index.js';
import { voicegw } from '../cli/helpers.js';
import { type Mocks, mockProviders, startMocks } from '../helpers/stack.js';
import { makeRow } from '../ledger/helpers.js';
import { callRound, captureLogs, holdWriteLock, waitFor } from './helpers.js';

let mocks: Mocks;
let root: string;
beforeAll(async () => {
  mocks = await startMocks({ openai: { reply: 'I am here.', usage: { prompt: 20, completion: 4, cached: 0 } } });
  root = mkdtempSync(join(tmpdir(), 'vgw-degraded-'));
});
afterAll(async () => {
  await mocks?.close();
  rmSync(root, { recursive: true, force: true });
});

const open = (dbPath: string) =>
  Gateway.open({ dbPath, env: {}, config: { providers: mockProviders(mocks), projects: { support: { name: 'Support', daily_budget: 5 } }, default_project: 'support' } });

interface Breakage {
  name: string;
  /** breaks the ledger location; returns the path to give the gateway and how to repair it */
  break(dir: string): { dbPath: string; repair: () => void };
  problem: RegExp;
}

const BREAKAGES: Breakage[] = [
  {
    name: 'a corrupt file (not a database)',
    break: (dir) => {
      const dbPath = join(dir, 'ledger.db');
      writeFileSync(dbPath, 'this is not an SQLite database\n'.repeat(200));
      return { dbPath, repair: () => renameSync(dbPath, `${dbPath}.corrupt`) };
    },
    problem: /not a valid database.*move it aside/,
  },
  {
    name: 'a read-only directory',
    break: (dir) => {
      const ro = join(dir, 'ro');
      mkdirSync(ro);
      // immutable even for root (chmod is not, and tests may run as root)
      execFileSync('chattr', ['+i', ro]);
      return { dbPath: join(ro, 'ledger.db'), repair: () => execFileSync('chattr', ['-i', ro]) };
    },
    problem: /cannot be written.*write access/,
  },
  {
    name: 'a path that cannot be opened (a directory)',
    break: (dir) => {
      const dbPath = join(dir, 'ledger.db');
      mkdirSync(dbPath);
      return { dbPath, repair: () => rmdirSync(dbPath) };
    },
    problem: /cannot be written/,
  },
];

describe('SQLite ledger unavailable at start-up', () => {
  for (const b of BREAKAGES) {
    it(`${b.name}: calls are served, status says degraded, rows land once it is repaired`, async () => {
      const dir = mkdtempSync(join(root, 'case-'));
      const { dbPath, repair } = b.break(dir);
      const logs = captureLogs();
      let gw: Gateway | null = null;
      try {
        gw = await open(dbPath);
        const before = gw.ledgerStatus();
        expect(before).toMatchObject({ kind: 'sqlite', state: 'degraded', budgets: 'in-process', lostRows: 0 });
        expect(before.problem).toMatch(b.problem);

        await callRound(gw); // STT, LLM and TTS all served while the ledger cannot be opened
        await callRound(gw);
        expect(gw.ledgerStatus()).toMatchObject({ state: 'degraded', queuedRows: 6, lostRows: 0 });
        // budgets keep working in-process, and say their spend is partial
        expect(await gw.budgetStatus('support')).toMatchObject({ status: 'ok', partial: true });
        expect(logs.lines.filter((l) => l.startsWith('ledger degraded:'))).toHaveLength(1); // one clear line, not one per row
        expect(logs.lines.find((l) => l.startsWith('ledger degraded:'))).toMatch(b.problem);

        repair();
        await waitFor(() => gw!.ledgerStatus().state === 'ok', 15_000, 'ledger reopened after repair');
        await gw.drain();
        const rows = await gw.ledger.logs({ project: 'support', limit: 100 });
        expect(rows.map((r) => r.modality).sort()).toEqual(['llm', 'llm', 'stt', 'stt', 'tts', 'tts']);
        expect(rows.every((r) => r.status === 'success')).toBe(true);
        expect(gw.ledgerStatus()).toMatchObject({ state: 'ok', queuedRows: 0, lostRows: 0, budgets: 'ledger' });
        expect((await gw.budgetStatus('support')).partial).toBe(false);
        expect(logs.lines.some((l) => l.startsWith('ledger recovered'))).toBe(true);
      } finally {
        logs.restore();
        await gw?.close();
        try {
          repair();
        } catch {
          /* already repaired */
        }
      }
    }, 60_000);
  }
});

describe('a lock held for a moment at start-up', () => {
  it('the gateway waits for it on timers and opens the ledger, never reporting it degraded', async () => {
    // another worker creating the same new ledger (its migration holds the write lock), or the last
    // connection of a CLI command checkpointing as it closes: several processes starting at once meet this
    const dbPath = join(mkdtempSync(join(root, 'opening-')), 'ledger.db');
    const other = new Database(dbPath);
    other.exec('BEGIN IMMEDIATE');
    const releasing = setTimeout(() => (other.exec('COMMIT'), other.close()), 300);
    const logs = captureLogs();
    let gw: Gateway | null = null;
    try {
      gw = await open(dbPath);
      expect(other.open).toBe(false); // it waited for the release (on a timer this loop ran)
      expect(gw.ledgerStatus()).toMatchObject({ state: 'ok', problem: null, budgets: 'ledger' });
      expect(logs.lines.filter((l) => l.startsWith('ledger degraded:'))).toEqual([]);
      expect(gw.projects().map((p) => p.id)).toContain('support');
      expect(await gw.budgetStatus('support')).toMatchObject({ partial: false, spentUsd: 0 });
    } finally {
      clearTimeout(releasing);
      if (other.open) other.close();
      logs.restore();
      await gw?.close();
    }
  });
});

describe('another process holds the SQLite write lock', () => {
  it('the event loop never waits for it, every call is served, and every row is written once it is released', async () => {
    const dbPath = join(mkdtempSync(join(root, 'lock-')), 'ledger.db');
    const gw = await open(dbPath);
    const logs = captureLogs();
    try {
      await callRound(gw); // plugins loaded, ledger migrated
      const lock = await holdWriteLock(dbPath, 6000);
      const lockedAt = Date.now();
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      let rounds = 0;
      while (Date.now() - lockedAt < 3000) {
        await callRound(gw);
        rounds++;
      }
      delay.disable();
      // one line, and status/metrics say what is going on while it lasts
      expect(gw.ledgerStatus()).toMatchObject({ state: 'degraded', queuedRows: rounds * 3, lostRows: 0 });
      expect(gw.ledgerStatus().problem).toMatch(/locked by another process.*fuser/);
      expect(logs.lines.filter((l) => l.startsWith('ledger degraded:'))).toHaveLength(1);
      // the worst stall of the loop (main: ~5 s per row, busy_timeout, then Atomics.wait retries);
      // the 5 ms target is measured by `npm run bench`: here the bound only allows for a loaded machine
      expect(delay.max / 1e6).toBeLessThan(1000);

      const releasedAt = await lock.released;
      await waitFor(() => gw.ledgerStatus().queuedRows === 0, 5000, 'queued rows written after the lock was released');
      const landedMs = Date.now() - releasedAt;
      const rows = await gw.ledger.logs({ project: 'support', limit: 1000 });
      expect(rows).toHaveLength((rounds + 1) * 3);
      expect(gw.ledgerStatus()).toMatchObject({ state: 'ok', lostRows: 0 });
      console.info(`[degraded] ${rounds} rounds (${rounds * 3} requests) served under a held write lock; worst loop stall ${(delay.max / 1e6).toFixed(1)} ms; rows landed ${landedMs} ms after release`);
    } finally {
      logs.restore();
      await gw.close();
    }
  }, 60_000);
});

/** Fills the file system under `dir` to the last byte with one file; returns its path. */
function fillDisk(dir: string): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    for (;;) {
      try {
        writeSync(fd, block, 0, 1); // the last bytes of a partly used block
      } catch {
        break;
      }
    }
  } finally {
    closeSync(fd);
  }
  return filler;
}

describe('the disk fills up while the worker runs', () => {
  it('writes fail with SQLITE_FULL: calls are served, rows wait, status says disk full, and they land when space returns', async () => {
    const dir = mkdtempSync(join(root, 'full-'));
    // a 2 MB file system of its own (tmpfs), so the rest of the machine never fills up
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir]);
    const dbPath = join(dir, 'ledger.db');
    const logs = captureLogs();
    let gw: Gateway | null = null;
    try {
      gw = await open(dbPath);
      await callRound(gw); // plugins loaded, ledger migrated and written
      expect(gw.ledgerStatus().state).toBe('ok');
      const filler = fillDisk(dir);
      // the WAL reuses its space after a checkpoint: write until a commit needs a new page
      let recorded = 0;
      while (gw.ledgerStatus().state === 'ok' && recorded < 5000) {
        await gw.ledger.record(makeRow({ id: `full-${recorded++}`, project: 'support', error: 'x'.repeat(500) }));
      }
      expect(gw.ledgerStatus()).toMatchObject({ state: 'degraded', lostRows: 0 });
      expect(gw.ledgerStatus().problem).toMatch(/disk full under .*SQLITE_FULL.*free space there/);
      await callRound(gw); // the call is served while nothing can be written
      expect(gw.ledgerStatus().queuedRows).toBeGreaterThanOrEqual(3);
      expect(logs.lines.filter((l) => l.startsWith('ledger degraded:'))).toHaveLength(1);

      unlinkSync(filler); // space returns
      await waitFor(() => gw!.ledgerStatus().state === 'ok' && gw!.ledgerStatus().queuedRows === 0, 15_000, 'queued rows written once space returned');
      await gw.drain();
      const ids = new Set((await gw.ledger.exportRows({ project: 'support' })).map((r) => r.id));
      expect(Array.from({ length: recorded }, (_, i) => `full-${i}`).filter((id) => !ids.has(id))).toEqual([]);
      expect((await gw.ledger.costs({ project: 'support' })).requests).toBe(ids.size);
      expect(ids.size).toBe(recorded + 6); // and the two call rounds' STT, LLM and TTS rows
      expect(gw.ledgerStatus()).toMatchObject({ state: 'ok', lostRows: 0 });
      expect(logs.lines.some((l) => l.startsWith('ledger recovered'))).toBe(true);
    } finally {
      logs.restore();
      await gw?.close();
      execFileSync('umount', ['-l', dir]);
    }
  }, 60_000);
});

describe('the surfaces say the ledger is degraded', () => {
  it('/health, /v1/status, Prometheus and voicegw status name the problem and count queued and lost rows', async () => {
    const dir = mkdtempSync(join(root, 'surfaces-'));
    const dbPath = join(dir, 'ledger.db');
    writeFileSync(dbPath, 'garbage, not SQLite\n'.repeat(100));
    const gw = await open(dbPath);
    const server = await startServer(gw, { host: '127.0.0.1', port: 0 });
    try {
      await callRound(gw);
      const health = await (await fetch(`${server.url}/health`)).json();
      expect(health).toMatchObject({ status: 'degraded', ledger: { state: 'degraded', queued_rows: 3, lost_rows: 0 } });
      const status = await (await fetch(`${server.url}/v1/status`)).json();
      expect(status.ledger).toMatchObject({ kind: 'sqlite', location: dbPath, state: 'degraded', queued_rows: 3, lost_rows: 0, budgets: 'in-process' });
      expect(status.ledger.problem).toMatch(/not a valid database/);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/^voicegw_ledger_degraded 1$/m);
      expect(metrics).toMatch(/^voicegw_ledger_queued_rows 3$/m);
      expect(metrics).toMatch(/^voicegw_ledger_lost_rows 0$/m);

      writeFileSync(join(dir, 'voicegw.yaml'), `cost_tracking:\n  db_path: ${dbPath}\n`);
      const cli = await voicegw(['--config', join(dir, 'voicegw.yaml'), 'status', '--json'], { cwd: dir, env: { HOME: dir } });
      expect(cli.code, cli.stderr).toBe(0);
      expect(JSON.parse(cli.stdout).ledger).toMatchObject({ state: 'degraded', budgets: 'in-process' });
      expect(cli.stderr).toMatch(/ledger degraded: .*not a valid database/);
      const text = await voicegw(['--config', join(dir, 'voicegw.yaml'), 'status'], { cwd: dir, env: { HOME: dir } });
      expect(text.stdout).toMatch(/Ledger:\s+sqlite .*DEGRADED since .*not a valid database/);
      // a spend the ledger cannot confirm is never shown as a plain $0.00
      const projects = await voicegw(['--config', join(dir, 'voicegw.yaml'), 'projects'], { cwd: dir, env: { HOME: dir } });
      expect(projects.code, projects.stderr).toBe(0);
      expect(projects.stdout).toMatch(/^default .*\$0\.0000\*/m);
      expect(projects.stdout).toMatch(/^\* partial: the ledger cannot be read, so this counts only this process's requests \(SQLite ledger .* not a valid database/m);
    } finally {
      await server.close();
      await gw.close();
    }
  }, 120_000);
});

describe('the queue is bounded', () => {
  it('rows beyond maxQueued are dropped, counted and logged; the queued ones land after release', async () => {
    const dbPath = join(mkdtempSync(join(root, 'bounded-')), 'ledger.db');
    const ledger = SqliteLedger.open(dbPath, { queue: { maxQueued: 5, busyToleranceMs: 0 } });
    const logs = captureLogs();
    try {
      const lock = await holdWriteLock(dbPath, 1500);
      for (let i = 0; i < 8; i++) await ledger.record(makeRow({ id: `bounded-${i}`, project: 'bounded' }));
      expect(ledger.health()).toMatchObject({ queued: 5, lost: 3 });
      expect(ledger.health().problem).toMatch(/locked by another process/);
      expect(logs.lines.filter((l) => /bounded-[567] .*NOT recorded: .*queue full/.test(l))).toHaveLength(3);
      await lock.released;
      await ledger.flush();
      expect((await ledger.exportRows({})).map((r) => r.id).sort()).toEqual(['bounded-0', 'bounded-1', 'bounded-2', 'bounded-3', 'bounded-4']);
      expect(ledger.health()).toMatchObject({ problem: null, queued: 0, lost: 3 });
    } finally {
      logs.restore();
      await ledger.close();
    }
  }, 30_000);
});
