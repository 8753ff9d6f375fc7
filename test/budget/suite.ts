import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stt } from '@livekit/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExceededError, BudgetThrottleSignal, ConfigError } from '../../src/errors.js';
import { Gateway, type GatewayOptions } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { formatUsd } from '../../src/money.js';
import { sineFrame } from '../../src/testing/index.js';
import { captureErrors, chatCtx, type Mocks, mockProviders, startMocks } from '../helpers/stack.js';

export interface BudgetStoreHarness {
  /** where a gateway keeps its ledger: a fresh SQLite file, or the test's PostgreSQL database */
  store(): Promise<Pick<GatewayOptions, 'dbPath' | 'databaseUrl'>>;
}

const USAGE = { prompt: 10, completion: 1000, cached: 0 };
const FIXTURE = new URL('./fixtures/edit-project.ts', import.meta.url).pathname;
let seq = 0;
/** project ids are unique per test: stores are shared within a file */
const uniq = (name: string) => `${name}-${process.pid}-${++seq}`;

/** The budget tests every store must pass, with the same expected figures (one rule, one contract). */
export function budgetSuite(name: string, harness: () => BudgetStoreHarness): void {
  describe(`budgets on ${name}`, () => {
    let mocks: Mocks;
    const open: Gateway[] = [];
    beforeAll(async () => {
      // every answer costs 1,000 completion tokens: 5× what the old first guess assumed (200)
      mocks = await startMocks({ openai: { reply: 'Okay.', usage: USAGE, chunkDelayMs: 2 } });
    });
    afterAll(async () => {
      for (const gw of open.splice(0)) await gw.close();
      await mocks?.close();
    });

    async function gateway(projects: Record<string, unknown>, extra: Partial<GatewayOptions> & { config?: Record<string, unknown> } = {}): Promise<Gateway> {
      const { config, ...rest } = extra;
      const gw = await Gateway.open({ ...(await harness().store()), env: {}, config: { providers: mockProviders(mocks), projects, ...config }, ...rest });
      open.push(gw);
      return gw;
    }

    const answerNanos = (gw: Gateway) => gw.prices.price('llm', 'openai', 'gpt-4.1-mini', { inputUnits: USAGE.prompt, outputUnits: USAGE.completion, cachedUnits: 0 }).costNanos!;
    const ask = async (m: inference.LLM) => (await m.chat({ chatCtx: chatCtx('hello') }).collect()).text;

    it('200 concurrent requests costing 5× the old first guess on a block budget worth 10: at most 11 served, every refusal a row', async () => {
      const id = uniq('burst');
      const probe = await gateway({});
      const budgetUsd = (10 * answerNanos(probe)) / 1e9;
      const gw = await gateway({ [id]: { name: 'Burst', daily_budget: budgetUsd, budget_action: 'block' } });
      // the request caps its answer (max_completion_tokens), so its reservation is an upper bound
      const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: id, modelOptions: { maxCompletionTokens: 1000 } });
      const errors = captureErrors(m);
      const answers = await Promise.all(Array.from({ length: 200 }, () => ask(m)));
      await gw.drain();
      const served = answers.filter((a) => a === 'Okay.').length;
      const status = await gw.budgetStatus(id);
      const spent = Math.round(status.spentUsd * 1e9);
      expect(served).toBeGreaterThanOrEqual(9);
      expect(served).toBeLessThanOrEqual(11);
      expect(spent).toBe(served * answerNanos(gw));
      expect(status.reservedUsd).toBe(0);
      expect(errors.filter((e) => e.error instanceof BudgetExceededError)).toHaveLength(200 - served);
      const rows = await gw.ledger.logs({ project: id, limit: 500 });
      const blocked = rows.filter((r) => r.status === 'blocked');
      expect(blocked).toHaveLength(200 - served);
      expect(blocked.every((r) => r.costNanos === 0 && /daily budget/.test(r.error ?? ''))).toBe(true);
      expect((await gw.ledger.exportRows({ project: id })).filter((r) => r.status === 'blocked')).toHaveLength(200 - served);
      console.info(`[budgets/${name}] burst: served ${served} of 200 on a budget worth 10 answers; overshoot ${((spent - budgetUsd * 1e9) / answerNanos(gw)).toFixed(2)} requests`);
    }, 60_000);

    it('an edit of the project while requests are in flight keeps their reservations', async () => {
      const id = uniq('edit');
      const probe = await gateway({});
      const budgetUsd = (10 * answerNanos(probe)) / 1e9;
      const gw = await gateway({});
      await gw.admin.create({ id, name: 'Edited', daily_budget: budgetUsd, budget_action: 'block' }, { name: 't', source: 'api' });
      const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: id, modelOptions: { maxCompletionTokens: 1000 } });
      captureErrors(m);
      const pending = Array.from({ length: 100 }, () => ask(m));
      await new Promise((r) => setTimeout(r, 5));
      await gw.admin.update(id, { description: 'edited mid-burst' }, { name: 't', source: 'api' });
      const more = Array.from({ length: 100 }, () => ask(m));
      const served = [...(await Promise.all(pending)), ...(await Promise.all(more))].filter((a) => a === 'Okay.').length;
      expect(served).toBeLessThanOrEqual(11);
    }, 60_000);

    it('a budget below one reservation: admitted at $0, then refused; the error and the status agree', async () => {
      const id = uniq('tiny');
      const gw = await gateway({ [id]: { name: 'Tiny', daily_budget: 0.0001, budget_action: 'block' } });
      expect(await gw.budgetStatus(id)).toMatchObject({ status: 'ok', spentUsd: 0, reservedUsd: 0 });
      await expect(gw.budget.check(id)).resolves.toMatchObject({ status: 'ok' });
      const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: id });
      const errors = captureErrors(m);
      expect(await ask(m)).toBe('Okay.'); // remaining budget below one reservation: still admitted
      await gw.drain();
      const spentUsd = answerNanos(gw) / 1e9;
      expect(await gw.budgetStatus(id)).toMatchObject({ status: 'exceeded', spentUsd, reservedUsd: 0, budgetUsd: 0.0001 });
      expect(await ask(m)).toBe('');
      const err = errors[0]!.error as BudgetExceededError;
      expect(err).toBeInstanceOf(BudgetExceededError);
      expect({ spentUsd: err.spentUsd, budgetUsd: err.budgetUsd, reservedUsd: err.reservedUsd }).toEqual({ spentUsd, budgetUsd: 0.0001, reservedUsd: 0 });
      expect(err.message).toBe(`Project '${id}' exceeded daily budget: ${formatUsd(spentUsd)} / $0.0001`);
      await expect(gw.budget.check(id)).rejects.toThrow(err.message);
      await new Promise((r) => setTimeout(r, 50));
      expect((await gw.ledger.budgetEvents({ project: id })).map((e) => e.kind).sort()).toEqual(['blocked', 'exceeded', 'warning']); // a jump past 100% crossed 80% too
    });

    it('an unpriced cloud model under a budget is a ConfigError at construction; allow_unpriced serves it counted as unpriced; local models are $0', async () => {
      const [strict, open_] = [uniq('strict'), uniq('open')];
      const gw = await gateway({
        [strict]: { name: 'Strict', daily_budget: 1, budget_action: 'block' },
        [open_]: { name: 'Open', daily_budget: 0.0001, budget_action: 'block', allow_unpriced: true },
      });
      let thrown: unknown;
      try {
        new inference.LLM('openai/house-model-9000', { gateway: gw, project: strict });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).message).toContain("No price known for LLM model 'openai/house-model-9000'");
      expect((thrown as ConfigError).message).toContain('prices.llm."openai/house-model-9000"');
      expect((thrown as ConfigError).path).toBe(`projects.${strict}.allow_unpriced`);
      expect(new inference.LLM('ollama/llama3.2', { gateway: gw, project: strict })).toBeInstanceOf(inference.LLM);

      const m = new inference.LLM('openai/house-model-9000', { gateway: gw, project: open_ });
      for (let i = 0; i < 3; i++) expect(await ask(m)).toBe('Okay.');
      await gw.drain();
      expect(await gw.budgetStatus(open_)).toMatchObject({ spentUsd: 0, unpricedRequests: 3, status: 'ok' });
      expect((await gw.ledger.logs({ project: open_ })).map((r) => r.costNanos)).toEqual([null, null, null]);

      const local = new inference.LLM('ollama/llama3.2', { gateway: gw, project: strict });
      expect(await ask(local)).toBe('Hello from the local model.');
      await gw.drain();
      expect((await gw.ledger.logs({ project: strict })).map((r) => [r.costNanos, r.pricingSource])).toEqual([[0, 'local']]);
    });

    for (const action of ['block', 'throttle', 'warn'] as const) {
      it(`a 60-minute STT stream on a ${action} budget worth 5 minutes: other new requests see the crossing within 10 s of audio`, async () => {
        const id = uniq(`stt-${action}`);
        const probe = await gateway({});
        const perSecond = probe.prices.price('stt', 'deepgram', 'nova-3', { inputUnits: 3600, outputUnits: 0, cachedUnits: 0 }).costNanos! / 3600;
        const gw = await gateway({ [id]: { name: 'Call', daily_budget: (300 * perSecond) / 1e9, budget_action: action } });
        const s = new inference.STT('deepgram/nova-3', { gateway: gw, project: id });
        const errors = captureErrors(s);
        const stream = s.stream();
        const events: stt.SpeechEvent[] = [];
        const reading = (async () => {
          for await (const ev of stream) events.push(ev);
        })();
        let refusedAt: number | null = null; // seconds of audio sent when a new request was first refused/throttled
        let sent = 0;
        const limit = action === 'warn' ? 330 : 3600; // warn never refuses: 30 s past the budget shows it goes on
        for (; sent < limit && !(stream as unknown as { closed: boolean }).closed && errors.length === 0; sent++) {
          stream.pushFrame(sineFrame(1));
          await new Promise((r) => setImmediate(r));
          if (refusedAt !== null) {
            if (sent > refusedAt + 20) break; // warn/throttle streams go on: enough to see that they do
            continue;
          }
          const decision = await gw.budget.check(id).then(
            () => 'ok',
            (e: Error) => e.name,
          );
          if (decision !== 'ok') refusedAt = sent + 1;
        }
        if (action === 'warn') {
          // warn never refuses: the status says exceeded once the call's audio settles
          stream.endInput();
          await reading;
          await gw.drain();
          expect(refusedAt).toBeNull();
          expect(errors).toEqual([]);
          expect(sent).toBe(limit);
          expect((await gw.budgetStatus(id)).status).toBe('exceeded');
          return;
        }
        expect(refusedAt).not.toBeNull();
        expect(refusedAt!).toBeLessThanOrEqual(300 + 10);
        expect(refusedAt!).toBeGreaterThanOrEqual(300 - 10);
        if (action === 'block') {
          // the running stream ends after what it held (≤ one chunk of 5 s past the budget), with the error
          await reading;
          expect(errors.map((e) => e.error.name)).toEqual([BudgetExceededError.name]);
          await gw.drain();
          const [row] = await gw.ledger.logs({ project: id, modality: 'stt', limit: 1 });
          expect(row!.inputUnits).toBeGreaterThan(290);
          expect(row!.inputUnits).toBeLessThanOrEqual(300 + 10); // audio the provider received (pushed frames after the stop are dropped)
        } else {
          // throttle: the running stream goes on; new requests are throttled
          expect(errors).toEqual([]);
          expect(sent).toBeGreaterThan(refusedAt! + 15);
          await expect(gw.budget.check(id)).rejects.toBeInstanceOf(BudgetThrottleSignal);
          stream.endInput();
          await reading;
        }
        console.info(`[budgets/${name}] STT ${action}: budget crossed at 300 s of audio; new requests refused from ${refusedAt} s`);
      }, 120_000);
    }

    it('a runtime project created, then lowered to block, in another process reaches a running worker within 2 s', async () => {
      const id = uniq('live');
      const store = await harness().store();
      const worker = await Gateway.open({ ...store, env: {}, config: { providers: mockProviders(mocks) } });
      open.push(worker);
      const seen: Record<string, number> = {};
      const writes: { op: string; at: number }[] = [];
      const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, JSON.stringify({
        store,
        gapMs: 2500,
        ops: [
          { op: 'create', input: { id, name: 'Live', daily_budget: 5, budget_action: 'warn', budget_block_message: 'Closed for today.' } },
          { op: 'update', id, patch: { daily_budget: 0.000001, budget_action: 'block' } },
        ],
      })], { stdio: ['ignore', 'pipe', 'inherit'] });
      createInterface({ input: child.stdout! }).on('line', (l) => writes.push(JSON.parse(l)));
      const exited = new Promise((r) => child.on('close', r));
      let m: inference.LLM | null = null;
      const deadline = Date.now() + 60_000;
      while (!seen.update && Date.now() < deadline) {
        if (!seen.create && worker.project(id)) {
          seen.create = Date.now();
          m = new inference.LLM('openai/gpt-4.1-mini', { gateway: worker, project: id });
          expect(await ask(m)).toBe('Okay.'); // a running worker serving the new project
        }
        if (m && writes.length === 2 && (await ask(m)) === 'Closed for today.') seen.update = Date.now();
        await new Promise((r) => setTimeout(r, 20));
      }
      await exited;
      const lag = (op: string) => seen[op]! - writes.find((w) => w.op === op)!.at;
      expect(lag('create')).toBeLessThanOrEqual(2000);
      expect(lag('update')).toBeLessThanOrEqual(2000);
      console.info(`[budgets/${name}] runtime project reached a running worker ${lag('create')} ms after create, block enforced ${lag('update')} ms after the edit`);
    }, 90_000);

    it('a drop-in constructed immediately after start-up finds a runtime project', async () => {
      const id = uniq('early');
      const store = await harness().store();
      const first = await Gateway.open({ ...store, env: {}, config: { providers: mockProviders(mocks) } });
      await first.admin.create({ id, name: 'Early', daily_budget: 1, budget_action: 'block', fallbacks: { llm: ['ollama/llama3.2'] } }, { name: 't', source: 'api' });
      await first.close();
      const gw = Gateway.create({ ...store, env: {}, config: { providers: mockProviders(mocks) } });
      open.push(gw);
      const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: id });
      expect(gw.isReady).toBe(false);
      expect(await ask(m)).toBe('Okay.');
      expect(m.core.chain.map((r) => r.id)).toEqual(['openai/gpt-4.1-mini', 'ollama/llama3.2']);
    });
  });
}
