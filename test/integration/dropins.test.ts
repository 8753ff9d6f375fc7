import { llm, stt, tts } from '@livekit/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import type { Gateway } from '../../src/gateway.js';
import type { ModelRef } from '../../src/providers/types.js';
import { inference, setGateway } from '../../src/index.js';
import { setLogSink } from '../../src/log.js';
import { sineFrames } from '../../src/testing/index.js';
import { captureErrors, captureMetrics, chatCtx, type Mocks, mockProviders, openGateway, startMocks, synthesize, transcribe } from '../helpers/stack.js';

let mocks: Mocks;
let gw: Gateway;

beforeAll(async () => {
  mocks = await startMocks({ openai: { reply: 'Sure, I can help with that.', usage: { prompt: 1200, completion: 80, cached: 1000 } } });
  gw = await openGateway({
    providers: mockProviders(mocks),
    projects: { support: { name: 'Support', daily_budget: 0 }, nokeys: { name: 'No keys', providers: {} } },
    default_project: 'support',
  });
});

afterAll(async () => {
  await gw?.close();
  await mocks?.close();
});

describe('inference.LLM over the real OpenAI plugin', () => {
  it('is a LiveKit llm.LLM, streams the answer, emits one metrics event and writes one exact ledger row', async () => {
    const model = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw });
    expect(model).toBeInstanceOf(llm.LLM);
    expect([model.provider, model.model, model.label()]).toEqual(['openai', 'gpt-4.1-mini', 'voicegateway.LLM']);
    const metrics = captureMetrics<{ type: string; promptTokens: number; completionTokens: number; promptCachedTokens: number; metadata?: { modelProvider?: string; modelName?: string } }>(model);
    const errors = captureErrors(model);

    const res = await model.chat({ chatCtx: chatCtx('Can you help me?') }).collect();
    await gw.drain();

    expect(res.text).toBe('Sure, I can help with that.');
    expect(errors).toEqual([]);
    expect(metrics).toHaveLength(1);
    expect(metrics[0]).toMatchObject({ type: 'llm_metrics', promptTokens: 1200, completionTokens: 80, promptCachedTokens: 1000, metadata: { modelProvider: 'openai', modelName: 'gpt-4.1-mini' } });
    const request = mocks.openai.requests.at(-1)!;
    expect(request.headers.authorization).toBe('Bearer sk-test-openai');

    const [row] = await gw.ledger.logs({ project: 'support', modality: 'llm', limit: 1 });
    expect(row).toMatchObject({ provider: 'openai', model: 'gpt-4.1-mini', inputUnits: 1200, outputUnits: 80, cachedUnits: 1000, status: 'success' });
    // (200 × $0.40 + 1000 × $0.10 + 80 × $1.60) / 1M = $0.000308
    expect(row!.costNanos).toBe(308_000);
    expect(row!.pricingSource).not.toBe('');
    expect(row!.ttfbMs).toBeGreaterThan(0);
    expect(row!.sessionId).toMatch(/^vg-/);
  });

  it('fromModelString (on the process gateway) and the options-object form', () => {
    setGateway(gw);
    try {
      expect(inference.LLM.fromModelString('openai/gpt-4o-mini')).toBeInstanceOf(llm.LLM);
      expect(inference.STT.fromModelString('deepgram/nova-3:de').model).toBe('nova-3');
    } finally {
      setGateway(null);
    }
    const o = new inference.LLM({ model: 'ollama/qwen2.5:3b', gateway: gw });
    expect([o.provider, o.model]).toEqual(['ollama', 'qwen2.5:3b']);
  });

  it('a provider error ends the stream with a non-recoverable error event, never a silent empty answer', async () => {
    mocks.openai.fail({ fault: { kind: 'status', status: 401, message: 'Incorrect API key provided: sk-test-openai' }, times: 1 });
    const model = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw });
    const errors = captureErrors(model);
    const res = await model.chat({ chatCtx: chatCtx('hi') }).collect();
    await gw.drain();
    expect(res.text).toBe('');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.recoverable).toBe(false);
    expect((errors[0]!.error as { statusCode?: number }).statusCode).toBe(401);
    const [row] = await gw.ledger.logs({ project: 'support', modality: 'llm', limit: 1 });
    expect(row).toMatchObject({ status: 'error', costNanos: 0 });
    expect(row!.error).toContain('401');
    expect(row!.error).not.toContain('sk-test-openai'); // a key echoed by the provider is masked before it is stored
    expect(row!.error).toContain('sk-t…enai');
  });
});

describe('inference.STT over the real Deepgram plugin', () => {
  it('transcribes streamed audio, meters the seconds sent and prices them', async () => {
    const model = new inference.STT('deepgram/nova-3:en-US', { gateway: gw });
    expect(model).toBeInstanceOf(stt.STT);
    expect([model.provider, model.model]).toEqual(['deepgram', 'nova-3']);
    const metrics = captureMetrics<{ audioDurationMs: number }>(model);
    const errors = captureErrors(model);

    const events = await transcribe(model, sineFrames(3.2));
    await gw.drain();

    const finals = events.filter((e) => e.type === stt.SpeechEventType.FINAL_TRANSCRIPT);
    expect(finals.length).toBeGreaterThan(0);
    expect(finals[0]!.alternatives![0].text).toContain('hello from the mock deepgram');
    expect(errors).toEqual([]);
    expect(mocks.deepgram.requests.at(-1)!.query).toMatchObject({ model: 'nova-3', language: 'en-US' });
    const meteredMs = metrics.reduce((s, m) => s + m.audioDurationMs, 0);
    expect(meteredMs).toBeCloseTo(3200, -1);

    const [row] = await gw.ledger.logs({ project: 'support', modality: 'stt', limit: 1 });
    expect(row).toMatchObject({ provider: 'deepgram', model: 'nova-3', status: 'success' });
    expect(row!.inputUnits).toBeCloseTo(3.2, 3);
    // 3.2 s streamed: Deepgram's streaming rate, $0.0048 / min
    expect(row!.costNanos).toBe(Math.round((3.2 / 60) * 0.0048 * 1e9));
    expect(row!.pricingSource).toBe('voicegateway-catalog@2026-05-13:streaming');
  });
  it('recognize() goes the pre-recorded path (POST /v1/listen) and is priced at the pre-recorded rate', async () => {
    const model = new inference.STT('deepgram/nova-3:en-US', { gateway: gw });
    const event = await model.recognize(sineFrames(3.2));
    await gw.drain();
    expect(event.alternatives![0].text).toContain('hello from the mock deepgram');
    expect(mocks.deepgram.requests.at(-1)!.method).toBe('POST');
    const [row] = await gw.ledger.logs({ project: 'support', modality: 'stt', limit: 1 });
    expect(row!.inputUnits).toBeCloseTo(3.2, 3);
    // $0.0043 / min, not the streaming $0.0048
    expect(row!.costNanos).toBe(229_333);
    expect(row!.pricingSource).toBe('voicegateway-catalog@2026-05-13:pre-recorded');
  });
});

describe('inference.TTS over the real Cartesia plugin', () => {
  it('streams audio frames for the text and bills the characters sent', async () => {
    const model = new inference.TTS('cartesia/sonic-3:a0e99841-438c-4a64-b679-ae501e7d6091', { gateway: gw });
    expect(model).toBeInstanceOf(tts.TTS);
    expect([model.provider, model.model, model.sampleRate]).toEqual(['cartesia', 'sonic-3', 24000]);
    const metrics = captureMetrics<{ charactersCount: number }>(model);
    const text = 'Hello from the cartesia mock server, this is a test sentence.';
    expect(text).toHaveLength(61);

    const { frames, seconds } = await synthesize(model, text);
    await gw.drain();

    expect(frames.length).toBeGreaterThan(0);
    expect(seconds).toBeGreaterThan(0.3);
    expect(metrics.map((m) => m.charactersCount)).toEqual([61]);
    const [row] = await gw.ledger.logs({ project: 'support', modality: 'tts', limit: 1 });
    expect(row).toMatchObject({ provider: 'cartesia', model: 'sonic-3', inputUnits: 61, status: 'success' });
    expect(row!.costNanos).toBe(gw.prices.price('tts', 'cartesia', 'sonic-3', { inputUnits: 61, outputUnits: 0, cachedUnits: 0 }).costNanos);
    expect(row!.costNanos).toBeGreaterThan(0);
  });
});

describe('drop-in streams open the head\'s provider stream up front', () => {
  /** records every stream the head's (already built) inner plugin opens from now on */
  function streamsOpened<S extends { close(): unknown }>(model: { core: { chain: ModelRef[]; builtInner(ref: ModelRef): { stream(o?: unknown): S } | undefined } }): S[] {
    const inner = model.core.builtInner(model.core.chain[0]!)!;
    const opened: S[] = [];
    const original = inner.stream.bind(inner);
    inner.stream = (o) => {
      const s = original(o);
      opened.push(s);
      return s;
    };
    return opened;
  }
  const transcripts = () => mocks.cartesia.requests.flatMap((r) => (r.messages ?? []) as { transcript?: string }[]).map((m) => m.transcript ?? '').join('');

  it('stream() opens the provider stream before returning, and the attempt adopts it (one inner stream)', async () => {
    const model = new inference.TTS('cartesia/sonic-3', { gateway: gw });
    await synthesize(model, 'Warm up the plugin.'); // builds the inner plugin
    const opened = streamsOpened(model);

    const stream = model.stream();
    expect(opened).toHaveLength(1); // synchronously, before any await
    stream.pushText('Opened early and used once.');
    stream.endInput();
    let frames = 0;
    for await (const a of stream) if (a !== tts.SynthesizeStream.END_OF_STREAM) frames++;
    stream.close();
    await gw.drain();
    expect(frames).toBeGreaterThan(0);
    expect(opened).toHaveLength(1);
  });

  it('a budget-blocked stream closes the stream it opened: no text reaches the provider', async () => {
    const blocked = await openGateway({ providers: mockProviders(mocks), projects: { tight: { name: 'Tight', daily_budget: 0.000001, budget_action: 'block' } } });
    try {
      const model = new inference.TTS('cartesia/sonic-3', { gateway: blocked, project: 'tight' });
      await synthesize(model, 'x'.repeat(400)).catch(() => {}); // spends past the budget (or is blocked already)
      await blocked.drain();
      expect((await blocked.budgetStatus('tight')).status).toBe('exceeded');
      const before = transcripts();
      const opened = streamsOpened(model);
      const errors = captureErrors(model);

      await synthesize(model, 'This must never be spoken.');
      await blocked.drain();
      expect(opened).toHaveLength(1);
      expect((opened[0] as unknown as { closed: boolean }).closed).toBe(true);
      expect(transcripts().slice(before.length)).not.toContain('never be spoken');
      expect(errors.map((e) => e.error.name)).toContain('BudgetExceededError');
    } finally {
      await blocked.close();
    }
  });
  it('STT: stream() opens the provider stream before returning; a budget-blocked one never connects', async () => {
    const model = new inference.STT('deepgram/nova-3:en-US', { gateway: gw });
    await transcribe(model, sineFrames(0.5)); // builds the inner plugin
    const opened = streamsOpened(model);
    const stream = model.stream();
    expect(opened).toHaveLength(1);
    stream.close();

    const blocked = await openGateway({ providers: mockProviders(mocks), projects: { tight: { name: 'Tight', daily_budget: 0.000001, budget_action: 'block' } } });
    try {
      const spender = new inference.STT('deepgram/nova-3:en-US', { gateway: blocked, project: 'tight' });
      await transcribe(spender, sineFrames(2)).catch(() => {});
      await blocked.drain();
      expect((await blocked.budgetStatus('tight')).status).toBe('exceeded');
      slowLedger(blocked); // the refusal closes the stream it opened without waiting for its row's commit
      const connections = mocks.deepgram.requests.length;
      const errors = captureErrors(spender);
      await transcribe(spender, sineFrames(0.5)).catch(() => {});
      await new Promise((r) => setTimeout(r, 30)); // past the inner stream's start timer
      expect(mocks.deepgram.requests.length).toBe(connections);
      expect(errors.map((e) => e.error.name)).toContain('BudgetExceededError');
    } finally {
      await blocked.close();
    }
  });

  it('a stream closed right after it was opened ends its request: nothing is left for drain() to wait on', async () => {
    const stt_ = new inference.STT('deepgram/nova-3:en-US', { gateway: gw });
    const tts_ = new inference.TTS('cartesia/sonic-3', { gateway: gw });
    const llm_ = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw });
    await transcribe(stt_, sineFrames(0.3));
    await synthesize(tts_, 'Warm.');
    await llm_.chat({ chatCtx: chatCtx('Warm.') }).collect();
    await gw.drain();
    stt_.stream().close();
    tts_.stream().close();
    llm_.chat({ chatCtx: chatCtx('Never mind.') }).close();
    const drained = await Promise.race([gw.drain().then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
    expect(drained).toBe(true);
  });

  it('chat() opens the provider stream before returning (after the guardrails), and the attempt adopts it', async () => {
    const model = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw });
    await model.chat({ chatCtx: chatCtx('Warm up.') }).collect(); // builds the inner plugin
    const inner = model.core.builtInner(model.core.chain[0]!)!;
    let opened = 0;
    const original = inner.chat.bind(inner);
    inner.chat = (a) => (opened++, original(a));

    const stream = model.chat({ chatCtx: chatCtx('Can you help me?') });
    expect(opened).toBe(1);
    const res = await stream.collect();
    expect(res.text).toBe('Sure, I can help with that.');
    expect(opened).toBe(1);
  });

  it('a budget-blocked chat closes the stream it opened: no request reaches the provider, no error on the plugin', async () => {
    const blocked = await openGateway({ providers: mockProviders(mocks), projects: { tight: { name: 'Tight', daily_budget: 0.000001, budget_action: 'block' } } });
    try {
      const model = new inference.LLM('openai/gpt-4.1-mini', { gateway: blocked, project: 'tight' });
      await model.chat({ chatCtx: chatCtx('Spend the budget.') }).collect().catch(() => {});
      await blocked.drain();
      expect((await blocked.budgetStatus('tight')).status).toBe('exceeded');
      slowLedger(blocked);
      const inner = model.core.builtInner(model.core.chain[0]!)!;
      const innerErrors = captureErrors(inner);
      const requests = mocks.openai.requests.length;
      const outer = captureErrors(model);

      const res = await model.chat({ chatCtx: chatCtx('This must not be sent.') }).collect();
      expect(res.text).toBe('');
      await new Promise((r) => setTimeout(r, 30)); // past the inner stream's start timer
      expect(mocks.openai.requests.length).toBe(requests);
      expect(innerErrors).toEqual([]);
      expect(outer.map((e) => e.error.name)).toEqual(['BudgetExceededError']);
    } finally {
      await blocked.close();
    }
  });
});

/** A store whose commits take 20 ms (a loaded machine, a busy disk): long past a provider stream's start timer. */
function slowLedger(gw: Gateway): void {
  const record = gw.ledger.record.bind(gw.ledger);
  gw.ledger.record = (row) => new Promise<void>((resolve) => setTimeout(() => resolve(record(row)), 20));
}

describe('construction errors', () => {
  it('a missing cloud key names the provider, project and YAML path', async () => {
    const bare = await openGateway({ projects: { p: { name: 'P' } } });
    try {
      expect(() => new inference.LLM('openai/gpt-4.1-mini', { gateway: bare, project: 'p' })).toThrow(ConfigError);
      expect(() => new inference.LLM('openai/gpt-4.1-mini', { gateway: bare, project: 'p' })).toThrow(
        /No API key for provider 'openai' in project 'p': set providers.openai.api_key \(or projects.p.providers.openai.api_key\) in voicegw.yaml, or export OPENAI_API_KEY/,
      );
      // local providers need no key
      expect(() => new inference.LLM('ollama/llama3.2', { gateway: bare, project: 'p' })).not.toThrow();
    } finally {
      await bare.close();
    }
  });

  it('an unset ${VAR} key is reported with the variable name', async () => {
    const g = await openGateway({ projects: { p: { name: 'P', providers: { deepgram: { api_key: '${P_DG_KEY}' } } } } });
    try {
      expect(() => new inference.STT('deepgram/nova-3', { gateway: g, project: 'p' })).toThrow(
        /projects.p.providers.deepgram.api_key is \$\{P_DG_KEY\}, which is not set: export P_DG_KEY=/,
      );
    } finally {
      await g.close();
    }
  });

  it('key precedence: option > project > top-level > env', async () => {
    const g = await openGateway(
      { providers: { openai: { api_key: 'sk-top', base_url: mocks.openai.baseURL } }, projects: { a: { name: 'A', providers: { openai: { api_key: 'sk-project' } } }, b: { name: 'B' } } },
      { env: { OPENAI_API_KEY: 'sk-env' } },
    );
    try {
      const auth = async (m: inference.LLM) => {
        await m.chat({ chatCtx: chatCtx('x') }).collect();
        return mocks.openai.requests.at(-1)!.headers.authorization;
      };
      expect(await auth(new inference.LLM('openai/gpt-4o-mini', { gateway: g, project: 'a', apiKey: 'sk-option' }))).toBe('Bearer sk-option');
      expect(await auth(new inference.LLM('openai/gpt-4o-mini', { gateway: g, project: 'a' }))).toBe('Bearer sk-project');
      expect(await auth(new inference.LLM('openai/gpt-4o-mini', { gateway: g, project: 'b' }))).toBe('Bearer sk-top');
    } finally {
      await g.close();
    }
  });

  it('an unknown project is a clear error', () => {
    expect(() => new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: 'nope' })).toThrow(/Unknown project 'nope'. Defined projects: support, nokeys, default/);
  });
});

describe('metering edge cases through the drop-ins', () => {
  it('an unknown model is recorded with cost null and an empty pricing source, warned once', async () => {
    const lines: string[] = [];
    const restore = setLogSink((_l, m) => lines.push(m));
    const level = process.env.VOICEGW_LOG_LEVEL;
    process.env.VOICEGW_LOG_LEVEL = 'warn';
    try {
      const model = new inference.LLM('openai/gpt-9-preview', { gateway: gw });
      await model.chat({ chatCtx: chatCtx('a') }).collect();
      await model.chat({ chatCtx: chatCtx('b') }).collect();
      await gw.drain();
      const rows = await gw.ledger.logs({ project: 'support', modality: 'llm', limit: 2 });
      expect(rows.map((r) => [r.model, r.costNanos, r.pricingSource])).toEqual([
        ['gpt-9-preview', null, ''],
        ['gpt-9-preview', null, ''],
      ]);
      expect(lines.filter((l) => l.includes("'openai/gpt-9-preview'") || l.includes('gpt-9-preview'))).toHaveLength(1);
      const costs = await gw.reports.costs({ project: 'support' });
      expect(costs.unpriced).toBeGreaterThanOrEqual(2);
    } finally {
      restore();
      process.env.VOICEGW_LOG_LEVEL = level;
    }
  });

  it('a stream the caller closes mid-answer is recorded as cancelled with the units seen so far', async () => {
    const slow = await startMocks({ openai: { reply: 'one two three four five six seven eight nine ten eleven twelve', chunkDelayMs: 40 } });
    const g = await openGateway({ providers: mockProviders(slow), projects: { c: { name: 'C' } } });
    try {
      const model = new inference.LLM('openai/gpt-4.1-mini', { gateway: g, project: 'c' });
      const stream = model.chat({ chatCtx: chatCtx('count') });
      let chunks = 0;
      for await (const c of stream) {
        if (c.delta?.content) chunks++;
        if (chunks === 2) break;
      }
      stream.close();
      await g.drain();
      const [row] = await g.ledger.logs({ project: 'c', limit: 1 });
      expect(row).toMatchObject({ status: 'cancelled', provider: 'openai' });
      expect(row!.ttfbMs).toBeGreaterThan(0);
    } finally {
      await g.close();
      await slow.close();
    }
  });

  it('a prices: override in voicegw.yaml (negotiated rate) is what the row is billed at', async () => {
    const g = await openGateway({
      providers: mockProviders(mocks),
      projects: { n: { name: 'Negotiated' } },
      prices: { llm: { 'openai/gpt-4.1-mini': { input_per_1m: 0.2, output_per_1m: 1.0, cached_input_per_1m: 0.05 } } },
    });
    try {
      await new inference.LLM('openai/gpt-4.1-mini', { gateway: g, project: 'n' }).chat({ chatCtx: chatCtx('x') }).collect();
      await g.drain();
      const [row] = await g.ledger.logs({ project: 'n', limit: 1 });
      // (200 × 0.20 + 1000 × 0.05 + 80 × 1.00) / 1M USD
      expect(row!.costNanos).toBe(170_000);
      expect(row!.pricingSource).toBe('yaml');
    } finally {
      await g.close();
    }
  });
});
