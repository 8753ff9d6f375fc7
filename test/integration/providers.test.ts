import { llm, stt, tts } from '@livekit/agents';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { GENAI_SOURCE } from '../../src/metering/pricing.js';
import { type Fault, type MockServer, sineFrames } from '../../src/testing/index.js';
import { captureErrors, captureMetrics, chatCtx, type Mocks, mockProviders, openGateway, startMocks, synthesize, transcribe, rowsSince as ledgerRowsSince } from '../helpers/stack.js';

// The integration suite deepgram / openai / cartesia pass, for every provider #19 adds, each over
// its real LiveKit plugin (or our own STT for AssemblyAI) against its protocol-faithful mock.

let mocks: Mocks;
let gw: Gateway;
const USAGE = { prompt: 1200, completion: 80, cached: 1000 };

beforeAll(async () => {
  // loaded up front: a first import (~1 s for @google/genai) must not count against the attempt timeout below
  await Promise.all(['@livekit/agents-plugin-openai', '@livekit/agents-plugin-google', '@livekit/agents-plugin-elevenlabs'].map((p) => import(p)));
  mocks = await startMocks({ openai: { reply: 'Sure, I can help with that.', usage: USAGE }, google: { reply: 'Sure, I can help with that.', usage: USAGE }, local: { reply: 'local answer here' } });
  gw = await openGateway({
    providers: mockProviders(mocks),
    projects: { p: { name: 'P' } },
    default_project: 'p',
    fallbacks: { stt: ['local/whisper-large-v3'], llm: ['ollama/llama3.2'], tts: ['local/kokoro:af_heart'] },
    routing: { attempt_timeout_ms: 800, cooldown_ms: 0, retries: { max_attempts: 1 } }, // fallback itself, no retries
  });
});
afterAll(async () => {
  await gw?.close();
  await mocks?.close();
});
beforeEach(() => {
  for (const m of [mocks.openai, mocks.google, mocks.elevenlabs, mocks.assemblyai, mocks.local]) m.reset();
});

const rowsSince = (since: number) => ledgerRowsSince(gw, since);

const price = (modality: 'stt' | 'llm' | 'tts', provider: string, model: string, units: { inputUnits: number; outputUnits?: number; cachedUnits?: number }) =>
  gw.prices.price(modality, provider, model, { outputUnits: 0, cachedUnits: 0, ...units });

interface LlmCase {
  id: string;
  provider: string;
  model: string;
  mock: () => MockServer;
  key: (headers: Record<string, unknown>) => unknown;
  expectedKey: string;
}

const LLMS: LlmCase[] = [
  // the seed line of the README quick start
  { id: 'anthropic/claude-sonnet-4-20250514', provider: 'anthropic', model: 'claude-sonnet-4-20250514', mock: () => mocks.openai, key: (h) => h.authorization, expectedKey: 'Bearer sk-ant-test' },
  { id: 'xai/grok-3-mini', provider: 'xai', model: 'grok-3-mini', mock: () => mocks.openai, key: (h) => h.authorization, expectedKey: 'Bearer xai-test' },
  { id: 'google/gemini-2.5-flash', provider: 'google', model: 'gemini-2.5-flash', mock: () => mocks.google, key: (h) => h['x-goog-api-key'], expectedKey: 'goog-test' },
];

for (const c of LLMS) {
  describe(`inference.LLM('${c.id}')`, () => {
    async function turn() {
      const model = new inference.LLM(c.id, { gateway: gw });
      const errors = captureErrors(model);
      const metrics = captureMetrics<{ promptTokens: number; completionTokens: number; promptCachedTokens: number; metadata?: { modelProvider?: string } }>(model);
      const since = Date.now();
      const res = await model.chat({ chatCtx: chatCtx('Can you help me?') }).collect();
      return { model, text: res.text, errors, metrics, rows: await rowsSince(since) };
    }

    it('streams the answer over the real plugin, meters prompt / completion / cached tokens and prices the row from genai-prices', async () => {
      const { model, text, errors, metrics, rows } = await turn();
      expect(model).toBeInstanceOf(llm.LLM);
      expect([model.provider, model.model]).toEqual([c.provider, c.model]);
      expect(text).toBe('Sure, I can help with that.');
      expect(errors).toEqual([]);
      expect(metrics).toHaveLength(1);
      expect(metrics[0]).toMatchObject({ promptTokens: 1200, completionTokens: 80, promptCachedTokens: 1000, metadata: { modelProvider: c.provider } });
      expect(c.key(c.mock().requests.at(-1)!.headers)).toBe(c.expectedKey);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ provider: c.provider, model: c.model, inputUnits: 1200, outputUnits: 80, cachedUnits: 1000, status: 'success', pricingSource: GENAI_SOURCE });
      const entry = gw.prices.lookup('llm', c.id)!;
      // 200 fresh prompt tokens, 1000 cached, 80 completion at the model's genai-prices rates
      expect(rows[0]!.costNanos).toBe((200 * entry.inputNanos + 1000 * entry.cachedNanos + 80 * entry.outputNanos) / 1e6);
      expect(rows[0]!.costNanos).toBeGreaterThan(0);
    });

    it('a 503 before any output falls back to the next entry: one row per attempt, no error for the caller', async () => {
      c.mock().fail({ fault: { kind: 'status', status: 503 }, times: 1 });
      const { text, errors, rows } = await turn();
      expect(text).toBe('local answer here');
      expect(errors).toEqual([]);
      expect(rows.map((r) => [r.provider, r.status, r.fallbackFrom])).toEqual([
        [c.provider, 'error', null],
        ['ollama', 'fallback', c.id],
      ]);
    });

    it('a connection dropped after output began is surfaced as an error, not a fallback', async () => {
      c.mock().fail({ fault: { kind: 'drop', afterChunks: 2 }, times: 1 });
      const { text, errors, rows } = await turn();
      expect(text.length).toBeGreaterThan(0);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.recoverable).toBe(false);
      expect(mocks.local.requests).toHaveLength(0);
      expect(rows.map((r) => [r.provider, r.status])).toEqual([[c.provider, 'error']]);
    });

    it('an auth error with no fallback is surfaced (non-recoverable error event) and recorded', async () => {
      c.mock().fail({ fault: { kind: 'status', status: 401, message: 'invalid x-api-key' }, times: 1 });
      const model = new inference.LLM(c.id, { gateway: gw, fallback: [] });
      const errors = captureErrors(model);
      const since = Date.now();
      const res = await model.chat({ chatCtx: chatCtx('hi') }).collect();
      expect(res.text).toBe('');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.recoverable).toBe(false);
      expect(String(errors[0]!.error.message)).toMatch(/401|invalid x-api-key/);
      const rows = await rowsSince(since);
      expect(rows.map((r) => [r.provider, r.status, r.costNanos])).toEqual([[c.provider, 'error', 0]]);
      expect(rows[0]!.error).toMatch(/401|invalid x-api-key/);
    });
  });
}

describe("inference.TTS('elevenlabs/eleven_flash_v2_5:<voice>') over the real ElevenLabs plugin", () => {
  const text = 'Your order shipped yesterday and will arrive on Friday afternoon.';
  const voice = 'JBFqnCBsd6RMkjVDRZzb';

  it('streams over the multi-context WebSocket, bills the characters sent at the catalog rate', async () => {
    const model = new inference.TTS(`elevenlabs/eleven_flash_v2_5:${voice}`, { gateway: gw });
    expect(model).toBeInstanceOf(tts.TTS);
    expect([model.provider, model.model, model.sampleRate]).toEqual(['elevenlabs', 'eleven_flash_v2_5', 24000]);
    const metrics = captureMetrics<{ charactersCount: number }>(model);
    const errors = captureErrors(model);
    const since = Date.now();
    const { frames, seconds } = await synthesize(model, text);
    expect(errors).toEqual([]);
    expect(frames.every((f) => f.sampleRate === 24000)).toBe(true);
    expect(seconds).toBeCloseTo(text.replace(/\s+$/, '').length * 0.01, 1);
    expect(metrics.map((m) => m.charactersCount)).toEqual([text.length]);
    const ws = mocks.elevenlabs.requests.at(-1)!;
    expect(ws.path).toBe(`/v1/text-to-speech/${voice}/multi-stream-input`);
    expect(ws.query).toMatchObject({ model_id: 'eleven_flash_v2_5', output_format: 'pcm_24000' });
    expect(ws.headers['xi-api-key']).toBe('el-test');
    const rows = await rowsSince(since);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: 'elevenlabs', model: 'eleven_flash_v2_5', inputUnits: text.length, status: 'success', pricingSource: 'voicegateway-catalog@2026-06-01' });
    expect(rows[0]!.costNanos).toBe(text.length * 50_000); // $50 per 1M characters = 50,000 nanos each
  });

  it('synthesize() goes the chunked HTTP path and is billed the same way', async () => {
    const model = new inference.TTS(`elevenlabs/eleven_flash_v2_5:${voice}`, { gateway: gw });
    const errors = captureErrors(model);
    const since = Date.now();
    let seconds = 0;
    for await (const a of model.synthesize(text)) seconds += a.frame.samplesPerChannel / a.frame.sampleRate;
    expect(errors).toEqual([]);
    expect(seconds).toBeCloseTo(text.length * 0.01, 1);
    const post = mocks.elevenlabs.requests.at(-1)!;
    expect([post.method, post.path, post.query.output_format]).toEqual(['POST', `/v1/text-to-speech/${voice}/stream`, 'pcm_24000']);
    expect(post.body).toMatchObject({ text, model_id: 'eleven_flash_v2_5' });
    const rows = await rowsSince(since);
    expect(rows.map((r) => [r.provider, r.status, r.inputUnits, r.costNanos])).toEqual([['elevenlabs', 'success', text.length, text.length * 50_000]]);
  });

  it('synthesize(): a 503 falls back to Kokoro after one ElevenLabs request (the plugin would retry 3 times, 2 s apart)', async () => {
    mocks.elevenlabs.fail({ kind: 'status', status: 503 });
    try {
      const model = new inference.TTS(`elevenlabs/eleven_flash_v2_5:${voice}`, { gateway: gw });
      const errors = captureErrors(model);
      const since = Date.now();
      let seconds = 0;
      for await (const a of model.synthesize(text)) seconds += a.frame.samplesPerChannel / a.frame.sampleRate;
      expect(seconds).toBeGreaterThan(0.3);
      expect(errors).toEqual([]);
      const rows = await rowsSince(since);
      expect(rows.map((r) => [r.provider, r.status, r.fallbackFrom])).toEqual([
        ['elevenlabs', 'error', null],
        ['kokoro', 'fallback', `elevenlabs/eleven_flash_v2_5:${voice}`],
      ]);
      expect(rows[0]!.error).toMatch(/503/);
      await new Promise((r) => setTimeout(r, 300)); // past the plugin's first retry interval (100 ms)
      expect(mocks.elevenlabs.requests.map((r) => r.fault)).toEqual(['status']);
    } finally {
      mocks.elevenlabs.heal();
    }
  });

  const before: [string, Fault][] = [
    ['a 503 on the WebSocket upgrade', { kind: 'status', status: 503 }],
    ['a stalled handshake past the attempt timeout', { kind: 'stall' }],
    ['a drop before any audio reached the caller', { kind: 'drop', afterChunks: 1 }],
  ];
  for (const [name, fault] of before) {
    it(`${name} → the text is replayed to Kokoro: one row per attempt, no error`, async () => {
      mocks.elevenlabs.fail({ fault, times: 1 });
      const model = new inference.TTS(`elevenlabs/eleven_flash_v2_5:${voice}`, { gateway: gw });
      const errors = captureErrors(model);
      const since = Date.now();
      const { seconds } = await synthesize(model, text);
      expect(seconds).toBeGreaterThan(0.3);
      expect(errors).toEqual([]);
      const rows = await rowsSince(since);
      expect(rows.map((r) => [r.provider, r.status, r.fallbackFrom])).toEqual([
        ['elevenlabs', 'error', null],
        ['kokoro', 'fallback', `elevenlabs/eleven_flash_v2_5:${voice}`],
      ]);
    });
  }

  it('a connection dropped after audio began ends with an error, never a clean end', async () => {
    // the plugin holds back its newest frame, so the cut comes a few audio messages in
    mocks.elevenlabs.fail({ fault: { kind: 'drop', afterChunks: 5 }, times: 1 });
    const model = new inference.TTS(`elevenlabs/eleven_flash_v2_5:${voice}`, { gateway: gw });
    const errors = captureErrors(model);
    const since = Date.now();
    const { frames } = await synthesize(model, text);
    expect(frames.length).toBeGreaterThanOrEqual(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.recoverable).toBe(false);
    const rows = await rowsSince(since);
    expect(rows.map((r) => [r.provider, r.status])).toEqual([['elevenlabs', 'error']]);
    expect(mocks.local.requests).toHaveLength(0);
  });
});

describe("inference.TTS('google/gemini-2.5-flash-preview-tts:<voice>') over the plugin's beta Gemini TTS", () => {
  const text = 'Your order shipped yesterday and will arrive on Friday afternoon.';
  const id = 'google/gemini-2.5-flash-preview-tts:Kore';
  const perChar = 15_125; // $15.125 per 1M characters (genai-prices' $0.50 / $10 per 1M tokens, converted) = 15,125 nanos each
  const spoken = (body: unknown) => (body as { contents: { parts: { text: string }[] }[] }).contents[0]!.parts[0]!.text;

  it('streams (sentence by sentence over streamGenerateContent), bills the characters at the catalog rate', async () => {
    const model = new inference.TTS(id, { gateway: gw });
    expect(model).toBeInstanceOf(tts.TTS);
    expect([model.provider, model.model, model.sampleRate]).toEqual(['google', 'gemini-2.5-flash-preview-tts', 24000]);
    const metrics = captureMetrics<{ charactersCount: number }>(model);
    const errors = captureErrors(model);
    const since = Date.now();
    const { frames, seconds } = await synthesize(model, text);
    expect(errors).toEqual([]);
    expect(frames.every((f) => f.sampleRate === 24000)).toBe(true);
    expect(seconds).toBeCloseTo(text.length * 0.01, 1);
    expect(metrics.map((m) => m.charactersCount)).toEqual([text.length]);
    const req = mocks.google.requests.at(-1)!;
    expect([req.method, req.path]).toEqual(['POST', '/v1beta/models/gemini-2.5-flash-preview-tts:streamGenerateContent']);
    expect(req.headers['x-goog-api-key']).toBe('goog-test');
    expect(req.body).toMatchObject({ generationConfig: { responseModalities: ['AUDIO'], speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Kore' } } } } });
    expect(spoken(req.body)).toContain(`"${text}"`);
    const rows = await rowsSince(since);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: 'google', model: 'gemini-2.5-flash-preview-tts', inputUnits: text.length, status: 'success', pricingSource: 'voicegateway-catalog@2026-12-03' });
    expect(rows[0]!.costNanos).toBe(text.length * perChar);
    expect(rows[0]!.costNanos).toBe(price('tts', 'google', 'gemini-2.5-flash-preview-tts', { inputUnits: text.length }).costNanos);
  });

  it('synthesize() is one generateContent stream, billed the same way; the same model string as an LLM goes to google.LLM', async () => {
    const model = new inference.TTS(id, { gateway: gw });
    const errors = captureErrors(model);
    const since = Date.now();
    let seconds = 0;
    for await (const a of model.synthesize(text)) seconds += a.frame.samplesPerChannel / a.frame.sampleRate;
    expect(errors).toEqual([]);
    expect(seconds).toBeCloseTo(text.length * 0.01, 1);
    expect(mocks.google.requests).toHaveLength(1);
    const rows = await rowsSince(since);
    expect(rows.map((r) => [r.provider, r.model, r.status, r.inputUnits, r.costNanos])).toEqual([['google', 'gemini-2.5-flash-preview-tts', 'success', text.length, text.length * perChar]]);
    // by modality: a TTS string is a TTS plugin, a chat string an LLM (and no voice is split off an LLM name)
    const ref = gw.registry.resolve('tts', id);
    expect(ref).toMatchObject({ provider: 'google', model: 'gemini-2.5-flash-preview-tts', variant: 'Kore' });
    const built = await ref.spec.tts!({ model: ref.model, variant: ref.variant, apiKey: 'k', options: {} });
    expect(built.label).toBe('tts.StreamAdapter<google.gemini.TTS>');
    expect(gw.registry.resolve('llm', 'google/gemini-2.5-flash')).toMatchObject({ provider: 'google', model: 'gemini-2.5-flash', variant: undefined });
  });

  const before: [string, Fault][] = [
    ['a 503', { kind: 'status', status: 503 }],
    ['a stalled request past the attempt timeout', { kind: 'stall' }],
    ['a drop before any audio was sent', { kind: 'drop', afterChunks: 0 }],
  ];
  for (const [name, fault] of before) {
    it(`${name} → the text is replayed to Kokoro: one row per attempt, no error`, async () => {
      mocks.google.fail({ fault, times: 1 });
      const model = new inference.TTS(id, { gateway: gw });
      const errors = captureErrors(model);
      const since = Date.now();
      const { seconds } = await synthesize(model, text);
      expect(seconds).toBeGreaterThan(0.3);
      expect(errors).toEqual([]);
      const rows = await rowsSince(since);
      expect(rows.map((r) => [r.provider, r.status, r.fallbackFrom])).toEqual([
        ['google', 'error', null],
        ['kokoro', 'fallback', id],
      ]);
      expect(mocks.google.requests).toHaveLength(1); // one plugin attempt: the drop-in falls back itself
    });
  }

  it('a connection dropped after audio began ends with an error, never a clean end', async () => {
    // the plugin holds back its newest frame, so the cut comes a few SSE chunks in
    mocks.google.fail({ fault: { kind: 'drop', afterChunks: 3 }, times: 1 });
    const model = new inference.TTS(id, { gateway: gw });
    const errors = captureErrors(model);
    const since = Date.now();
    const { frames } = await synthesize(model, text);
    expect(frames.length).toBeGreaterThanOrEqual(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.recoverable).toBe(false);
    const rows = await rowsSince(since);
    expect(rows.map((r) => [r.provider, r.status])).toEqual([['google', 'error']]);
    expect(mocks.local.requests).toHaveLength(0);
  });

  it('an auth error with no fallback is surfaced (non-recoverable error event) and recorded', async () => {
    mocks.google.fail({ fault: { kind: 'status', status: 403, message: 'API key not valid. Please pass a valid API key.' }, times: 1 });
    const model = new inference.TTS(id, { gateway: gw, fallback: [] });
    const errors = captureErrors(model);
    const since = Date.now();
    const { frames } = await synthesize(model, text);
    expect(frames).toHaveLength(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.recoverable).toBe(false);
    expect(String(errors[0]!.error.message)).toMatch(/API key not valid/);
    const rows = await rowsSince(since);
    // the stream path meters characters as it hands them to the provider (the drop-in's rule for every streaming TTS)
    expect(rows.map((r) => [r.provider, r.status, r.inputUnits])).toEqual([['google', 'error', text.length]]);
    expect(rows[0]!.error).toMatch(/API key not valid/);
  });
});

describe("inference.TTS('local/piper:<voice>') over the OpenAI plugin (openedai-speech style)", () => {
  it('asks the server for Piper as tts-1 with the voice, and is free (source local)', async () => {
    const model = new inference.TTS('local/piper:en_US-amy-medium', { gateway: gw });
    expect([model.provider, model.model]).toEqual(['piper', 'piper']);
    const since = Date.now();
    const { seconds } = await synthesize(model, 'Hello from Piper.');
    expect(seconds).toBeGreaterThan(0);
    expect(mocks.local.requests.at(-1)!.body).toMatchObject({ model: 'tts-1', voice: 'en_US-amy-medium', input: 'Hello from Piper.' });
    const rows = await rowsSince(since);
    expect(rows.map((r) => [r.provider, r.model, r.status, r.costNanos, r.pricingSource])).toEqual([['piper', 'piper', 'success', 0, 'local']]);
  });
});

describe("inference.STT('assemblyai/universal-streaming') over our Universal-Streaming v3 STT", () => {
  const finals = (events: stt.SpeechEvent[]) => events.filter((e) => e.type === stt.SpeechEventType.FINAL_TRANSCRIPT).map((e) => e.alternatives![0].text);

  it('partials become interim transcripts, end_of_turn a final one; the session duration is the billed usage', async () => {
    const model = new inference.STT('assemblyai/universal-streaming', { gateway: gw });
    expect(model).toBeInstanceOf(stt.STT);
    expect([model.provider, model.model]).toEqual(['assemblyai', 'universal-streaming']);
    const metrics = captureMetrics<{ audioDurationMs: number }>(model);
    const errors = captureErrors(model);
    const since = Date.now();
    const events = await transcribe(model, sineFrames(2.5));
    expect(errors).toEqual([]);
    expect(finals(events)[0]).toBe('Hello from the mock assemblyai.');
    expect(events.some((e) => e.type === stt.SpeechEventType.INTERIM_TRANSCRIPT && e.alternatives![0].text === 'hello from the')).toBe(true);
    const conn = mocks.assemblyai.requests.at(-1)!;
    expect(conn.query).toMatchObject({ sample_rate: '16000', encoding: 'pcm_s16le', format_turns: 'true', speech_model: 'universal-streaming' });
    expect(conn.headers.authorization).toBe('aai-test');
    expect(conn.messages).toContainEqual({ type: 'Terminate' });
    const session = mocks.assemblyai.sessions.at(-1)!;
    expect(session.terminated).toBe(true);
    // usage per turn, topped up at Termination: in all, the session duration AssemblyAI bills (≥ the 2.5 s of audio it carried)
    expect(metrics.reduce((s, m) => s + m.audioDurationMs, 0)).toBeCloseTo(session.sessionSeconds * 1000, 0);
    expect(session.sessionSeconds).toBeGreaterThanOrEqual(2.5);
    const rows = await rowsSince(since);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: 'assemblyai', model: 'universal-streaming', status: 'success', pricingSource: 'voicegateway-catalog@2026-12-03' });
    expect(rows[0]!.inputUnits).toBeCloseTo(session.sessionSeconds, 3);
    expect(rows[0]!.costNanos).toBe(price('stt', 'assemblyai', 'universal-streaming', { inputUnits: session.sessionSeconds }).costNanos); // $0.15 / h
    expect(rows[0]!.costNanos).toBe(Math.round((session.sessionSeconds / 3600) * 0.15 * 1e9));
  });

  const before: [string, Fault][] = [
    ['a 401 on the upgrade', { kind: 'status', status: 401 }],
    ['a stalled handshake past the attempt timeout', { kind: 'stall' }],
  ];
  for (const [name, fault] of before) {
    it(`${name} → Whisper transcribes the same audio, one row per attempt, no error`, async () => {
      mocks.assemblyai.fail({ fault, times: 1 });
      const model = new inference.STT('assemblyai/universal-streaming', { gateway: gw });
      const errors = captureErrors(model);
      const since = Date.now();
      const events = await transcribe(model, sineFrames(1.0));
      expect(finals(events)).toEqual(['hello from local whisper']);
      expect(errors).toEqual([]);
      const rows = await rowsSince(since);
      expect(rows.map((r) => [r.provider, r.status, r.fallbackFrom])).toEqual([
        ['assemblyai', 'error', null],
        ['whisper', 'fallback', 'assemblyai/universal-streaming'],
      ]);
    });
  }

  it('a connection dropped after transcripts began is surfaced as an error, not a fallback', async () => {
    mocks.assemblyai.fail({ fault: { kind: 'drop', afterChunks: 3 }, times: 1 });
    const model = new inference.STT('assemblyai/universal-streaming', { gateway: gw });
    const errors = captureErrors(model);
    const since = Date.now();
    const events = await transcribe(model, sineFrames(2.5));
    expect(finals(events).length).toBeGreaterThanOrEqual(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.recoverable).toBe(false);
    expect(mocks.local.requests).toHaveLength(0);
    const rows = await rowsSince(since);
    expect(rows.map((r) => [r.provider, r.status])).toEqual([['assemblyai', 'error']]);
  });
});
