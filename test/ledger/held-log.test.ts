import { describe, expect, it } from 'vitest';
import { HeldLog } from '../../src/ledger/held-log.js';
import { WriteQueue } from '../../src/ledger/write-queue.js';
import { captureLogs } from '../helpers/logs.js';

/** rows are encodable (strings), statements are not (kept as objects) */
type Item = { row: string } | { statement: number };
const codec = {
  encode: (i: Item) => ('row' in i ? i.row : null),
  decode: (b: Buffer): Item => ({ row: b.toString() }),
};

describe('HeldLog', () => {
  it('keeps the order of rows and statements across chunks, partial takes and items larger than a chunk', () => {
    const log = new HeldLog<Item>(codec.encode, codec.decode);
    const items: Item[] = [];
    for (let i = 0; i < 2000; i++) {
      // ~350-byte rows fill a 64 KB chunk every ~180; a statement now and then; one row bigger than a chunk; non-ASCII text
      const item: Item = i % 97 === 0 ? { statement: i } : { row: `${i}:${i === 1234 ? 'x'.repeat(100_000) : 'é—"\n'.repeat(80)}` };
      items.push(item);
      log.push(item);
    }
    expect(log.size).toBe(2000);
    const taken: Item[] = [];
    for (const n of [1, 50, 179, 180, 181, 7, 1000, 500, 100]) {
      const batch = log.peek(n);
      expect(log.peek(n)).toEqual(batch); // peeking takes nothing out
      taken.push(...batch);
      log.shift(batch.length);
    }
    expect(log.size).toBe(0);
    expect(log.peek(10)).toEqual([]);
    expect(taken).toEqual(items);
  });

  it('appends after a partial take and empties on clear()', () => {
    const log = new HeldLog<Item>(codec.encode, codec.decode);
    for (let i = 0; i < 10; i++) log.push({ row: `a${i}` });
    log.shift(4);
    log.push({ statement: 1 });
    log.push({ row: 'b' });
    expect(log.peek(100)).toEqual([...[4, 5, 6, 7, 8, 9].map((i) => ({ row: `a${i}` })), { statement: 1 }, { row: 'b' }]);
    expect(log.clear()).toBe(8);
    expect(log.size).toBe(0);
    log.push({ row: 'c' });
    expect(log.peek(5)).toEqual([{ row: 'c' }]);
  });
});

describe('WriteQueue while the store refuses writes', () => {
  const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

  it('writes every item once, in the order added, whether it waited held or not; callers go on after the grace', async () => {
    let refusing = false;
    const written: Item[] = [];
    const q = new WriteQueue<Item>(
      (batch) => {
        if (refusing) throw busy();
        written.push(...batch);
      },
      () => 'locked',
      (i) => JSON.stringify(i),
      { batchSize: 7, graceMs: 20, maxBackoffMs: 20, busyToleranceMs: 0 },
      codec,
    );
    const added: Item[] = [];
    const add = (i: Item) => (added.push(i), q.add(i));
    await Promise.all(Array.from({ length: 10 }, (_, i) => add({ row: `before-${i}` }))); // written at once
    refusing = true;
    const first = Array.from({ length: 30 }, (_, i) => add(i % 4 === 0 ? { statement: i } : { row: `held-${i}` }));
    await new Promise((r) => setTimeout(r, 30)); // the first write was refused: these are held now
    expect(q.failing).toBe(true);
    const later = Array.from({ length: 30 }, (_, i) => add({ row: `later-${i}` }));
    await Promise.all([...first, ...later]); // their grace ended: callers went on, nothing written
    expect(written).toHaveLength(10);
    expect(q.health()).toMatchObject({ queued: 60, lost: 0 });
    refusing = false;
    const logs = captureLogs();
    const after = add({ row: 'after' }); // queued behind the backlog
    await q.flush();
    await after;
    logs.restore();
    expect(written).toEqual(added);
    // the first batch after a refusal is a tenth of 7 (1 row): 60 held rows and 'after' are left, not just the rows not held
    expect(logs.lines.find((l) => l.startsWith('ledger recovered'))).toMatch(/\(60 left\)$/);
    expect(q.health()).toMatchObject({ problem: null, queued: 0, lost: 0 });
  });
});
