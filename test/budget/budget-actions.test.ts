import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExceededError, BudgetThrottleSignal } from '../../src/errors.js';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import type { RequestRecord } from '../../src/ledger/types.js';
import { setLogSink } from '../../src/log.js';
import { sineFrames } from '../../src/testing/index.js';
import { captureErrors, chatCtx, type Mocks, mockProviders, openGateway, startMocks, transcribe } from '../helpers/stack.js';

// gpt-4.1-mini: (1000 × $0.40 + 100 × $1.60) / 1M = $0.00056 a request
const REQUEST_NANOS = 560_000;
let mocks: Mocks;

beforeAll(async () => {
  mocks = await startMocks({ openai: { reply: 'Okay.', usage: { prompt: 1000, completion: 100, cached: 0 } } });
});
afterAll(async () => mocks?.close());

function project(budgetUsd: number, action: string, extra: Record<string, unknown> = {}) {
  return { name: 'P', daily_budget: budgetUsd, budget_action: action, ...extra };
}

async function gateway(projects: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Gateway> {
  return openGateway({ providers: mockProviders(mocks), projects, budget: { throttle_delay_ms: 50, cache_ttl_ms: 100 }, ...extra });
}

function seedRow(project: string, costNanos: number, ts = Date.now()): RequestRecord {
  return {
    id: `seed-${Math.random()}`,
    ts,
    project,
    sessionId: null,
    modality: 'llm',
    provider: 'openai',
    model: 'gpt-4.1-mini',
    inputUnits: 0,
    outputUnits: 0,
    cachedUnits: 0,
    costNanos,
    pricingSource: 'seed',
    ttfbMs: null,
    latencyMs: null,
    status: 'success',
    fallbackFrom: null,
    error: null,
    throttle: null,
    guardrailFindings: 0,
  };
}

async function ask(m: inference.LLM): Promise<string> {
  return (await m.chat({ chatCtx: chatCtx('hello') }).collect()).text;
}

describe('budget actions inside the drop-ins', () => {
  it('warn: requests proceed; the warning is logged once per project-day, not per request', async () => {
    const gw = await gateway({ w: project(0.0005, 'warn') });
    const lines: string[] = [];
    const restore = setLogSink((_l, m) => lines.push(m));
    const level = process.env.VOICEGW_LOG_LEVEL;
    process.env.VOICEGW_LOG_LEVEL = 'warn';
    try {
      const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: 'w' });
      for (let i = 0; i < 4; i++) expect(await ask(m)).toBe('Okay.');
      const warnings = lines.filter((l) => l.includes("Project 'w' exceeded daily budget"));
      expect(warnings).toEqual(["Project 'w' exceeded daily budget: $0.0006 / $0.0005"]);
      expect((await gw.budgetStatus('w')).status).toBe('exceeded');
    } finally {
      restore();
      process.env.VOICEGW_LOG_LEVEL = level;
      await gw.close();
    }
  });

  it('block: rejects with BudgetExceededError {project, spentUsd, budgetUsd}', async () => {
    const gw = await gateway({ b: project(0.0005, 'block') });
    try {
      await gw.ledger.record(seedRow('b', 600_000));
      const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: 'b' });
      const errors = captureErrors(m);
      const before = mocks.openai.requests.length;
      expect(await ask(m)).toBe('');
      expect(mocks.openai.requests.length).toBe(before); // the provider was never called
      expect(errors).toHaveLength(1);
      const err = errors[0]!.error as BudgetExceededError;
      expect(err).toBeInstanceOf(BudgetExceededError);
      expect({ project: err.project, spentUsd: err.spentUsd, budgetUsd: err.budgetUsd }).toEqual({ project: 'b', spentUsd: 0.0006, budgetUsd: 0.0005 });
      expect(err.message).toBe("Project 'b' exceeded daily budget: $0.0006 / $0.0005");
      await expect(gw.budget.check('b')).rejects.toBeInstanceOf(BudgetExceededError);
    } finally {
      await gw.close();
    }
  });

  it('block with budget_block_message: the agent says it, cost 0, ledger status blocked', async () => {
    const gw = await gateway({ bm: project(0.0005, 'block', { budget_block_message: 'Sorry, no more calls today.' }) });
    try {
      await gw.ledger.record(seedRow('bm', 600_000));
      const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: 'bm' });
      const errors = captureErrors(m);
      expect(await ask(m)).toBe('Sorry, no more calls today.');
      await gw.drain();
      expect(errors).toEqual([]);
      // both rows may carry the same millisecond, so find the blocked one by status, not by order
      const rows = await gw.ledger.logs({ project: 'bm' });
      expect(rows.map((r) => [r.status, r.costNanos]).sort()).toEqual([['blocked', 0], ['success', 600_000]]);
    } finally {
      await gw.close();
    }
  });

  it('throttle: an STT stream over budget is served by local Whisper and recorded as such', async () => {
    const gw = await gateway({ t: project(0.001, 'throttle', { fallbacks: { stt: ['local/whisper-large-v3'] } }) });
    try {
      await gw.ledger.record(seedRow('t', 2_000_000));
      const m = new inference.STT('deepgram/nova-3', { gateway: gw, project: 't' });
      const deepgramBefore = mocks.deepgram.requests.length;
      const events = await transcribe(m, sineFrames(1.0));
      await gw.drain();
      const finals = events.filter((e) => e.type === 2 /* FINAL_TRANSCRIPT */);
      expect(finals.map((e) => e.alternatives![0].text)).toEqual(['hello from local whisper']);
      expect(mocks.deepgram.requests.length).toBe(deepgramBefore);
      const [row] = await gw.ledger.logs({ project: 't', modality: 'stt', limit: 1 });
      expect(row).toMatchObject({ provider: 'whisper', model: 'whisper-large-v3', throttle: 'local', costNanos: 0, pricingSource: 'local', status: 'success' });
      expect(row!.inputUnits).toBeCloseTo(1.0, 3);
    } finally {
      await gw.close();
    }
  });

  it('throttle with nothing cheaper in the chain: requests are slowed by throttle_delay_ms and tagged', async () => {
    const gw = await gateway({ td: project(0.001, 'throttle') });
    try {
      await gw.ledger.record(seedRow('td', 2_000_000));
      const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: 'td' });
      const started = performance.now();
      expect(await ask(m)).toBe('Okay.');
      expect(performance.now() - started).toBeGreaterThanOrEqual(49); // slowed, not refused
      await gw.drain();
      const [row] = await gw.ledger.logs({ project: 'td', limit: 1 });
      expect(row).toMatchObject({ provider: 'openai', throttle: 'delay:50', status: 'success' });
      await expect(gw.budget.check('td')).rejects.toBeInstanceOf(BudgetThrottleSignal);
    } finally {
      await gw.close();
    }
  });

  it('status thresholds: ok < 80% ≤ warning < 100% ≤ exceeded; no budget → ok', async () => {
    const gw = await gateway({ s: project(0.001, 'warn'), free: project(0, 'block') });
    try {
      const at = async (nanos: number) => {
        gw.budget.invalidate('s');
        return (await gw.budgetStatus('s')).status;
      };
      await gw.ledger.record(seedRow('s', 799_999));
      expect(await at(0)).toBe('ok');
      await gw.ledger.record(seedRow('s', 1));
      expect(await at(0)).toBe('warning');
      await gw.ledger.record(seedRow('s', 199_999));
      expect(await at(0)).toBe('warning');
      await gw.ledger.record(seedRow('s', 1));
      expect(await at(0)).toBe('exceeded');
      const s = await gw.budgetStatus('s');
      expect(s).toMatchObject({ project: 's', spentUsd: 0.001, budgetUsd: 0.001, remainingUsd: 0, percent: 100, action: 'warn' });
      expect((await gw.budgetStatus('free')).status).toBe('ok');
    } finally {
      await gw.close();
    }
  });

  it('200 concurrent requests on one budget overshoot it by at most one estimate', async () => {
    const gw = await gateway({ c: project(0.01, 'block') });
    try {
      const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: 'c' });
      await ask(m); // the gateway learns this model's cost per request
      const answers = await Promise.all(Array.from({ length: 200 }, () => ask(m)));
      await gw.drain();
      const served = answers.filter((a) => a === 'Okay.').length;
      const status = await gw.budgetStatus('c');
      const spent = Math.round(status.spentUsd * 1e9);
      expect(served).toBeGreaterThan(5);
      expect(served).toBeLessThan(200);
      expect(spent).toBe((served + 1) * REQUEST_NANOS);
      expect(spent).toBeLessThanOrEqual(10_000_000 + REQUEST_NANOS);
      expect(status.reservedUsd).toBe(0);
    } finally {
      await gw.close();
    }
  });

  it("another process's spend is seen within the cache TTL", async () => {
    const gw = await gateway({ x: project(0.001, 'block') });
    try {
      expect((await gw.budgetStatus('x')).status).toBe('ok');
      const script = `import Database from 'better-sqlite3';
        const { openLedger } = await import(${JSON.stringify(new URL('../../src/ledger/index.ts', import.meta.url).pathname)});
        const l = await openLedger({ sqlitePath: process.argv[1] });
        await l.record(${JSON.stringify(seedRow('x', 1_000_000))});
        await l.close();`;
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, gw.ledgerPath()], { stdio: 'pipe' });
      await new Promise((r) => setTimeout(r, 150)); // cache_ttl_ms is 100
      await gw.budgetStatus('x'); // a stale read triggers a refresh
      await new Promise((r) => setTimeout(r, 20));
      expect((await gw.budgetStatus('x')).status).toBe('exceeded');
    } finally {
      await gw.close();
    }
  });
});

describe('budget events', () => {
  it('crossing 80% and 100%, throttling and blocking are recorded once per project-day', async () => {
    const gw = await gateway({ ev: project(0.0015, 'block') }); // three requests: 37%, 75%, 112%
    try {
      const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: 'ev' });
      for (let i = 0; i < 5; i++) await ask(m);
      await gw.drain();
      await new Promise((r) => setTimeout(r, 20));
      const kinds = (await gw.ledger.budgetEvents({ project: 'ev' })).map((e) => e.kind).sort();
      // 75% → 112% crossed 80% on the way: the warning is recorded too (an alert must not be skipped)
      expect(kinds).toEqual(['blocked', 'exceeded', 'warning']);
      const t = await gateway({ tv: project(0.0009, 'throttle') }); // 62% then 124%
      try {
        const mt = new inference.LLM('openai/gpt-4.1-mini', { gateway: t, project: 'tv' });
        for (let i = 0; i < 2; i++) await ask(mt);
        expect((await t.budgetStatus('tv')).status).toBe('exceeded');
        for (let i = 0; i < 2; i++) await ask(mt);
        await t.drain();
        await new Promise((r) => setTimeout(r, 20));
        expect((await t.ledger.budgetEvents({ project: 'tv' })).map((e) => e.kind).sort()).toEqual(['exceeded', 'throttled', 'warning']);
      } finally {
        await t.close();
      }
    } finally {
      await gw.close();
    }
  });

  it('a spend between 80% and 100% records a warning event', async () => {
    const gw = await gateway({ w8: project(0.00065, 'warn') }); // 86%
    try {
      await ask(new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: 'w8' }));
      await gw.drain();
      await new Promise((r) => setTimeout(r, 20));
      expect((await gw.ledger.budgetEvents({ project: 'w8' })).map((e) => e.kind)).toEqual(['warning']);
    } finally {
      await gw.close();
    }
  });
});

describe('day windows with an injected clock', () => {
  it('resets at local midnight in a non-UTC zone and across a DST change', async () => {
    let now = Date.parse('2026-11-01T03:30:00Z'); // 23:30 on Oct 31 in New York (EDT)
    const gw = await gateway({ ny: project(0.001, 'block', { budget_timezone: 'America/New_York' }) }, {});
    const clocked = await openGateway(
      { providers: mockProviders(mocks), projects: { ny: project(0.001, 'block', { budget_timezone: 'America/New_York' }) } },
      { clock: () => now, dbPath: gw.ledgerPath() },
    );
    await gw.close();
    try {
      await clocked.ledger.record(seedRow('ny', 1_500_000, now));
      expect((await clocked.budgetStatus('ny')).status).toBe('exceeded');
      expect((await clocked.budgetStatus('ny')).day).toBe('2026-10-31');
      now = Date.parse('2026-11-01T04:00:01Z'); // 00:00:01 Nov 1 local: a new day
      const s = await clocked.budgetStatus('ny');
      expect(s).toMatchObject({ day: '2026-11-01', status: 'ok', spentUsd: 0 });
      // Nov 1 is the fall-back day: 25 hours, so it ends at 05:00Z on Nov 2
      expect(s.resetsAt).toBe('2026-11-02T05:00:00.000Z');
      const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: clocked, project: 'ny' });
      expect(await ask(m)).toBe('Okay.');
    } finally {
      await clocked.close();
    }
  });
});
