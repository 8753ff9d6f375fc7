import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FallbackExhaustedError } from '../../src/errors.js';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import type { Fault } from '../../src/testing/index.js';
import { captureErrors, captureMetrics, chatCtx, type Mocks, mockProviders, openGateway, startMocks } from '../helpers/stack.js';

let mocks: Mocks;
let gw: Gateway;
const PROJECT = 'fb';

beforeAll(async () => {
  mocks = await startMocks({ openai: { reply: 'primary answer here', chunkDelayMs: 5 }, local: { reply: 'local answer here' } });
  gw = await openGateway({
    providers: mockProviders(mocks),
    projects: { [PROJECT]: { name: 'Fallback', fallbacks: { llm: ['ollama/llama3.2'] } } },
    routing: { attempt_timeout_ms: 400, cooldown_ms: 0, retries: { max_attempts: 1 } }, // fallback itself, no retries (see callpath/retries)
  });
});
afterAll(async () => {
  await gw?.close();
  await mocks?.close();
});
beforeEach(() => {
  mocks.openai.reset();
  mocks.local.reset();
});

async function turn() {
  const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: PROJECT });
  const errors = captureErrors(m);
  const metrics = captureMetrics<{ type: string; metadata?: { modelProvider?: string } }>(m);
  const since = Date.now();
  const text = (await m.chat({ chatCtx: chatCtx('hello') }).collect()).text;
  await gw.drain();
  const rows = (await gw.ledger.logs({ project: PROJECT, limit: 10 })).filter((r) => r.ts >= since - 5).reverse();
  return { text, errors, metrics, rows, model: m };
}

describe('LLM fallback at run time (real OpenAI plugin, faults injected in the mock)', () => {
  const beforeOutput: [string, Fault][] = [
    ['HTTP 500', { kind: 'status', status: 500 }],
    ['HTTP 503', { kind: 'status', status: 503 }],
    ['HTTP 429', { kind: 'status', status: 429 }],
    ['refused connection', { kind: 'refuse' }],
    ['stall past the attempt timeout', { kind: 'stall' }],
    ['drop before the first chunk', { kind: 'drop', afterChunks: 0 }],
    ['malformed frame', { kind: 'malformed' }],
  ];

  for (const [name, fault] of beforeOutput) {
    it(`${name} before any output → the next entry answers; no error reaches the caller`, async () => {
      mocks.openai.fail({ fault, times: 1 });
      const { text, errors, metrics, rows, model } = await turn();
      mocks.openai.heal();
      expect(text).toBe('local answer here');
      expect(errors).toEqual([]);
      expect(metrics).toHaveLength(1); // one request, one metrics event: never inner + outer
      expect(metrics[0]!.metadata?.modelProvider).toBe('ollama');
      expect([model.provider, model.model]).toEqual(['ollama', 'llama3.2']);
      expect(rows.map((r) => [r.provider, r.status, r.fallbackFrom])).toEqual([
        ['openai', 'error', null],
        ['ollama', 'fallback', 'openai/gpt-4.1-mini'],
      ]);
      expect(rows[0]!.error).toBeTruthy();
      expect(rows[1]!.costNanos).toBe(0);
    });
  }

  it('a stream cut after output began is surfaced as an error, never a clean end, and not retried', async () => {
    mocks.openai.fail({ fault: { kind: 'drop', afterChunks: 2 }, times: 1 });
    const { text, errors, rows } = await turn();
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toBe('primary answer here');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.recoverable).toBe(false);
    expect(mocks.local.requests).toHaveLength(0);
    expect(rows.map((r) => [r.provider, r.status])).toEqual([['openai', 'error']]);
  });

  it('chain exhausted → FallbackExhaustedError listing every attempt', async () => {
    mocks.openai.fail({ kind: 'status', status: 500 });
    mocks.local.fail({ kind: 'status', status: 503 });
    const { text, errors, rows } = await turn();
    expect(text).toBe('');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error).toBeInstanceOf(FallbackExhaustedError);
    expect(errors[0]!.error.message).toMatch(/openai\/gpt-4.1-mini .*500.*ollama\/llama3.2 .*503/);
    expect(rows.map((r) => r.status)).toEqual(['error', 'error']);
  });
});

describe('cooldown and recovery', () => {
  it('a failed entry is skipped while cooling down and tried again afterwards', async () => {
    const g = await openGateway({
      providers: mockProviders(mocks),
      projects: { cd: { name: 'Cooldown', fallbacks: { llm: ['ollama/llama3.2'] } } },
      routing: { attempt_timeout_ms: 400, cooldown_ms: 300, retries: { max_attempts: 1 } },
    });
    try {
      const ask = async () => (await new inference.LLM('openai/gpt-4.1-mini', { gateway: g, project: 'cd' }).chat({ chatCtx: chatCtx('x') }).collect()).text;
      mocks.openai.fail({ fault: { kind: 'status', status: 500 }, times: 1 });
      expect(await ask()).toBe('local answer here');
      const primaryCalls = mocks.openai.requests.length;
      expect(await ask()).toBe('local answer here'); // primary cooling down: not even tried
      expect(mocks.openai.requests.length).toBe(primaryCalls);
      await new Promise((r) => setTimeout(r, 350));
      expect(await ask()).toBe('primary answer here'); // recovered
    } finally {
      await g.close();
    }
  });
});
