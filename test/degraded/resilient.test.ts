import { describe, expect, it } from 'vitest';
import { ResilientLedger } from '../../src/ledger/resilient.js';
import { SqliteLedger } from '../../src/ledger/sqlite.js';
import type { Ledger } from '../../src/ledger/types.js';

const target = { kind: 'sqlite' as const, location: ':memory:', path: ':memory:' };

/** a store that refuses to open `failures` times (another process holding a lock), then opens */
function flakyOpen(failures: number): () => Promise<Ledger> {
  let left = failures;
  return async () => {
    if (left-- > 0) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    return SqliteLedger.open(':memory:');
  };
}

describe('reads while the store is still opening', () => {
  it('a report asked for between two attempts to open waits for the store and answers (a CLI beside a busy worker)', async () => {
    const ledger = new ResilientLedger(target, flakyOpen(1), async () => {}, { retryMinMs: 100 });
    await ledger.firstAttempt;
    expect(ledger.store).toBeNull();
    await expect(ledger.logs({ limit: 5 })).resolves.toEqual([]);
    expect(ledger.store).not.toBeNull();
    await ledger.close();
  });

  it('a store that stays away fails the read after readWaitMs with the reason, without waiting for the next attempt', async () => {
    const ledger = new ResilientLedger(target, flakyOpen(Number.POSITIVE_INFINITY), async () => {}, { retryMinMs: 60_000, readWaitMs: 50 });
    await ledger.firstAttempt;
    await expect(ledger.logs({ limit: 5 })).rejects.toThrow(/The ledger is unavailable: .*locked/i);
    await ledger.close();
    await expect(ledger.logs({ limit: 5 })).rejects.toThrow(/unavailable: the ledger is closed/);
  });
});
