import { voice } from '@livekit/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { type MockOpenAIRealtime, startMockOpenAIRealtime } from '../../src/testing/index.js';
import { createTestDatabase, pgAvailability, PG_REQUIRED } from '../ledger/helpers.js';
import { captureLogs } from '../helpers/logs.js';
import { speak, startSession } from '../helpers/realtime.js';
import { waitFor } from '../helpers/session.js';
import { openGateway } from '../helpers/stack.js';

const BLOCK_MESSAGE = 'Sorry, the budget for today is used up.';
const LONG_REPLY = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty';

/** Project ids per store (warnings are logged once per process and project). */
const projects = (x: string) => ({
  // the first short answer (about $0.0013 on the mock) crosses this budget
  [`blocky${x}`]: { name: 'Blocky', daily_budget: 0.001, budget_action: 'block', budget_block_message: BLOCK_MESSAGE },
  // admitted (nothing spent), but the first step of spoken output is refused: the answer holds about $0.0387
  [`long${x}`]: { name: 'Long', daily_budget: 0.035, budget_action: 'block' },
  [`roomy${x}`]: { name: 'Roomy', daily_budget: 10, budget_action: 'warn' },
  [`cheap${x}`]: { name: 'Cheap', daily_budget: 0.000001, budget_action: 'throttle' },
  [`warned${x}`]: { name: 'Warned', daily_budget: 0.000001, budget_action: 'warn' },
});

/** A row of earlier spend, so the project starts the test over its budget. */
async function spend(gw: Gateway, project: string, nanos: number): Promise<void> {
  await gw.ledger.record({ id: `spent-${project}`, ts: gw.clock(), project, sessionId: null, modality: 'llm', provider: 'openai', model: 'gpt-4.1-mini', inputUnits: 1, outputUnits: 1, cachedUnits: 0, costNanos: nanos, pricingSource: 'test', ttfbMs: null, latencyMs: null, status: 'success', fallbackFrom: null, error: null, throttle: null, guardrailFindings: 0 });
  // and through the budget, so both stores count it (a fleet's budget day is kept apart from the rows)
  (await gw.budget.admit(project, nanos)).reservation.settle(nanos);
}

/** Polls an async condition (budget settlement on a fleet store is written in the background). */
async function eventually(cond: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const pg = await pgAvailability('realtime budgets');
const stores = [{ store: 'SQLite', pg: false }, ...(pg.ok || PG_REQUIRED ? [{ store: 'PostgreSQL', pg: true }] : [])];

describe.each(stores)('realtime budgets on $store', ({ pg: onPg }) => {
  const P = (name: string) => `${name}${onPg ? '-pg' : ''}`;
  let gw: Gateway;
  let mock: MockOpenAIRealtime;
  let paced: MockOpenAIRealtime;
  let drop: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    mock = await startMockOpenAIRealtime({ replies: ['Hello, how can I help you today?', 'Your order ships tomorrow.', BLOCK_MESSAGE], transcripts: ['hi there', 'where is my order'] });
    paced = await startMockOpenAIRealtime({ replies: [LONG_REPLY], msPerWord: 1000, wordIntervalMs: 80 });
    const db = onPg ? await createTestDatabase() : null;
    drop = db?.drop ?? null;
    gw = await openGateway({ providers: { openai: { api_key: 'sk-test-openai', base_url: mock.baseURL } }, projects: projects(onPg ? '-pg' : ''), default_project: P('roomy') }, db ? { databaseUrl: db.url } : {});
  });
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
    await paced?.close();
    await drop?.();
  });

  /** what every row of the project costs (responses and input transcription) */
  const spentInRows = async (project: string) => (await gw.ledger.logs({ project, limit: 100 })).reduce((n, r) => n + (r.costNanos ?? 0), 0);
  /** the project's realtime rows, oldest first, without the input transcription model's */
  /** Waits for `n` responses' rows of the project (a row is written after the plugin reports response.done). */
  const settled = async (project: string, n: number) => {
    for (let i = 0; i < 400 && (await rows(project)).filter((r) => r.status !== 'blocked').length < n; i++) await new Promise((r) => setTimeout(r, 25));
    await gw.drain();
  };
  const rows = async (project: string) => (await gw.ledger.logs({ project, modality: 'realtime', limit: 20 })).reverse().filter((r) => !r.model.includes('transcribe'));

  it('block crossed mid-session: the next answer is stopped, the model says budget_block_message, the session ends; a new session is refused with a blocked row', async () => {
    const model = new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw, project: P('blocky') });
    const { session, mic, errors, items, closed } = startSession(model);
    await session.start({ agent: new voice.Agent({ instructions: 'You are a shop assistant.' }) });
    await speak(mic);
    await waitFor(() => mock.usage.length === 1, 10_000, 'the first answer');
    await settled(P('blocky'), 1);
    await eventually(async () => (await gw.budget.status(P('blocky'))).status === 'exceeded', 'the first answer to exceed the budget');
    await speak(mic);
    await waitFor(() => errors.length > 0, 10_000, 'the session to end');
    expect(errors.map((e) => e.error.name)).toEqual(['BudgetExceededError']);
    await waitFor(closed, 10_000, 'the AgentSession to close');
    // the model was asked to say the message, and said it (the mock says its third reply)
    const asked = mock.requests[0]!.messages!.filter((m) => (m as { type: string }).type === 'response.create') as { response?: { instructions?: string } }[];
    expect(asked.at(-1)!.response!.instructions).toContain(BLOCK_MESSAGE);
    expect(mock.usage).toHaveLength(3);
    expect(items).toContain(`assistant: ${BLOCK_MESSAGE}`);
    await gw.drain();
    const during = await rows(P('blocky'));
    expect(during.filter((r) => r.status === 'blocked').map((r) => r.error)).toEqual(['daily budget exceeded: answered with budget_block_message']);
    // every response the provider generated is billed: the first, the stopped one, the block message
    expect(during.filter((r) => r.status !== 'blocked').map((r) => r.inputUnits)).toEqual(mock.usage.map((u) => u.input_tokens));

    const again = startSession(new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw, project: P('blocky') }));
    await again.session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await waitFor(() => again.errors.length > 0, 10_000, 'the refusal');
    expect(again.errors[0]!.error.name).toBe('BudgetExceededError');
    expect(mock.requests).toHaveLength(1); // the new session never connected
    await again.session.close();
    await session.close();
    await gw.drain();
    const after = await rows(P('blocky'));
    expect(after.at(-1)).toMatchObject({ status: 'blocked', error: 'daily budget exceeded: realtime session refused' });
  });

  it('block while a long answer plays: its reservation grows step by step; the refused step stops the answer (response.cancel) and ends the session', async () => {
    const model = new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw, project: P('long'), baseURL: paced.baseURL });
    const { session, mic, errors, speaker } = startSession(model);
    await session.start({ agent: new voice.Agent({ instructions: 'Count.' }) });
    await speak(mic);
    await waitFor(() => errors.length > 0, 10_000, 'the session to end');
    expect(errors.map((e) => e.error.name)).toEqual(['BudgetExceededError']);
    await waitFor(() => paced.usage.length === 1, 10_000, 'the cancelled response to end');
    expect(paced.cancelled).toHaveLength(1);
    const spoken = paced.usage[0]!.output_token_details.audio_tokens / 20; // seconds the model generated
    expect(spoken).toBeLessThan(20);
    // what it held (input estimate + one 5 s step) covered about 5 s of the answer; the refusal is decided in the
    // background (a fleet store's round trip), so a few more words may pass before it lands, never the whole answer
    expect(speaker.samples / 24000).toBeGreaterThanOrEqual(5);
    expect(speaker.samples / 24000).toBeLessThan(12);
    await session.close();
    await gw.drain();
    const r = await rows(P('long'));
    expect(r.map((x) => x.status).sort()).toEqual(['blocked', 'cancelled']);
    await eventually(async () => (await gw.budget.status(P('long'))).reservedUsd === 0, 'the hold to be released');
    const status = await gw.budget.status(P('long'));
    // the stopped answer and the caller's turn's transcription, nothing held any more
    expect(status.spentUsd).toBeCloseTo((await spentInRows(P('long'))) / 1e9, 12);
  });

  it('a long answer holds more as it is spoken, so other admissions see it; the hold is released into the real cost at response.done', async () => {
    const model = new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw, project: P('roomy'), baseURL: paced.baseURL });
    const { session, mic } = startSession(model);
    await session.start({ agent: new voice.Agent({ instructions: 'Count.' }) });
    const before = paced.usage.length;
    const held: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        held.push((await gw.budget.status(P('roomy'))).reservedUsd);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await speak(mic);
    await waitFor(() => paced.usage.length > before, 15_000, 'the long answer');
    watching = false;
    await watcher;
    await session.close();
    await gw.drain();
    const estimate = model.core.gw.prices.price('realtime', 'openai', 'gpt-realtime', { inputUnits: 0, cachedUnits: 0, outputUnits: 0, audioInputUnits: 1000, audioOutputUnits: 100 }).costNanos! / 1e9;
    // more than the admission held (one step of output ahead): the reservation grew while the answer was spoken
    expect(Math.max(...held)).toBeGreaterThan(estimate);
    await eventually(async () => (await gw.budget.status(P('roomy'))).reservedUsd === 0, 'the hold to be released');
    const status = await gw.budget.status(P('roomy'));
    expect(status.spentUsd).toBeCloseTo((await spentInRows(P('roomy'))) / 1e9, 12);
  });

  it('throttle: a new session starts on the cheaper realtime model of the chain, a running one keeps it; its rows say so', async () => {
    await spend(gw, P('cheap'), 5_000);
    const logs = captureLogs();
    try {
      const model = new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw, project: P('cheap'), fallback: ['openai/gpt-realtime-mini'] });
      const { session, mic, errors, items } = startSession(model);
      const since = mock.requests.length;
      await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
      await speak(mic);
      await waitFor(() => items.some((i) => i.startsWith('assistant')), 10_000, 'an answer');
      // still over budget: the running session keeps its model and answers the next turn
      await speak(mic);
      await waitFor(() => items.filter((i) => i.startsWith('assistant')).length === 2, 10_000, 'the second answer');
      expect(mock.requests.slice(since).map((r) => r.query.model)).toEqual(['gpt-realtime-mini']);
      expect(model.model).toBe('gpt-realtime-mini');
      expect(errors).toEqual([]);
      await session.close();
      await gw.drain();
      const r = await rows(P('cheap'));
      expect(r.map((x) => [x.model, x.status, x.throttle])).toEqual([
        ['gpt-realtime-mini', 'success', 'cheaper'],
        ['gpt-realtime-mini', 'success', 'cheaper'],
      ]);
      expect(logs.lines.some((l) => l.includes(`throttled session for '${P('cheap')}' runs on openai/gpt-realtime-mini`))).toBe(true);
      expect(logs.lines.some((l) => l.includes(`a running session keeps openai/gpt-realtime-mini`))).toBe(true);
    } finally {
      logs.restore();
    }
  });

  it('warn: the session runs and is metered; a warning is logged', async () => {
    await spend(gw, P('warned'), 5_000);
    const logs = captureLogs();
    try {
      const model = new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw, project: P('warned') });
      const { session, mic, errors, items } = startSession(model);
      await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
      await speak(mic);
      await waitFor(() => items.some((i) => i.startsWith('assistant')), 10_000, 'an answer');
      expect(errors).toEqual([]);
      await session.close();
      await gw.drain();
      const r = (await rows(P('warned'))).filter((x) => x.model === 'gpt-realtime');
      expect(r.map((x) => x.status)).toEqual(['success']);
      expect(r[0]!.costNanos).toBeGreaterThan(0);
      expect(logs.lines.some((l) => /warned.*(over its daily budget|exceeded daily budget)/.test(l))).toBe(true);
    } finally {
      logs.restore();
    }
  });
});
