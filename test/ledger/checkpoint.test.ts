import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../src/ledger/sqlite.js';
import { makeRow, tempDir } from './helpers.js';

const tmp = tempDir();
let n = 0;
afterAll(() => tmp.cleanup());

/** Records `rows` rows one commit at a time, yielding to the event loop as a live worker would. */
async function write(ledger: SqliteLedger, rows: number): Promise<void> {
  for (let i = 0; i < rows; i++) {
    ledger.record(makeRow({ sessionId: `s-${i % 7}`, ts: Date.UTC(2026, 10, 20, i % 24) }));
    if (i % 4 === 3) await tick();
  }
  await tick();
}

const walBytes = (path: string) => statSync(`${path}-wal`).size;

describe('SQLite WAL checkpoints', () => {
  it('keep the WAL short from the event loop, without a thread, at a voice worker’s write rate', async () => {
    const inline = join(tmp.dir, `inline-${++n}.db`);
    // a share of 1 means "never move to a thread", so the comparison below is deterministic
    const ledger = SqliteLedger.open(inline, { checkpoint: { everyRows: 32, maxLoopShare: 1 } });
    await write(ledger, 600);
    const withCheckpoints = walBytes(inline);
    expect(ledger.checkpointMode).toBe('inline');
    await ledger.close();

    const never = join(tmp.dir, `never-${++n}.db`);
    const unchecked = SqliteLedger.open(never, { checkpoint: { everyRows: Number.MAX_SAFE_INTEGER } });
    await write(unchecked, 600);
    const without = walBytes(never);
    await unchecked.close();

    // PASSIVE checkpoints let SQLite rewind the WAL: it stays near 32 commits' worth of pages
    expect(withCheckpoints).toBeLessThan(without / 5);
  });

  it('move to a worker thread once inline checkpoints take too much of the event loop', async () => {
    const path = join(tmp.dir, `busy-${++n}.db`);
    const ledger = SqliteLedger.open(path, { checkpoint: { everyRows: 8, maxLoopShare: 0 } });
    await write(ledger, 16);
    expect(ledger.checkpointMode).toBe('thread');
    await write(ledger, 200); // rows keep landing while the thread checkpoints
    expect((await ledger.costs({ from: 0, to: Date.now() + 1 })).totalNanos).toBe(216 * 308_000);
    await ledger.close();
  });

  it('move to a worker thread when one turn commits many rows (a backlog or a bulk job)', async () => {
    const path = join(tmp.dir, `loop-${++n}.db`);
    const ledger = SqliteLedger.open(path, { checkpoint: { everyRows: 4, maxLoopShare: 1 } });
    await Promise.all(Array.from({ length: 31 }, () => ledger.record(makeRow()))); // one group commit of 31 rows
    expect(ledger.checkpointMode).toBe('inline');
    await tick(); // its inline checkpoint
    await Promise.all(Array.from({ length: 32 }, () => ledger.record(makeRow()))); // 8 × everyRows in one turn
    expect(ledger.checkpointMode).toBe('thread');
    await ledger.close();
  });

  it('on the thread, truncate a WAL that a backlog grew, there and not inside a commit', async () => {
    const path = join(tmp.dir, `truncate-${++n}.db`);
    const ledger = SqliteLedger.open(path, { checkpoint: { everyRows: 8, maxLoopShare: 0, truncateAboveBytes: 256 * 1024 } });
    await write(ledger, 16);
    expect(ledger.checkpointMode).toBe('thread');
    // a backlog: 3,000 rows committed as fast as the queue writes them (100 per turn)
    await Promise.all(Array.from({ length: 3000 }, (_, i) => ledger.record(makeRow({ ts: Date.UTC(2026, 10, 21) + i }))));
    const grown = walBytes(path);
    expect(grown).toBeGreaterThan(256 * 1024);
    // PASSIVE checkpoints alone rewind the WAL but never shrink the file (it would stay `grown`)
    const deadline = Date.now() + 10_000;
    while (walBytes(path) >= 256 * 1024 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(walBytes(path)).toBeLessThan(256 * 1024);
    await write(ledger, 20); // writes that met the thread's lock were queued, not lost
    expect((await ledger.costs({ from: 0, to: Date.now() + 1 })).requests).toBe(3036);
    await ledger.close();
  });

  it('do not run for an in-memory ledger', async () => {
    const ledger = SqliteLedger.open(':memory:');
    expect(ledger.checkpointMode).toBe('none');
    await ledger.close();
  });
});
