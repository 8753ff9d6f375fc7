import { llm } from '@livekit/agents';
import * as openai from '@livekit/agents-plugin-openai';
import type { AudioFrame } from '@livekit/rtc-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MockOpenAIRealtime, MOCK_TOKENS, silenceFrame, sineFrames, startMockOpenAIRealtime } from '../../src/testing/index.js';
import { until } from './helpers.js';

let mock: MockOpenAIRealtime;
beforeAll(async () => {
  mock = await startMockOpenAIRealtime({ replies: ['One two three.'], transcripts: ['testing testing'] });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

/** The real plugin's session with everything it reports. */
function open() {
  const model = new openai.realtime.RealtimeModel({ apiKey: 'sk-test', baseURL: mock.baseURL, voice: 'ash' });
  const session = model.session();
  const seen = { metrics: [] as { inputTokens: number; outputTokens: number; cancelled: boolean }[], errors: [] as llm.RealtimeModelError[], transcripts: [] as string[], text: [] as string[], audio: [] as AudioFrame[], events: [] as string[] };
  session.on('metrics_collected', (m) => seen.metrics.push(m));
  session.on('error', (e) => seen.errors.push(e));
  session.on('input_audio_transcription_completed', (e: llm.InputTranscriptionCompleted) => e.isFinal && seen.transcripts.push(e.transcript));
  session.on('openai_server_event_received', (e: { type: string }) => seen.events.push(e.type));
  session.on('generation_created', async (g: llm.GenerationCreatedEvent) => {
    for await (const m of g.messageStream) {
      await Promise.all([
        (async () => {
          for await (const t of m.textStream) seen.text.push(typeof t === 'string' ? t : t.text);
        })(),
        (async () => {
          for await (const f of m.audioStream) seen.audio.push(f);
        })(),
      ]);
    }
  });
  return { session, seen };
}

const speak = (session: llm.RealtimeSession) => [...sineFrames(0.5, 24000), silenceFrame(0.3, 24000)].forEach((f) => session.pushAudio(f));

describe('mock OpenAI Realtime with the real openai.realtime.RealtimeModel', () => {
  it('server VAD turn: transcription, one spoken response, usage the plugin reports as metrics', async () => {
    const { session, seen } = open();
    speak(session);
    await until(() => seen.metrics.length === 1 && seen.text.length === 3, 5000, 'a response');
    expect(seen.transcripts).toEqual(['testing testing']);
    expect(seen.text.join('')).toBe('One two three.');
    expect(seen.audio.reduce((ms, f) => ms + (f.samplesPerChannel / f.sampleRate) * 1000, 0)).toBeCloseTo(300, 3);
    const [u] = mock.usage;
    expect(seen.metrics[0]).toMatchObject({ inputTokens: u!.input_tokens, outputTokens: u!.output_tokens, cancelled: false });
    // 0.7 s of committed caller audio (speech + the 200 ms of silence that ended the turn)
    expect(u!.input_token_details.audio_tokens).toBe(Math.ceil(0.7 * MOCK_TOKENS.audioInPerSecond));
    expect(u!.output_token_details.audio_tokens).toBe(Math.ceil(0.3 * MOCK_TOKENS.audioOutPerSecond));
    expect(mock.transcriptionUsage[0]).toMatchObject({ model: 'gpt-4o-mini-transcribe', input_tokens: 7 });
    expect(seen.events).toEqual(expect.arrayContaining(['session.updated', 'input_audio_buffer.speech_started', 'input_audio_buffer.committed', 'response.done', 'rate_limits.updated']));
    const rec = mock.requests[0]!;
    expect(rec.query.model).toBe('gpt-realtime');
    expect(rec.headers.authorization).toBe('Bearer sk-test');
    expect((rec.messages![0] as { session: { audio: { output: { voice: string } } } }).session.audio.output.voice).toBe('ash');
    expect(rec.audioBytes).toBe(0.8 * 24000 * 2);
    expect(seen.errors).toEqual([]);
    await session.close();
  });

  it('chat context items are acknowledged; the second response reads the first from the cache', async () => {
    const { session, seen } = open();
    const ctx = llm.ChatContext.empty();
    ctx.addMessage({ role: 'user', content: 'My name is Ada.' });
    await session.updateChatCtx(ctx);
    expect(session.chatCtx.items.map((i) => (i as llm.ChatMessage).textContent)).toEqual(['My name is Ada.']);
    await session.generateReply();
    await until(() => seen.metrics.length === 1, 5000, 'first reply');
    await session.generateReply();
    await until(() => seen.metrics.length === 2, 5000, 'second reply');
    expect(mock.usage[1]!.input_token_details.cached_tokens).toBe(mock.usage[0]!.input_tokens);
    await session.close();
  });

  it('response.cancel ends a paced response as cancelled; server error events reach the plugin', async () => {
    const paced = await startMockOpenAIRealtime({ replies: ['a b c d e f g h i j'], wordIntervalMs: 30 });
    const model = new openai.realtime.RealtimeModel({ apiKey: 'sk-test', baseURL: paced.baseURL });
    const session = model.session();
    const metrics: { cancelled: boolean }[] = [];
    const errors: llm.RealtimeModelError[] = [];
    session.on('metrics_collected', (m) => metrics.push(m));
    session.on('error', (e) => errors.push(e));
    await session.generateReply();
    await new Promise((r) => setTimeout(r, 60));
    await session.interrupt();
    await until(() => metrics.length === 1, 5000, 'the cancelled response');
    expect(metrics[0]!.cancelled).toBe(true);
    expect(paced.cancelled).toHaveLength(1);
    expect(paced.usage[0]!.output_token_details.audio_tokens).toBeLessThan(Math.ceil(1 * MOCK_TOKENS.audioOutPerSecond));
    paced.serverError('rate_limit_exceeded', 'Rate limit reached');
    await until(() => errors.length === 1, 5000, 'the error event');
    expect(errors[0]!.error.message).toBe('Rate limit reached');
    expect(errors[0]!.recoverable).toBe(true);
    await session.close();
    await paced.close();
  });

  it("malformed: the first audio delta is cut in half; the raw plugin's bare JSON.parse throws it as an uncaught exception (the drop-in skips it)", async () => {
    const uncaught: Error[] = [];
    const onUncaught = (e: Error) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    mock.fail({ fault: { kind: 'malformed' }, times: 1 });
    const { session, seen } = open();
    try {
      await session.generateReply();
      await until(() => uncaught.length > 0, 5000, 'the malformed event to reach the plugin');
      expect(uncaught[0]).toBeInstanceOf(SyntaxError);
      expect(seen.events).toContain('response.output_audio_transcript.delta'); // the events before it were read
      expect(seen.events).not.toContain('response.output_audio.delta');
    } finally {
      process.off('uncaughtException', onUncaught);
      await session.close();
    }
  });
});
