import { voice } from '@livekit/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { sineFrames } from '../../src/testing/index.js';
import { conversation, FakeAudioInput, FakeAudioOutput, waitFor } from '../helpers/session.js';
import { type Mocks, mockProviders, openGateway, startMocks } from '../helpers/stack.js';

let mocks: Mocks;
let gw: Gateway;

beforeAll(async () => {
  mocks = await startMocks({ openai: { reply: 'It is noon. Anything else I can do for you today?' } });
  gw = await openGateway({ providers: mockProviders(mocks), projects: { agent: { name: 'Agent' } }, default_project: 'agent' });
});

afterAll(async () => {
  await gw?.close();
  await mocks?.close();
});

describe('a headless voice.AgentSession built only from drop-ins', () => {
  it('audio in → STT → LLM → TTS → audio out, and the ledger matches session.usage', async () => {
    const session = new voice.AgentSession({
      stt: new inference.STT('deepgram/nova-3', { gateway: gw }),
      llm: new inference.LLM('openai/gpt-4.1-mini', { gateway: gw }),
      tts: new inference.TTS('cartesia/sonic-3', { gateway: gw }),
      vad: null,
      turnHandling: { turnDetection: 'stt', endpointing: { minDelay: 50, maxDelay: 500 } },
    });
    const mic = new FakeAudioInput();
    const speaker = new FakeAudioOutput();
    session.input.audio = mic;
    session.output.audio = speaker;
    const items = conversation(session);
    const errors: unknown[] = [];
    session.on(voice.AgentSessionEventTypes.Error, (e) => errors.push(e));

    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    // one utterance; the caller then stays silent (LiveKit stops counting a session's metrics when it
    // closes, so audio streamed after the last provider report is in the ledger but not in session.usage)
    for (const f of sineFrames(1.0)) {
      mic.push(f);
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => items.some((i) => i.startsWith('assistant')) && speaker.frames > 0, 15_000, 'the agent to answer aloud');
    await new Promise((r) => setTimeout(r, 300));

    expect(items[0]).toBe('user: hello from the mock deepgram');
    expect(items.find((i) => i.startsWith('assistant'))).toBe('assistant: It is noon. Anything else I can do for you today?');
    expect(speaker.samples / 24000).toBeGreaterThan(0.2);
    expect(errors).toEqual([]);

    await session.close();
    await gw.drain();
    await new Promise((r) => setTimeout(r, 50));
    const usage = session.usage.modelUsage;

    const rows = await gw.ledger.logs({ project: 'agent', limit: 50 });
    const llmRows = rows.filter((r) => r.modality === 'llm');
    const ttsRows = rows.filter((r) => r.modality === 'tts');
    const sttRows = rows.filter((r) => r.modality === 'stt');
    expect(llmRows.length).toBeGreaterThan(0);
    expect(ttsRows.length).toBeGreaterThan(0);
    expect(sttRows.length).toBe(1);
    // reconciliation: per-model units in the ledger equal what LiveKit's session counted
    const llmUsage = usage.find((u) => u.type === 'llm_usage') as { provider: string; model: string; inputTokens: number; outputTokens: number };
    expect(llmUsage).toMatchObject({ provider: 'openai', model: 'gpt-4.1-mini' });
    expect(llmRows.reduce((s, r) => s + r.inputUnits, 0)).toBe(llmUsage.inputTokens);
    expect(llmRows.reduce((s, r) => s + r.outputUnits, 0)).toBe(llmUsage.outputTokens);
    const ttsUsage = usage.find((u) => u.type === 'tts_usage') as { provider: string; model: string; charactersCount: number };
    expect(ttsUsage).toMatchObject({ provider: 'cartesia', model: 'sonic-3' });
    expect(ttsRows.reduce((s, r) => s + r.inputUnits, 0)).toBe(ttsUsage.charactersCount);
    const sttUsage = usage.find((u) => u.type === 'stt_usage') as { provider: string; model: string; audioDurationMs: number };
    expect(sttUsage).toMatchObject({ provider: 'deepgram', model: 'nova-3' });
    expect(sttRows[0]!.inputUnits * 1000).toBeCloseTo(sttUsage.audioDurationMs, 0);
    expect(sttRows[0]!.inputUnits).toBeCloseTo(1.0, 3); // every frame the session sent
    // one session id shared by the three components
    expect(new Set(rows.map((r) => r.sessionId)).size).toBe(1);
  }, 30_000);
});

describe('an AgentSession whose primary LLM and TTS are failing', () => {
  it('keeps talking through the fallbacks and does not close on recovered failures', async () => {
    const g = await openGateway({
      providers: mockProviders(mocks),
      projects: { resilient: { name: 'Resilient' } },
      fallbacks: { llm: ['ollama/llama3.2'], tts: ['local/kokoro'] },
      routing: { attempt_timeout_ms: 2000, cooldown_ms: 0 },
    });
    mocks.openai.fail({ kind: 'status', status: 503 });
    mocks.cartesia.fail({ kind: 'status', status: 500 });
    try {
      const session = new voice.AgentSession({
        stt: new inference.STT('deepgram/nova-3', { gateway: g, project: 'resilient' }),
        llm: new inference.LLM('openai/gpt-4.1-mini', { gateway: g, project: 'resilient' }),
        tts: new inference.TTS('cartesia/sonic-3', { gateway: g, project: 'resilient' }),
        vad: null,
        turnHandling: { turnDetection: 'stt', endpointing: { minDelay: 50, maxDelay: 500 } },
      });
      const mic = new FakeAudioInput();
      const speaker = new FakeAudioOutput();
      session.input.audio = mic;
      session.output.audio = speaker;
      const items = conversation(session);
      const errors: unknown[] = [];
      let closed = false;
      session.on(voice.AgentSessionEventTypes.Error, (e) => errors.push(e));
      session.on(voice.AgentSessionEventTypes.Close, () => void (closed = true));
      await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });

      for (let turn = 1; turn <= 2; turn++) {
        const framesBefore = speaker.frames;
        for (const f of sineFrames(1.0)) {
          mic.push(f);
          await new Promise((r) => setTimeout(r, 5));
        }
        await waitFor(() => items.filter((i) => i.startsWith('assistant')).length >= turn && speaker.frames > framesBefore, 15_000, `answer ${turn}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(items.filter((i) => i.startsWith('assistant'))).toEqual(['assistant: Hello from the local model.', 'assistant: Hello from the local model.']);
      expect(errors).toEqual([]);
      expect(closed).toBe(false);
      await session.close();
      await g.drain();
      const rows = await g.ledger.logs({ project: 'resilient', limit: 50 });
      const byStatus = (m: string) => rows.filter((r) => r.modality === m).map((r) => `${r.provider}:${r.status}`).sort();
      // per turn: the primary's 4 attempts (routing.retries defaults), then the fallback answers
      expect(byStatus('llm')).toEqual(['ollama:fallback', 'ollama:fallback', ...Array<string>(8).fill('openai:error')]);
      expect(byStatus('tts').filter((s) => s === 'kokoro:fallback').length).toBeGreaterThanOrEqual(2);
      expect(byStatus('tts').every((s) => s === 'kokoro:fallback' || s === 'cartesia:error')).toBe(true);
    } finally {
      mocks.openai.heal();
      mocks.cartesia.heal();
      await g.close();
    }
  }, 40_000);
});
