import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PG_REQUIRED } from '../ledger/helpers.js';

/** `bench/run.ts --quick --only <figure>` into a temporary results file: its exit, stdout and results */
function runBench(figure: string, timeoutMs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'vgw-bench-smoke-'));
  try {
    const out = join(dir, 'results.json');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--only', figure, '--out', out], {
      cwd: join(import.meta.dirname, '..', '..'),
      encoding: 'utf8',
      timeout: timeoutMs,
    });
    expect(run.status, run.stderr).toBe(0);
    return { stdout: run.stdout, results: JSON.parse(readFileSync(out, 'utf8')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Keeps the benchmark suite from rotting: the runner, a figure's child process and the results file
// must work end to end. Speed itself is never asserted here (bench/ measures it).
describe('bench/run.ts', () => {
  it('--quick --only P4 writes a results file with the P4 figure', () => {
    const { stdout, results } = runBench('P4', 150_000);
    expect(stdout).toContain('P4 budget admit+settle');
    expect(results.machine).toMatchObject({ node: process.version });
    expect(results.machine.cpus).toBeGreaterThan(0);
    const p4 = results.figures.P4;
    expect(p4.error).toBeUndefined();
    for (const side of [p4.data.gateway, p4.data.enforcer]) {
      expect(side.opsPerSecond).toBeGreaterThan(0);
      expect(Number.isFinite(side.nsPerOp)).toBe(true);
    }
    // the budget loop really settled spend (2,000 − 100 nano-USD per operation)
    expect(p4.data.check.spentUsd).toBeGreaterThan(0);
    expect(p4.data.check.reservedUsd).toBe(0);
    // the fleet side: 8 workers admitting on one PostgreSQL project never admit past the rule
    const fleet = p4.data.postgres;
    if (PG_REQUIRED) expect(fleet.skipped).toBeUndefined();
    if (!fleet.skipped) {
      expect(fleet.workers).toBe(8);
      expect(fleet.admitted + fleet.refused).toBe(fleet.admissions);
      expect(fleet.refused).toBeGreaterThan(0); // the run crossed the budget
      expect(fleet.overAdmissions).toBe(0);
      expect(fleet.final.reservedNanos).toBe(0);
      expect(fleet.p99Ms).toBeGreaterThanOrEqual(fleet.p50Ms);
    }
    expect(results.table).toEqual([
      expect.objectContaining({ figure: expect.stringContaining('P4 budget'), pass: expect.any(Boolean) }),
      expect.objectContaining({ figure: expect.stringContaining('P4 PostgreSQL admission') }),
    ]);
    expect(Object.keys(results.figures)).toEqual(['P4']);
  }, 180_000);

  it('--quick --only FRAMES runs a compiled (bundled, no tsx) child against the hosted mocks', () => {
    const frames = runBench('FRAMES', 150_000).results.figures.FRAMES;
    expect(frames.error).toBeUndefined();
    expect(frames.data.frames).toBe(5000);
    for (const side of ['raw', 'dropIn']) expect(Number.isFinite(frames.data.bytesPerFrame[side])).toBe(true);
  }, 180_000);
});
