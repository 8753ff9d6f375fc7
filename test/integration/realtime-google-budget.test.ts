import { voice } from '@livekit/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { type MockGoogle, startMockGoogle } from '../../src/testing/index.js';
import { createTestDatabase, pgAvailability, PG_REQUIRED } from '../ledger/helpers.js';
import { speak, startSession } from '../helpers/realtime.js';
import { waitFor } from '../helpers/session.js';
import { openGateway } from '../helpers/stack.js';

// Budgets on inference.RealtimeModel('google/…') over the real google.realtime.RealtimeModel and
// the Gemini Live mock, on both ledger stores.

const MODEL = 'gemini-2.5-flash-native-audio-preview-12-2025';
const BLOCK_MESSAGE = 'Sorry, the budget for today is used up.';

/** Polls an async condition (budget settlement on a fleet store is written in the background). */
async function eventually(cond: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const pg = await pgAvailability('Gemini Live budgets');
const stores = [{ store: 'SQLite', pg: false }, ...(pg.ok || PG_REQUIRED ? [{ store: 'PostgreSQL', pg: true }] : [])];

describe.each(stores)('Gemini Live budgets on $store', ({ pg: onPg }) => {
  let gw: Gateway;
  let mock: MockGoogle;
  let drop: (() => Promise<void>) | null = null;
  const escaped: unknown[] = [];
  const onEscape = (e: unknown) => escaped.push(e);

  beforeAll(async () => {
    // answers paced at 40 ms a word: a fleet store's admission is a round trip, decided beside the answer
    mock = await startMockGoogle({ conversation: { replies: ['Hello, how can I help you today?', 'Your order ships tomorrow.', BLOCK_MESSAGE], transcripts: ['hi there', 'where is my order'], wordIntervalMs: 40 } });
    const db = onPg ? await createTestDatabase() : null;
    drop = db?.drop ?? null;
    gw = await openGateway(
      {
        providers: { google: { api_key: 'goog-test', base_url: mock.baseURL } },
        projects: {
          capped: { name: 'Capped', daily_budget: 0.000001, budget_action: 'block' },
          // the first answer (about $0.00027 on the mock) crosses it
          blocky: { name: 'Blocky', daily_budget: 0.0002, budget_action: 'block', budget_block_message: BLOCK_MESSAGE },
        },
        default_project: 'blocky',
      },
      db ? { databaseUrl: db.url } : {},
    );
    process.on('unhandledRejection', onEscape);
    process.on('uncaughtException', onEscape);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onEscape);
    process.off('uncaughtException', onEscape);
    await gw?.close();
    await mock?.close();
    await drop?.();
  });

  /** The plugin reconnects when instructions arrive after it connected: the model gets the agent's up front (one connection). */
  const open = (project: string) => startSession(new inference.RealtimeModel(`google/${MODEL}`, { gateway: gw, project, fallback: [], modelOptions: { instructions: 'Be brief.' } }));

  it('block refuses a new session: a blocked row, the session ends with BudgetExceededError, nothing connects', async () => {
    await gw.ledger.record({ id: 'spent-capped', ts: gw.clock(), project: 'capped', sessionId: null, modality: 'llm', provider: 'google', model: 'gemini-2.5-flash', inputUnits: 1, outputUnits: 1, cachedUnits: 0, costNanos: 5_000, pricingSource: 'test', ttfbMs: null, latencyMs: null, status: 'success', fallbackFrom: null, error: null, throttle: null, guardrailFindings: 0 });
    (await gw.budget.admit('capped', 5_000)).reservation.settle(5_000); // through the budget too: both stores count it
    const { session, errors } = open('capped');
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await waitFor(() => errors.length > 0, 10_000, 'the refusal');
    expect(errors[0]!.error.name).toBe('BudgetExceededError');
    await session.close();
    expect(mock.requests).toHaveLength(0);
    await gw.drain();
    const r = await gw.ledger.logs({ project: 'capped', modality: 'realtime', limit: 5 });
    expect(r.map((x) => [x.provider, x.status])).toEqual([['google', 'blocked']]);
  });

  it('block crossed mid-session: the next answer is stopped, the model says budget_block_message, the session ends; every generated turn is billed', async () => {
    const { session, mic, errors, items, closed } = open('blocky');
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await speak(mic);
    await waitFor(() => mock.liveUsage.length === 1, 10_000, 'the first answer');
    await waitFor(() => items.some((i) => i.startsWith('assistant')), 5000, 'the first answer in the history');
    await gw.drain();
    await eventually(async () => (await gw.budget.status('blocky')).status === 'exceeded', 'the first answer to exceed the budget');
    await speak(mic);
    await waitFor(() => errors.length > 0, 10_000, 'the session to end');
    expect(errors.map((e) => e.error.name)).toEqual(['BudgetExceededError']);
    await waitFor(closed, 10_000, 'the AgentSession to close');
    expect(items).toContain(`assistant: ${BLOCK_MESSAGE}`);
    expect(items).not.toContain('assistant: Your order ships tomorrow.');
    const asked = mock.requests.at(-1)!.messages!.filter((x) => (x as { clientContent?: unknown }).clientContent) as { clientContent: { turns: { parts: { text: string }[] }[] } }[];
    expect(asked.at(-1)!.clientContent.turns[0]!.parts[0]!.text).toContain(BLOCK_MESSAGE);
    await session.close();
    await gw.drain();
    const r = (await gw.ledger.logs({ project: 'blocky', modality: 'realtime', limit: 20 })).reverse();
    expect(r.filter((x) => x.status === 'blocked').map((x) => x.error)).toEqual(['daily budget exceeded: answered with budget_block_message']);
    // the first answer, the stopped one (Gemini generated it whole), the block message: each at the provider's usage
    expect(r.filter((x) => x.status !== 'blocked').map((x) => [x.status, x.inputUnits, x.outputUnits])).toEqual(
      mock.liveUsage.map((u, i) => [i === 1 ? 'cancelled' : 'success', u.promptTokenCount, u.responseTokenCount]),
    );
    expect(escaped).toEqual([]);
  });
});
