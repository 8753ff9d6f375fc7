import { afterEach, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/ledger/index.js';
import { MIGRATIONS } from '../../src/ledger/migrations.js';
import { isAtomicBudgetStore, type Ledger, type LedgerTarget, type RequestRecord } from '../../src/ledger/types.js';
import { setLogSink } from '../../src/log.js';
import type { Modality } from '../../src/types.js';
import { DAY, HOUR, makeRow, prng, T0 } from './helpers.js';

export interface StoreHarness {
  /** where a fresh, empty store lives */
  fresh(): Promise<LedgerTarget>;
  /** versions recorded in that store's schema_version table */
  schemaVersions(target: LedgerTarget): Promise<number[]>;
}

/** Brute-force reference sums over the rows a test wrote. */
function expected(rows: RequestRecord[], from?: number, to?: number, project?: string) {
  const inWindow = rows.filter((r) => (from === undefined || r.ts >= from) && (to === undefined || r.ts < to) && (project === undefined || r.project === project));
  const sum = (rs: RequestRecord[]) => rs.reduce((s, r) => s + (r.costNanos ?? 0), 0);
  const group = (key: (r: RequestRecord) => string) => {
    const m = new Map<string, { costNanos: number; requests: number; unpriced: number }>();
    for (const r of inWindow) {
      const b = m.get(key(r)) ?? { costNanos: 0, requests: 0, unpriced: 0 };
      b.costNanos += r.costNanos ?? 0;
      b.requests += 1;
      b.unpriced += r.costNanos === null ? 1 : 0;
      m.set(key(r), b);
    }
    return m;
  };
  return { rows: inWindow, total: sum(inWindow), unpriced: inWindow.filter((r) => r.costNanos === null).length, group };
}

function randomRows(n: number, seed: number): RequestRecord[] {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const models: [Modality, string, string][] = [
    ['stt', 'deepgram', 'nova-3'],
    ['llm', 'openai', 'gpt-4.1-mini'],
    ['llm', 'groq', 'llama-3.1-8b-instant'],
    ['tts', 'cartesia', 'sonic-3'],
  ];
  return Array.from({ length: n }, () => {
    const [modality, provider, model] = pick(models);
    return makeRow({
      ts: T0 + Math.floor(rand() * 3 * DAY),
      project: pick(['support', 'sales', 'default']),
      sessionId: pick(['s1', 's2', 's3', null]),
      modality,
      provider,
      model,
      costNanos: rand() < 0.1 ? null : Math.floor(rand() * 5_000_000),
    });
  });
}

export function ledgerSuite(name: string, harness: () => StoreHarness): void {
  describe(`${name} ledger`, () => {
    const open: Ledger[] = [];
    async function fresh(): Promise<{ ledger: Ledger; target: LedgerTarget }> {
      const target = await harness().fresh();
      const ledger = await openLedger(target);
      open.push(ledger);
      return { ledger, target };
    }
    async function write(ledger: Ledger, rows: RequestRecord[]): Promise<void> {
      for (const r of rows) await ledger.record(r);
      await ledger.flush();
    }
    afterEach(async () => {
      for (const l of open.splice(0)) await l.close();
    });

    it('sums costs exactly in integer nanos and counts unpriced rows without summing them', async () => {
      const { ledger } = await fresh();
      await write(ledger, [
        makeRow({ modality: 'stt', provider: 'deepgram', model: 'nova-3', costNanos: 229_333 }),
        makeRow({ costNanos: 308_000 }),
        makeRow({ costNanos: 308_000, project: 'sales' }),
        makeRow({ modality: 'tts', provider: 'cartesia', model: 'sonic-3', costNanos: 3_050_000 }),
        makeRow({ modality: 'llm', provider: 'acme', model: 'mystery', costNanos: null }),
      ]);
      const report = await ledger.costs({});
      expect(report.totalNanos).toBe(229_333 + 308_000 * 2 + 3_050_000);
      expect(Number.isInteger(report.totalNanos)).toBe(true);
      expect(report.requests).toBe(5);
      expect(report.unpriced).toBe(1);
      expect(report.byModel.find((b) => b.key === 'acme/mystery')).toEqual({ key: 'acme/mystery', costNanos: 0, requests: 1, unpriced: 1 });
      expect(report.byModel[0]).toEqual({ key: 'cartesia/sonic-3', costNanos: 3_050_000, requests: 1, unpriced: 0 });
      expect(report.byProvider.find((b) => b.key === 'openai')).toEqual({ key: 'openai', costNanos: 616_000, requests: 2, unpriced: 0 });
      expect(report.byModality.find((b) => b.key === 'llm')).toEqual({ key: 'llm', costNanos: 616_000, requests: 3, unpriced: 1 });
      expect(report.byProject.find((b) => b.key === 'sales')!.costNanos).toBe(308_000);
      const support = await ledger.costs({ project: 'support' });
      expect(support.totalNanos).toBe(229_333 + 308_000 + 3_050_000);
      expect(await ledger.spend('support', T0, T0 + 1)).toBe(229_333 + 308_000 + 3_050_000);
      expect(await ledger.spend('support', T0 + 1, T0 + DAY)).toBe(0);
    });

    it('agrees with a brute-force sum for any window, including partial hours at both edges', async () => {
      const { ledger } = await fresh();
      const rows = randomRows(400, 7);
      await write(ledger, rows);
      const rand = prng(99);
      const windows: [number | undefined, number | undefined][] = [
        [undefined, undefined],
        [T0, T0 + DAY],
        [T0 + 1234, undefined],
        [undefined, T0 + 2 * DAY - 1],
        [T0 + 30 * 60_000, T0 + 45 * 60_000], // inside one hour
      ];
      for (let i = 0; i < 15; i++) {
        const a = T0 + Math.floor(rand() * 3 * DAY);
        windows.push([a, a + Math.floor(rand() * DAY)]);
      }
      for (const [from, to] of windows) {
        for (const project of [undefined, 'sales']) {
          const want = expected(rows, from, to, project);
          const got = await ledger.costs({ from, to, project });
          expect(got.totalNanos, `window ${from}..${to} ${project}`).toBe(want.total);
          expect(got.requests).toBe(want.rows.length);
          expect(got.unpriced).toBe(want.unpriced);
          const byModel = want.group((r) => `${r.provider}/${r.model}`);
          for (const b of got.byModel) expect(b).toEqual({ key: b.key, ...byModel.get(b.key) });
          if (project && from !== undefined && to !== undefined) expect(await ledger.spend(project, from, to)).toBe(want.total);
        }
      }
    });

    it('buckets spend by UTC interval and modality (hour multiples and arbitrary sizes)', async () => {
      const { ledger } = await fresh();
      const rows = randomRows(300, 11);
      await write(ledger, rows);
      for (const [from, to, bucketMs] of [
        [T0, T0 + 3 * DAY, DAY],
        [T0 + 5 * 60_000, T0 + DAY + 17 * 60_000, 6 * HOUR],
        [T0 + 1000, T0 + 12 * HOUR, 15 * 60_000],
      ] as const) {
        const got = await ledger.spendSeries({ from, to, bucketMs, project: 'support' });
        const want = new Map<string, { cost: number; n: number }>();
        for (const r of expected(rows, from, to, 'support').rows) {
          const key = `${Math.floor(r.ts / bucketMs) * bucketMs}:${r.modality}`;
          const b = want.get(key) ?? { cost: 0, n: 0 };
          b.cost += r.costNanos ?? 0;
          b.n += 1;
          want.set(key, b);
        }
        expect(got.length).toBe(want.size);
        for (const b of got) expect({ cost: b.costNanos, n: b.requests }).toEqual(want.get(`${b.start}:${b.modality}`));
        expect(got.map((b) => b.start)).toEqual([...got.map((b) => b.start)].sort((x, y) => x - y));
      }
    });

    it('returns logs newest first with every field intact, filtered by project, modality, session and time', async () => {
      const { ledger } = await fresh();
      const full = makeRow({
        ts: T0 + 5000,
        sessionId: 'call-1',
        status: 'fallback',
        fallbackFrom: 'deepgram/nova-3',
        error: 'primary timed out',
        throttle: 'cheaper',
        guardrailFindings: 2,
        ttfbMs: null,
        latencyMs: 12.5,
        inputUnits: 3.2,
      });
      await write(ledger, [
        makeRow({ ts: T0 + 1000, sessionId: 'call-1', modality: 'stt' }),
        full,
        makeRow({ ts: T0 + 3000, project: 'sales' }),
        makeRow({ ts: T0 + 4000, sessionId: 'call-2', modality: 'tts', costNanos: null }),
      ]);
      const all = await ledger.logs({});
      expect(all.map((r) => r.ts)).toEqual([T0 + 5000, T0 + 4000, T0 + 3000, T0 + 1000]);
      expect(all[0]).toEqual(full);
      expect((await ledger.logs({ project: 'sales' })).map((r) => r.ts)).toEqual([T0 + 3000]);
      expect((await ledger.logs({ modality: 'stt' })).map((r) => r.ts)).toEqual([T0 + 1000]);
      expect((await ledger.logs({ session: 'call-1' })).map((r) => r.ts)).toEqual([T0 + 5000, T0 + 1000]);
      expect((await ledger.logs({ from: T0 + 3000, to: T0 + 5000 })).map((r) => r.ts)).toEqual([T0 + 4000, T0 + 3000]);
      expect((await ledger.logs({ limit: 2 })).length).toBe(2);
      expect((await ledger.logs({ project: 'support', modality: 'llm', session: 'call-1' })).map((r) => r.id)).toEqual([full.id]);
    });

    it('keeps per-session totals by modality, request and unpriced counts', async () => {
      const { ledger } = await fresh();
      await write(ledger, [
        makeRow({ sessionId: 'call-9', ts: T0 + 10_000, modality: 'stt', costNanos: 1000, latencyMs: 2000 }),
        makeRow({ sessionId: 'call-9', ts: T0 + 11_000, modality: 'llm', costNanos: 20_000, latencyMs: 500 }),
        makeRow({ sessionId: 'call-9', ts: T0 + 12_000, modality: 'tts', costNanos: 300, latencyMs: 100 }),
        makeRow({ sessionId: 'call-9', ts: T0 + 9_000, modality: 'tts', costNanos: null, latencyMs: null }),
        makeRow({ sessionId: 'call-9', ts: T0 + 11_500, modality: 'realtime', costNanos: 4_000, latencyMs: 100 }),
        makeRow({ sessionId: 'call-8', ts: T0, project: 'sales', costNanos: 5 }),
      ]);
      const s = await ledger.session('call-9');
      expect(s).toEqual({
        id: 'call-9',
        project: 'support',
        startedAt: T0 + 9_000,
        endedAt: T0 + 12_100,
        sttNanos: 1000,
        llmNanos: 20_000,
        ttsNanos: 300,
        realtimeNanos: 4_000,
        totalNanos: 25_300,
        unpriced: 1,
        requests: 5,
      });
      expect(await ledger.session('nope')).toBeNull();
      expect((await ledger.sessions({})).map((x) => x.id)).toEqual(['call-9', 'call-8']);
      expect((await ledger.sessions({ project: 'sales' })).map((x) => x.id)).toEqual(['call-8']);
      expect((await ledger.sessions({ limit: 1 })).length).toBe(1);
    });

    it('ignores a second record() of the same attempt id (no double count)', async () => {
      const { ledger } = await fresh();
      const row = makeRow({ sessionId: 'dup' });
      await write(ledger, [row, row]);
      expect((await ledger.costs({})).requests).toBe(1);
      expect((await ledger.session('dup'))!.requests).toBe(1);
      expect((await ledger.exportRows({})).length).toBe(1);
    });

    it('exports rows oldest first within a window and limit', async () => {
      const { ledger } = await fresh();
      const rows = [3, 1, 2, 5, 4].map((i) => makeRow({ ts: T0 + i * HOUR }));
      await write(ledger, rows);
      expect((await ledger.exportRows({})).map((r) => r.ts)).toEqual([1, 2, 3, 4, 5].map((i) => T0 + i * HOUR));
      expect((await ledger.exportRows({ from: T0 + 2 * HOUR, to: T0 + 5 * HOUR })).map((r) => r.ts)).toEqual([2, 3, 4].map((i) => T0 + i * HOUR));
      expect((await ledger.exportRows({ limit: 2 })).length).toBe(2);
      expect((await ledger.exportRows({ project: 'nobody' })).length).toBe(0);
    });

    it('creates, updates, lists and deletes runtime projects', async () => {
      const { ledger } = await fresh();
      const p = { id: 'ivr', name: 'IVR', description: 'phone tree', dailyBudgetUsd: 12.345678901, budgetAction: 'throttle' as const, tags: ['phone', 'eu'], createdAt: T0, updatedAt: T0, settings: { budget_block_message: 'Sorry.', fallbacks: { llm: ['groq/llama-3.1-8b-instant'] } } };
      await ledger.upsertProject(p);
      await ledger.upsertProject({ ...p, id: 'alpha', name: 'Alpha', tags: [] });
      expect(await ledger.listProjects()).toEqual([{ ...p, id: 'alpha', name: 'Alpha', tags: [] }, p]);
      await ledger.upsertProject({ ...p, description: 'new', dailyBudgetUsd: 0, budgetAction: 'block', createdAt: T0 + 99, updatedAt: T0 + 5 });
      const updated = (await ledger.listProjects()).find((x) => x.id === 'ivr')!;
      expect(updated).toEqual({ ...p, description: 'new', dailyBudgetUsd: 0, budgetAction: 'block', updatedAt: T0 + 5 });
      expect(await ledger.deleteProject('ivr')).toBe(true);
      expect(await ledger.deleteProject('ivr')).toBe(false);
      expect((await ledger.listProjects()).map((x) => x.id)).toEqual(['alpha']);
    });

    it('stores audit, guardrail and budget events newest first', async () => {
      const { ledger } = await fresh();
      await ledger.audit({ ts: T0, actor: 'ops', source: 'cli', action: 'project.create', target: 'ivr', detail: '{"budget":5}' });
      await ledger.audit({ ts: T0 + 1, actor: 'api-key:ci', source: 'api', action: 'project.delete', target: 'ivr', detail: '' });
      expect((await ledger.auditLog({})).map((e) => e.action)).toEqual(['project.delete', 'project.create']);
      expect(await ledger.auditLog({ limit: 1 })).toEqual([{ ts: T0 + 1, actor: 'api-key:ci', source: 'api', action: 'project.delete', target: 'ivr', detail: '' }]);

      const g = { ts: T0, project: 'support', sessionId: 's1', requestId: 'r1', category: 'pii', detector: 'email', action: 'redact', direction: 'in' as const, excerpt: 'mail me at [EMAIL]' };
      await ledger.recordGuardrailEvents([g, { ...g, ts: T0 + 2, project: 'sales', sessionId: null, requestId: null, direction: 'out' }]);
      await ledger.recordGuardrailEvents([]);
      expect((await ledger.guardrailEvents({})).map((e) => e.project)).toEqual(['sales', 'support']);
      expect(await ledger.guardrailEvents({ project: 'support' })).toEqual([g]);

      const b = { ts: T0, project: 'support', day: '2026-11-20', kind: 'warning' as const, spentNanos: 8_000_000_000, budgetNanos: 10_000_000_000 };
      await ledger.recordBudgetEvent(b);
      await ledger.recordBudgetEvent({ ...b, ts: T0 + 5, kind: 'exceeded', spentNanos: 10_000_000_001 });
      expect((await ledger.budgetEvents({ project: 'support' })).map((e) => [e.kind, e.spentNanos])).toEqual([['exceeded', 10_000_000_001], ['warning', 8_000_000_000]]);
      expect(await ledger.budgetEvents({ project: 'sales' })).toEqual([]);
    });

    it('claims each alert delivery once (insert-if-absent), then records its outcome', async () => {
      const { ledger } = await fresh();
      const key = { project: 'support', day: '2026-11-20', event: 'budget_warning', target: 'https://hooks.example (1a2b3c4d)' };
      const claims = await Promise.all(Array.from({ length: 8 }, () => ledger.claimAlert(key, T0)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await ledger.claimAlert({ ...key, event: 'budget_exceeded' }, T0 + 1)).toBe(true);
      expect(await ledger.claimAlert({ ...key, day: '2026-11-21' }, T0 + 2)).toBe(true);
      await ledger.updateAlert({ ...key, status: 'failed', attempts: 5, lastError: 'HTTP 500' }, T0 + 10);
      const failed = await ledger.alertDeliveries({ status: 'failed' });
      expect(failed).toEqual([{ ...key, claimedAt: T0, updatedAt: T0 + 10, status: 'failed', attempts: 5, lastError: 'HTTP 500' }]);
      expect((await ledger.alertDeliveries({})).map((d) => [d.day, d.event, d.status])).toEqual([
        ['2026-11-20', 'budget_warning', 'failed'],
        ['2026-11-21', 'budget_warning', 'pending'],
        ['2026-11-20', 'budget_exceeded', 'pending'],
      ]);
    });

    it('migrates once: reopening keeps data and the schema version', async () => {
      const { ledger, target } = await fresh();
      await write(ledger, [makeRow()]);
      await ledger.close();
      const again = await openLedger(target);
      open.push(again);
      const third = await openLedger(target);
      open.push(third);
      expect((await again.costs({})).requests).toBe(1);
      expect(await harness().schemaVersions(target)).toEqual(MIGRATIONS.map((m) => m.version));
    });

    it('reserves atomically against a daily budget and settles reservations into spend', async () => {
      const { ledger } = await fresh();
      if (!isAtomicBudgetStore(ledger)) throw new Error(`${name} should implement AtomicBudgetStore`);
      const day = '2026-11-20';
      expect(await ledger.reserve('p', day, 400, 1000)).toEqual({ admitted: true, spentNanos: 0, reservedNanos: 400 });
      expect(await ledger.reserve('p', day, 600, 1000)).toEqual({ admitted: true, spentNanos: 0, reservedNanos: 1000 });
      expect(await ledger.reserve('p', day, 1, 1000)).toEqual({ admitted: false, spentNanos: 0, reservedNanos: 1000 });
      // the rule looks at what is spent and held before the request: an untouched day admits one
      // request even when its bound alone exceeds the budget (the day ends at most one request over)
      expect(await ledger.reserve('q', day, 2000, 1000)).toEqual({ admitted: true, spentNanos: 0, reservedNanos: 2000 });
      expect(await ledger.reserve('q', day, 1, 1000)).toEqual({ admitted: false, spentNanos: 0, reservedNanos: 2000 });
      // force (warn/throttle requests run anyway): held, and reported as not admitted by the rule
      expect(await ledger.reserve('q', day, 5, 1000, true)).toEqual({ admitted: false, spentNanos: 0, reservedNanos: 2005 });
      expect(await ledger.reserve('r', day, 5, 1000, true)).toEqual({ admitted: true, spentNanos: 0, reservedNanos: 5 });
      await ledger.settle('p', day, 400, 250);
      await ledger.settle('p', day, 600, null); // unknown price: reservation released, nothing spent
      await ledger.flush();
      expect(await ledger.budgetDay('p', day)).toEqual({ spentNanos: 250, reservedNanos: 0 });
      expect(await ledger.reserve('p', day, 750, 1000)).toEqual({ admitted: true, spentNanos: 250, reservedNanos: 750 });
      expect(await ledger.reserve('p', day, 10 ** 12, 0)).toEqual({ admitted: true, spentNanos: 250, reservedNanos: 750 + 10 ** 12 });
      await ledger.settle('p', '2026-11-21', 999, 7); // no reservation that day: spend still counts
      await ledger.flush();
      expect(await ledger.budgetDay('p', '2026-11-21')).toEqual({ spentNanos: 7, reservedNanos: 0 });
      // record() never touches budget_days: settle is the only writer of spent
      await write(ledger, [makeRow({ project: 'p', costNanos: 1_000_000 })]);
      expect((await ledger.budgetDay('p', day)).spentNanos).toBe(250);
    });

    it('never throws from record() into the request path, even after close', async () => {
      const { ledger } = await fresh();
      await ledger.close();
      const lines: string[] = [];
      const level = process.env.VOICEGW_LOG_LEVEL;
      process.env.VOICEGW_LOG_LEVEL = 'error';
      const restore = setLogSink((_l, m) => lines.push(m));
      try {
        await ledger.record(makeRow({ id: 'after-close' }));
      } finally {
        restore();
        process.env.VOICEGW_LOG_LEVEL = level;
      }
      expect(lines.join('\n')).toContain('after-close');
    });
  });
}
