import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { currentSessionId, scopedProject, setProject, startSession, withProject } from '../../src/inference/context.js';

describe('project and session context (AsyncLocalStorage)', () => {
  it('setProject is scoped to the async task that called it; siblings never leak', async () => {
    const task = async (name: string, delay: number) => {
      await sleep(1);
      setProject(name);
      await sleep(delay);
      return scopedProject();
    };
    const results = await Promise.all([task('a', 20), task('b', 5), task('c', 10)]);
    expect(results).toEqual(['a', 'b', 'c']);
  });

  it('withProject nests and restores', async () => {
    await withProject('outer', async () => {
      expect(scopedProject()).toBe('outer');
      await withProject('inner', async () => {
        await sleep(1);
        expect(scopedProject()).toBe('inner');
      });
      expect(scopedProject()).toBe('outer');
    });
  });

  it('rejects empty names', () => {
    expect(() => setProject('')).toThrow(/non-empty/);
  });

  it('a session id per context, shared inside it; startSession rolls a new one', async () => {
    const ids = await Promise.all(
      [1, 2].map(async () => {
        await sleep(1);
        const a = currentSessionId();
        await sleep(1);
        const b = currentSessionId();
        const c = startSession();
        return { a, b, c, d: currentSessionId() };
      }),
    );
    for (const x of ids) {
      expect(x.a).toMatch(/^vg-[0-9a-f-]{36}$/);
      expect(x.b).toBe(x.a);
      expect(x.c).not.toBe(x.a);
      expect(x.d).toBe(x.c);
    }
    expect(ids[0]!.a).not.toBe(ids[1]!.a);
  });
});
