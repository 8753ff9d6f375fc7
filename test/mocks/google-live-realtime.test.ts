import { llm } from '@livekit/agents';
import * as google from '@livekit/agents-plugin-google';
import type { AudioFrame } from '@livekit/rtc-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GEMINI_LIVE_TOKENS, type MockGoogle, silenceFrame, sineFrames, startMockGoogle } from '../../src/testing/index.js';
import { until } from './helpers.js';

// The Gemini Live conversation mock against the real google.realtime.RealtimeModel (@livekit/agents-plugin-google
// 1.9, @google/genai's live.connect over a real WebSocket).

const MODEL = 'gemini-2.5-flash-native-audio-preview-12-2025';
let mock: MockGoogle;
beforeAll(async () => {
  mock = await startMockGoogle({ conversation: { replies: ['One two three.', 'Four five.'], transcripts: ['testing testing', 'again'] } });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

/** The real plugin's session with everything it reports. */
function open(base = mock.baseURL, extra: Record<string, unknown> = {}) {
  const model = new google.realtime.RealtimeModel({ model: MODEL, apiKey: 'goog-test', voice: 'Puck', instructions: 'You are a test agent.', httpOptions: { baseUrl: base }, ...extra });
  const session = model.session();
  const seen = {
    metrics: [] as { inputTokens: number; outputTokens: number; cancelled: boolean; inputTokenDetails: { audioTokens: number; textTokens: number; cachedTokens: number }; outputTokenDetails: { audioTokens: number } }[],
    errors: [] as llm.RealtimeModelError[],
    transcripts: [] as string[],
    text: [] as string[],
    audio: [] as AudioFrame[],
    generations: 0,
  };
  session.on('metrics_collected', (m) => seen.metrics.push(m));
  session.on('error', (e) => seen.errors.push(e));
  session.on('input_audio_transcription_completed', (e: llm.InputTranscriptionCompleted) => e.isFinal && seen.transcripts.push(e.transcript));
  session.on('generation_created', async (g: llm.GenerationCreatedEvent) => {
    seen.generations++;
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
const ms = (frames: AudioFrame[]) => frames.reduce((n, f) => n + (f.samplesPerChannel / f.sampleRate) * 1000, 0);

describe('mock Gemini Live conversation with the real google.realtime.RealtimeModel', () => {
  it('setup with voice and transcription; a spoken turn: input transcription, 24 kHz audio with its transcript, usage the plugin reports as metrics', async () => {
    const { session, seen } = open();
    await until(() => mock.liveSessions.length === 1, 5000, 'the connection');
    speak(session);
    await until(() => seen.metrics.length === 1, 5000, 'a response');
    await until(() => seen.transcripts.length === 1, 2000, 'the final input transcript');
    expect(seen.transcripts).toEqual(['testing testing']);
    expect(seen.text.join('')).toBe('One two three.');
    expect(seen.audio[0]!.sampleRate).toBe(24000);
    expect(ms(seen.audio)).toBeCloseTo(300, 3);
    const [u] = mock.liveUsage;
    // 0.7 s of caller audio (the speech and the 200 ms of silence that ended the turn; the plugin resamples to 16 kHz), 0.3 s of answer
    expect(u!.promptTokensDetails).toEqual([
      { modality: 'TEXT', tokenCount: Math.ceil('You are a test agent.'.length / GEMINI_LIVE_TOKENS.charsPerTextToken) },
      { modality: 'AUDIO', tokenCount: Math.round(0.7 * GEMINI_LIVE_TOKENS.audioPerSecond) },
    ]);
    expect(u!.responseTokensDetails).toEqual([{ modality: 'AUDIO', tokenCount: Math.round(0.3 * GEMINI_LIVE_TOKENS.audioPerSecond) }]);
    expect(seen.metrics[0]).toMatchObject({ inputTokens: u!.promptTokenCount, outputTokens: u!.responseTokenCount, cancelled: false });
    expect(seen.metrics[0]!.inputTokenDetails).toMatchObject({ audioTokens: 18, textTokens: 6, cachedTokens: 0 });
    const live = mock.liveSessions[0]!;
    expect(live.conversation).toBe(true);
    expect(live.model).toBe(MODEL);
    expect(live.setup).toMatchObject({
      generationConfig: { responseModalities: ['AUDIO'], speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Puck' } } } },
      systemInstruction: { parts: [{ text: 'You are a test agent.' }] },
      inputAudioTranscription: {},
      outputAudioTranscription: {},
    });
    const req = mock.requests[0]!;
    expect(req.query.key).toBe('goog-test');
    expect(req.messages).toContainEqual({ realtimeInput: { audio: { mimeType: 'audio/pcm', data: '<1600 bytes>' } } });
    expect(seen.errors).toEqual([]);
    await session.close();
  });

  it('generateReply: a clientContent turn answered as a user-initiated generation; the second turn re-reads the first (cachedPrompt)', async () => {
    const cached = await startMockGoogle({ conversation: { replies: ['Hi.', 'Again.'], cachedPrompt: true } });
    const { session, seen } = open(cached.baseURL);
    try {
      const first = await session.generateReply();
      expect(first.userInitiated).toBe(true);
      await until(() => seen.metrics.length === 1, 5000, 'first reply');
      await session.generateReply();
      await until(() => seen.metrics.length === 2, 5000, 'second reply');
      const [a, b] = cached.liveUsage;
      expect(b!.cachedContentTokenCount).toBe(a!.promptTokenCount);
      expect(seen.metrics[1]!.inputTokenDetails.cachedTokens).toBe(a!.promptTokenCount);
      expect(cached.requests[0]!.messages).toContainEqual({ clientContent: { turns: [{ role: 'user', parts: [{ text: '.' }] }], turnComplete: true } });
    } finally {
      await session.close();
      await cached.close();
    }
  });

  it('the caller speaking over an answer interrupts it: interrupted, then turnComplete with the usage of what was generated', async () => {
    const paced = await startMockGoogle({ conversation: { replies: ['a b c d e f g h i j', 'ok'], wordIntervalMs: 40 } });
    const { session, seen } = open(paced.baseURL);
    try {
      await until(() => paced.liveSessions.length === 1, 5000, 'the connection');
      speak(session);
      await until(() => seen.audio.length >= 2, 5000, 'the answer to start');
      speak(session);
      await until(() => paced.liveUsage.length === 2, 5000, 'the interrupted answer and the next');
      expect(paced.liveInterrupted).toBe(1);
      expect(paced.liveUsage[0]!.responseTokenCount).toBeLessThan(Math.round(1 * GEMINI_LIVE_TOKENS.audioPerSecond));
      await until(() => seen.metrics.length === 2, 5000, 'both metrics');
    } finally {
      await session.close();
      await paced.close();
    }
  });

  it('goAway: the plugin reconnects with the session resumption handle; the conversation goes on (the raw plugin reports its own close as a fatal error)', async () => {
    const { session, seen } = open();
    await until(() => mock.liveSessions.length === 1, 5000, 'the connection');
    speak(session);
    await until(() => seen.metrics.length === 1, 5000, 'a response');
    mock.goAway();
    await until(() => mock.liveSessions.length === 2, 5000, 'the reconnect');
    const handle = (mock.liveSessions[1]!.setup.sessionResumption as { handle?: string }).handle;
    expect(handle).toEqual(expect.any(String));
    speak(session);
    await until(() => seen.metrics.length === 2, 5000, 'a response on the new connection');
    // the restored conversation: the first turn's audio and answer are part of the second prompt
    expect(mock.liveUsage[1]!.promptTokenCount).toBeGreaterThan(mock.liveUsage[0]!.promptTokenCount + 20);
    // ws's close() sends no code, so the close it initiated ends with 1005, which the plugin reports as non-recoverable
    expect(seen.errors.map((e) => [e.error.message, e.recoverable])).toEqual([['WebSocket closed with code 1005', false]]);
    await session.close();
  });
});

describe('mock Gemini Live faults seen by the raw plugin (what the drop-in guards against)', () => {
  it('status: Google closes the socket with 1011 and the reason; the plugin reports it as a non-recoverable error and never connects', async () => {
    mock.fail({ fault: { kind: 'status', status: 500, message: 'Internal error encountered.' }, times: 1 });
    const { session, seen } = open();
    await until(() => seen.errors.length > 0, 5000, 'the error');
    expect(seen.errors[0]!.recoverable).toBe(false);
    expect((seen.errors[0]!.error as Error & { statusCode: number }).statusCode).toBe(1011);
    expect(seen.errors[0]!.error.message).toContain('Internal error encountered.');
    await session.close();
  });

  it('refuse: one non-recoverable error (close 1006), and the plugin never tries again (its retries wait on a connect that never settles)', async () => {
    mock.fail({ fault: { kind: 'refuse' }, times: 1 });
    const { session, seen } = open(mock.baseURL, { connOptions: { maxRetry: 3, retryIntervalMs: 10, timeoutMs: 200 } });
    await until(() => seen.errors.length > 0, 5000, 'the error');
    expect([(seen.errors[0]!.error as Error & { statusCode: number }).statusCode, seen.errors[0]!.recoverable]).toEqual([1006, false]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(mock.liveSessions).toHaveLength(0); // a second attempt would have connected (the fault applied once)
    await session.close();
  });

  it('stall: no error and no timeout (connOptions.timeoutMs goes to HTTP requests only): the session waits', async () => {
    mock.fail({ fault: { kind: 'stall' }, times: 1 });
    const { session, seen } = open(mock.baseURL, { connOptions: { maxRetry: 3, retryIntervalMs: 10, timeoutMs: 200 } });
    await until(() => mock.requests.length === 1, 5000, 'the upgrade request');
    await new Promise((r) => setTimeout(r, 1000));
    expect([seen.errors, mock.requests.length, mock.liveSessions.length]).toEqual([[], 1, 0]);
    await session.close();
  });

  it('drop: the audio before the cut arrives; the socket dies without a close frame (1006)', async () => {
    mock.fail({ fault: { kind: 'drop', afterChunks: 2 }, times: 1 });
    const { session, seen } = open();
    await until(() => mock.liveSessions.length === 1, 5000, 'the connection');
    speak(session);
    await until(() => seen.errors.length > 0, 5000, 'the error');
    expect(ms(seen.audio)).toBeCloseTo(200, 3);
    expect((seen.errors[0]!.error as Error & { statusCode: number }).statusCode).toBe(1006);
    expect(mock.liveUsage).toEqual([]);
    await session.close();
  });

  it('malformed: the first audio message is cut in half; @google/genai parses it in a floating promise (an unhandled SyntaxError)', async () => {
    const escaped: unknown[] = [];
    const onEscape = (e: unknown) => escaped.push(e);
    process.on('unhandledRejection', onEscape);
    mock.fail({ fault: { kind: 'malformed' }, times: 1 });
    const { session, seen } = open();
    try {
      await until(() => mock.liveSessions.length === 1, 5000, 'the connection');
      speak(session);
      await until(() => seen.metrics.length === 1 && escaped.length > 0, 5000, 'the response and the rejection');
      expect(escaped[0]).toBeInstanceOf(SyntaxError);
      expect(ms(seen.audio)).toBeCloseTo(200, 3); // the broken message's audio is lost, the rest arrives
    } finally {
      process.off('unhandledRejection', onEscape);
      await session.close();
    }
  });
});
