import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from '../../src/inference/replay.js';

// Found by bench/memory.ts: an STT stream lives as long as the call, and its replay buffer kept
// every audio frame. (Belongs beside test/core/replay.test.ts.)
describe('ReplayBuffer.release()', () => {
  it('after output began, the reader still sees every item in order but passed items are not kept', async () => {
    const b = new ReplayBuffer<number>();
    for (let i = 0; i < 100; i++) b.push(i);
    const ac = new AbortController();
    const seen: number[] = [];
    const reading = (async () => {
      for await (const x of b.read(ac.signal)) {
        seen.push(x);
        if (x === 9) b.release(); // the first transcript arrived
      }
    })();
    for (let i = 100; i < 5000; i++) {
      b.push(i);
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    b.end();
    await reading;
    expect(seen).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(b.items.length).toBeLessThanOrEqual(1);
  });

  it('until then, everything is kept for a fallback attempt', async () => {
    const b = new ReplayBuffer<number>();
    const ac = new AbortController();
    for (let i = 0; i < 50; i++) b.push(i);
    b.end();
    for await (const _ of b.read(ac.signal)) void _;
    expect(b.items).toHaveLength(50);
    const again: number[] = [];
    for await (const x of b.read(ac.signal)) again.push(x);
    expect(again).toHaveLength(50);
  });
});
