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

describe('ReplayBuffer with maxKept (an STT stream whose caller stays silent)', () => {
  it('keeps only the most recent items the reader has passed, and the reader misses nothing', async () => {
    const b = new ReplayBuffer<number>(100);
    const ac = new AbortController();
    const seen: number[] = [];
    const reading = (async () => {
      for await (const x of b.read(ac.signal)) seen.push(x);
    })();
    for (let i = 0; i < 5000; i++) {
      b.push(i);
      if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setImmediate(r));
    expect(b.items.length).toBeLessThanOrEqual(101);
    b.end();
    await reading;
    expect(seen).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    // a fallback replays the most recent 100
    const again: number[] = [];
    for await (const x of b.read(ac.signal)) again.push(x);
    expect(again).toEqual(Array.from({ length: 100 }, (_, i) => 4900 + i));
  });

  it('never drops what the reader has not reached yet', () => {
    const b = new ReplayBuffer<number>(10);
    for (let i = 0; i < 1000; i++) b.push(i); // nobody reading: all of it is still ahead of a reader
    expect(b.items).toHaveLength(1000);
  });
});
