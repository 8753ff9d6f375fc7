import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from '../../src/inference/replay.js';

describe('ReplayBuffer', () => {
  it('replays what was pushed, then follows live items until the end', async () => {
    const b = new ReplayBuffer<number>();
    b.push(1);
    b.push(2);
    const ac = new AbortController();
    const seen: number[] = [];
    const reading = (async () => {
      for await (const x of b.read(ac.signal)) seen.push(x);
    })();
    await new Promise((r) => setTimeout(r, 5));
    b.push(3);
    b.end();
    await reading;
    expect(seen).toEqual([1, 2, 3]);
    // a second reader (a fallback attempt) gets everything again
    const again: number[] = [];
    for await (const x of b.read(ac.signal)) again.push(x);
    expect(again).toEqual([1, 2, 3]);
  });

  it('a long live stream does not pile up abort listeners', async () => {
    const b = new ReplayBuffer<number>();
    const ac = new AbortController();
    let listeners = 0;
    const add = ac.signal.addEventListener.bind(ac.signal);
    const remove = ac.signal.removeEventListener.bind(ac.signal);
    ac.signal.addEventListener = ((...a: Parameters<typeof add>) => (listeners++, add(...a))) as typeof add;
    ac.signal.removeEventListener = ((...a: Parameters<typeof remove>) => (listeners--, remove(...a))) as typeof remove;
    const reading = (async () => {
      for await (const _ of b.read(ac.signal)) void _;
    })();
    for (let i = 0; i < 500; i++) {
      b.push(i);
      await new Promise((r) => setImmediate(r));
    }
    expect(listeners).toBeLessThanOrEqual(1);
    ac.abort();
    await reading;
  });
});
