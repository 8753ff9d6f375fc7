import { type VAD, voice } from '@livekit/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { EnergyVAD } from '../../src/providers/energy-vad.js';
import { silenceFrame, sineFrames } from '../../src/testing/index.js';
import { conversation, FakeAudioInput, FakeAudioOutput, waitFor } from '../helpers/session.js';
import { type Mocks, mockProviders, openGateway, startMocks } from '../helpers/stack.js';

// The #19 providers inside a headless voice.AgentSession, like deepgram/openai/cartesia in agent-session.test.ts.
let mocks: Mocks;
let gw: Gateway;
const ANSWER = 'It is noon. Anything else I can do for you today?';

beforeAll(async () => {
  mocks = await startMocks({ openai: { reply: ANSWER }, google: { reply: ANSWER } });
  gw = await openGateway({ providers: mockProviders(mocks), projects: { agent: { name: 'Agent' } }, default_project: 'agent' });
});
afterAll(async () => {
  await gw?.close();
  await mocks?.close();
});

async function oneTurn(parts: { stt: string; llm: string; tts: string; vad?: VAD }) {
  const session = new voice.AgentSession({
    stt: new inference.STT(parts.stt, { gateway: gw }),
    llm: new inference.LLM(parts.llm, { gateway: gw }),
    tts: new inference.TTS(parts.tts, { gateway: gw }),
    vad: parts.vad ?? null,
    turnHandling: { turnDetection: parts.vad ? 'vad' : 'stt', endpointing: { minDelay: 50, maxDelay: 500 } },
  });
  const mic = new FakeAudioInput();
  const speaker = new FakeAudioOutput();
  session.input.audio = mic;
  session.output.audio = speaker;
  const items = conversation(session);
  const errors: unknown[] = [];
  session.on(voice.AgentSessionEventTypes.Error, (e) => errors.push(e));
  const since = Date.now();
  await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
  for (const f of sineFrames(1.0)) {
    mic.push(f);
    await new Promise((r) => setTimeout(r, 5));
  }
  // a VAD ends the turn on silence (STT turn detection on the STT's end-of-speech)
  if (parts.vad) for (let i = 0; i < 8; i++) mic.push(silenceFrame(0.1));
  await waitFor(() => items.some((i) => i.startsWith('assistant')) && speaker.frames > 0, 15_000, 'the agent to answer aloud');
  await new Promise((r) => setTimeout(r, 300));
  await session.close();
  await gw.drain();
  await new Promise((r) => setTimeout(r, 50));
  const rows = (await gw.ledger.logs({ project: 'agent', limit: 50 })).filter((r) => r.ts >= since - 5);
  return { items, errors, speaker, rows, usage: session.usage.modelUsage };
}

describe('a headless voice.AgentSession over the #19 providers', () => {
  it('AssemblyAI → Anthropic → ElevenLabs: the agent answers aloud, every row is priced and matches session.usage', async () => {
    const { items, errors, speaker, rows, usage } = await oneTurn({ stt: 'assemblyai/universal-streaming', llm: 'anthropic/claude-sonnet-4-20250514', tts: 'elevenlabs/eleven_flash_v2_5:JBFqnCBsd6RMkjVDRZzb' });
    expect(items[0]).toBe('user: Hello from the mock assemblyai.');
    expect(items.find((i) => i.startsWith('assistant'))).toBe(`assistant: ${ANSWER}`);
    expect(speaker.samples / 24000).toBeGreaterThan(0.2);
    expect(errors).toEqual([]);
    for (const modality of ['stt', 'llm', 'tts'] as const) {
      const mine = rows.filter((r) => r.modality === modality);
      expect(mine.length, modality).toBeGreaterThan(0);
      expect(mine.every((r) => r.status === 'success' && r.costNanos !== null && r.costNanos > 0 && r.pricingSource !== ''), modality).toBe(true);
    }
    const llmUsage = usage.find((u) => u.type === 'llm_usage') as { provider: string; model: string; inputTokens: number; outputTokens: number };
    expect(llmUsage).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-20250514' });
    const llmRows = rows.filter((r) => r.modality === 'llm');
    expect(llmRows.reduce((s, r) => s + r.inputUnits, 0)).toBe(llmUsage.inputTokens);
    expect(llmRows.reduce((s, r) => s + r.outputUnits, 0)).toBe(llmUsage.outputTokens);
    const ttsUsage = usage.find((u) => u.type === 'tts_usage') as { provider: string; charactersCount: number };
    expect(ttsUsage.provider).toBe('elevenlabs');
    expect(rows.filter((r) => r.modality === 'tts').reduce((s, r) => s + r.inputUnits, 0)).toBe(ttsUsage.charactersCount);
    const sttUsage = usage.find((u) => u.type === 'stt_usage') as { provider: string; audioDurationMs: number };
    expect(sttUsage.provider).toBe('assemblyai');
    expect(rows.filter((r) => r.modality === 'stt')[0]!.inputUnits * 1000).toBeCloseTo(sttUsage.audioDurationMs, 0);
    expect(new Set(rows.map((r) => r.sessionId)).size).toBe(1);
  }, 30_000);

  it('ElevenLabs Scribe (realtime) → xAI → ElevenLabs TTS: the STT rows are priced and match session.usage', async () => {
    const { items, errors, speaker, rows, usage } = await oneTurn({ stt: 'elevenlabs/scribe_v2_realtime', llm: 'xai/grok-3-mini', tts: 'elevenlabs/eleven_flash_v2_5:JBFqnCBsd6RMkjVDRZzb' });
    expect(items[0]).toBe('user: hello from the mock scribe');
    expect(items.find((i) => i.startsWith('assistant'))).toBe(`assistant: ${ANSWER}`);
    expect(speaker.frames).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    const sttRows = rows.filter((r) => r.modality === 'stt');
    expect(sttRows.length).toBeGreaterThan(0);
    expect(sttRows.every((r) => r.provider === 'elevenlabs' && r.model === 'scribe_v2_realtime' && r.status === 'success' && r.costNanos! > 0 && r.pricingSource.startsWith('voicegateway-catalog@'))).toBe(true);
    const sttUsage = usage.find((u) => u.type === 'stt_usage') as { provider: string; audioDurationMs: number };
    expect(sttUsage.provider).toBe('elevenlabs');
    expect(sttRows.reduce((s, r) => s + r.inputUnits, 0) * 1000).toBeCloseTo(sttUsage.audioDurationMs, -1);
    expect(rows.filter((r) => r.modality === 'llm').every((r) => r.provider === 'xai' && r.costNanos! > 0)).toBe(true);
  }, 30_000);

  it('Deepgram → Gemini → local Piper: the agent answers aloud; Gemini is priced, Piper is free', async () => {
    const { items, errors, speaker, rows } = await oneTurn({ stt: 'deepgram/nova-3', llm: 'google/gemini-2.5-flash', tts: 'local/piper' });
    expect(items.find((i) => i.startsWith('assistant'))).toBe(`assistant: ${ANSWER}`);
    expect(speaker.frames).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    const llmRows = rows.filter((r) => r.modality === 'llm');
    expect(llmRows.every((r) => r.provider === 'google' && r.status === 'success' && r.costNanos! > 0 && r.pricingSource.startsWith('genai-prices@'))).toBe(true);
    const ttsRows = rows.filter((r) => r.modality === 'tts');
    expect(ttsRows.length).toBeGreaterThan(0);
    expect(ttsRows.every((r) => r.provider === 'piper' && r.costNanos === 0 && r.pricingSource === 'local')).toBe(true);
  }, 30_000);

  it('Deepgram → Gemini → Gemini TTS: one Google key speaks the answer; the TTS rows are priced and match session.usage', async () => {
    const { items, errors, speaker, rows, usage } = await oneTurn({ stt: 'deepgram/nova-3', llm: 'google/gemini-2.5-flash', tts: 'google/gemini-2.5-flash-preview-tts:Kore' });
    expect(items.find((i) => i.startsWith('assistant'))).toBe(`assistant: ${ANSWER}`);
    expect(speaker.samples / 24000).toBeGreaterThan(0.2);
    expect(errors).toEqual([]);
    const ttsRows = rows.filter((r) => r.modality === 'tts');
    expect(ttsRows.length).toBeGreaterThan(0);
    expect(ttsRows.every((r) => r.provider === 'google' && r.model === 'gemini-2.5-flash-preview-tts' && r.status === 'success' && r.costNanos! > 0 && r.pricingSource.startsWith('voicegateway-catalog@'))).toBe(true);
    const ttsUsage = usage.find((u) => u.type === 'tts_usage') as { provider: string; charactersCount: number };
    expect(ttsUsage.provider).toBe('google');
    expect(ttsRows.reduce((s, r) => s + r.inputUnits, 0)).toBe(ttsUsage.charactersCount);
    const audioRequests = mocks.google.requests.filter((r) => (r.body as { generationConfig?: { responseModalities?: string[] } }).generationConfig?.responseModalities?.includes('AUDIO'));
    expect(audioRequests.length).toBeGreaterThan(0);
  }, 30_000);

  it('Gemini STT (with a VAD: the plugin emits no end-of-speech) → Gemini → Gemini TTS: the STT rows are priced and match session.usage', async () => {
    const { items, errors, speaker, rows, usage } = await oneTurn({ stt: 'google/gemini-live-2.5-flash:en-US', llm: 'google/gemini-2.5-flash', tts: 'google/gemini-2.5-flash-preview-tts:Kore', vad: new EnergyVAD() });
    expect(items[0]).toBe('user: hello from the mock gemini');
    expect(items.find((i) => i.startsWith('assistant'))).toBe(`assistant: ${ANSWER}`);
    expect(speaker.frames).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    const sttRows = rows.filter((r) => r.modality === 'stt');
    expect(sttRows.length).toBeGreaterThan(0);
    expect(sttRows.every((r) => r.provider === 'google' && r.model === 'gemini-live-2.5-flash' && r.status === 'success' && r.costNanos! > 0 && r.pricingSource.startsWith('voicegateway-catalog@'))).toBe(true);
    const sttUsage = usage.find((u) => u.type === 'stt_usage') as { provider: string; audioDurationMs: number };
    expect(sttUsage.provider).toBe('google');
    expect(sttRows.reduce((s, r) => s + r.inputUnits, 0) * 1000).toBeCloseTo(sttUsage.audioDurationMs, -1);
  }, 30_000);
});
