import { APIConnectionError, llm, stt } from '@livekit/agents';
import * as google from '@livekit/agents-plugin-google';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GEMINI_AUDIO_TOKENS_PER_SECOND, GEMINI_TTS_SAMPLE_RATE, googleErrorBody, type MockGoogle, sineFrames, startMockGoogle } from '../../src/testing/index.js';
import { NO_RETRY, observe, until } from './helpers.js';

// The Gemini mock against the real @livekit/agents-plugin-google 1.9 (@google/genai over HTTPS + SSE).

const REPLY = 'Hello from the mock Gemini, one word per chunk.';
let mock: MockGoogle;
beforeAll(async () => {
  mock = await startMockGoogle({ reply: REPLY, usage: { prompt: 120, completion: 12, cached: 100 } });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

const newLLM = () => new google.LLM({ model: 'gemini-2.5-flash', apiKey: 'goog-test', vertexai: false, httpOptions: { baseUrl: mock.baseURL } } as never);

function ctx(): llm.ChatContext {
  const c = llm.ChatContext.empty();
  c.addMessage({ role: 'system', content: 'You are a test agent.' });
  c.addMessage({ role: 'user', content: 'Say hello.' });
  return c;
}

describe('mock Gemini: the real google.LLM', () => {
  it('streams SSE chunks one word each; usageMetadata becomes prompt / completion / cached tokens', async () => {
    const model = newLLM();
    const seen = observe(model);
    const stream = model.chat({ chatCtx: ctx(), connOptions: NO_RETRY });
    const deltas: string[] = [];
    for await (const chunk of stream) if (chunk.delta?.content) deltas.push(chunk.delta.content);
    expect(deltas.join('')).toBe(REPLY);
    expect(deltas.length).toBe(REPLY.split(' ').length);
    expect(seen.errors).toEqual([]);
    await until(() => seen.metrics.length > 0, 2000, 'llm_metrics');
    expect(seen.metrics[0]).toMatchObject({ type: 'llm_metrics', promptTokens: 120, completionTokens: 12, promptCachedTokens: 100 });

    const req = mock.requests[0]!;
    expect([req.method, req.path, req.query.alt]).toEqual(['POST', '/v1beta/models/gemini-2.5-flash:streamGenerateContent', 'sse']);
    expect(req.headers['x-goog-api-key']).toBe('goog-test');
    const body = req.body as { contents: { role: string; parts: { text: string }[] }[]; systemInstruction?: { parts: { text: string }[] } };
    expect(body.contents.at(-1)).toMatchObject({ role: 'user', parts: [{ text: 'Say hello.' }] });
    expect(JSON.stringify(body.systemInstruction)).toContain('You are a test agent.');
  });

  it('generateContent (not streamed) answers the whole reply as one JSON body', async () => {
    const res = await fetch(`${mock.baseURL}/v1beta/models/gemini-2.5-pro:generateContent`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }) });
    const json = (await res.json()) as { candidates: { content: { parts: { text: string }[] }; finishReason: string }[]; modelVersion: string; usageMetadata: Record<string, number> };
    expect(json.candidates[0]).toMatchObject({ content: { parts: [{ text: REPLY }] }, finishReason: 'STOP' });
    expect(json.modelVersion).toBe('gemini-2.5-pro');
    expect(json.usageMetadata).toMatchObject({ promptTokenCount: 120, candidatesTokenCount: 12, cachedContentTokenCount: 100 });
    const bad = await fetch(`${mock.baseURL}/v1beta/models/gemini-2.5-pro:generateContent`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
  });
});

describe('mock Gemini: faults seen by the real plugin', () => {
  it('status: Google’s error body; the plugin reports an APIConnectionError carrying the status and message', async () => {
    mock.fail({ kind: 'status', status: 429, message: 'Resource has been exhausted (e.g. check quota).' });
    const model = newLLM();
    const seen = observe(model);
    const res = await model.chat({ chatCtx: ctx(), connOptions: NO_RETRY }).collect();
    expect(res.text).toBe('');
    await until(() => seen.errors.length > 0, 3000, 'llm error');
    expect(seen.errors[0]!.recoverable).toBe(false);
    expect(seen.errors[0]!.error).toBeInstanceOf(APIConnectionError);
    expect(seen.errors[0]!.error.message).toMatch(/429/);
    expect(seen.errors[0]!.error.message).toMatch(/Resource has been exhausted/);
    expect(mock.requests[0]!.fault).toBe('status');
  });

  it('drop: the words before the cut arrive, then a non-recoverable error', async () => {
    mock.fail({ kind: 'drop', afterChunks: 2 });
    const model = newLLM();
    const seen = observe(model);
    const res = await model.chat({ chatCtx: ctx(), connOptions: NO_RETRY }).collect();
    expect(res.text).toBe(REPLY.split(' ').slice(0, 2).join(' '));
    await until(() => seen.errors.length > 0, 3000, 'llm error');
    expect(seen.errors[0]!.recoverable).toBe(false);
  });

  it('malformed: the first SSE event is broken JSON; the plugin fails the request', async () => {
    mock.fail({ kind: 'malformed' });
    const model = newLLM();
    const seen = observe(model);
    await model.chat({ chatCtx: ctx(), connOptions: NO_RETRY }).collect();
    await until(() => seen.errors.length > 0, 3000, 'llm error');
    expect(seen.errors[0]!.recoverable).toBe(false);
  });

  it('stall: nothing is answered until the client gives up; heal() restores service', async () => {
    mock.fail({ kind: 'stall' });
    const model = newLLM();
    const seen = observe(model);
    const stream = model.chat({ chatCtx: ctx(), connOptions: NO_RETRY });
    const collected = stream.collect();
    await until(() => mock.requests.length === 1, 3000, 'the stalled request');
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.errors).toEqual([]); // still waiting
    stream.close();
    await collected;
    mock.heal();
    expect((await newLLM().chat({ chatCtx: ctx(), connOptions: NO_RETRY }).collect()).text).toBe(REPLY);
  });
});

const googleErrorStatus = (status: number) => (googleErrorBody(status, '') as { error: { status: string } }).error.status;

describe('mock Gemini TTS: the real google.beta.TTS (streamGenerateContent with responseModalities AUDIO)', () => {
  const TEXT = 'Your order shipped yesterday.';
  const newTTS = () => {
    const model = new google.beta.TTS({ model: 'gemini-2.5-flash-preview-tts', voiceName: 'Puck', apiKey: 'goog-test', vertexai: false });
    // the beta TTS takes no httpOptions: point a client built by the plugin's own @google/genai at the mock
    const client = new (model.client.constructor as new (o: object) => typeof model.client)({ apiKey: 'goog-test', httpOptions: { baseUrl: mock.baseURL } });
    Object.defineProperty(model, 'client', { get: () => client });
    return model;
  };

  it('answers 24 kHz PCM in base64 inlineData parts, ~10 ms per character of the quoted text; the request carries voice and modality', async () => {
    const model = newTTS();
    const seen = observe(model);
    let seconds = 0;
    const frames: { sampleRate: number; final: boolean }[] = [];
    for await (const a of model.synthesize(TEXT, NO_RETRY)) {
      seconds += a.frame.samplesPerChannel / a.frame.sampleRate;
      frames.push({ sampleRate: a.frame.sampleRate, final: a.final });
    }
    expect(seen.errors).toEqual([]);
    expect(seconds).toBeCloseTo(TEXT.length * 0.01, 2);
    expect(frames.every((f) => f.sampleRate === GEMINI_TTS_SAMPLE_RATE)).toBe(true);
    expect(frames.at(-1)!.final).toBe(true);
    await until(() => seen.metrics.length > 0, 2000, 'tts_metrics');
    expect(seen.metrics[0]).toMatchObject({ type: 'tts_metrics', charactersCount: TEXT.length });
    expect((seen.metrics[0] as { audioDurationMs: number }).audioDurationMs).toBeCloseTo(TEXT.length * 10, -1);

    const req = mock.requests.at(-1)!;
    expect([req.method, req.path, req.query.alt]).toEqual(['POST', '/v1beta/models/gemini-2.5-flash-preview-tts:streamGenerateContent', 'sse']);
    expect(req.headers['x-goog-api-key']).toBe('goog-test');
    const body = req.body as { contents: { parts: { text: string }[] }[]; generationConfig: unknown };
    expect(body.generationConfig).toMatchObject({ responseModalities: ['AUDIO'], speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Puck' } } } });
    expect(body.contents[0]!.parts[0]!.text).toMatch(new RegExp(`:\\n"${TEXT}"$`));
  });

  it('usageMetadata counts text prompt tokens and 25 audio tokens per second, by modality', async () => {
    const res = await fetch(`${mock.baseURL}/v1beta/models/gemini-2.5-pro-preview-tts:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Say calmly:\n"Hello there, friend."' }] }], generationConfig: { responseModalities: ['AUDIO'] } }),
    });
    const json = (await res.json()) as { candidates: { content: { parts: { inlineData: { mimeType: string; data: string } }[] } }[]; usageMetadata: unknown };
    const part = json.candidates[0]!.content.parts[0]!.inlineData;
    expect(part.mimeType).toBe('audio/L16;codec=pcm;rate=24000');
    const seconds = Buffer.from(part.data, 'base64').length / 2 / GEMINI_TTS_SAMPLE_RATE;
    expect(seconds).toBeCloseTo('Hello there, friend.'.length * 0.01, 3);
    expect(json.usageMetadata).toMatchObject({
      candidatesTokenCount: Math.round(seconds * GEMINI_AUDIO_TOKENS_PER_SECOND),
      candidatesTokensDetails: [{ modality: 'AUDIO', tokenCount: Math.round(seconds * GEMINI_AUDIO_TOKENS_PER_SECOND) }],
      promptTokensDetails: [{ modality: 'TEXT' }],
    });
    // a text model asked for audio is refused as Google does
    const bad = await fetch(`${mock.baseURL}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { responseModalities: ['AUDIO'] } }),
    });
    expect(bad.status).toBe(400);
  });

  // the beta TTS maps errors on `err.code`, which @google/genai's ApiError does not have (it has
  // `status`): every HTTP error reaches the caller as a retryable APIConnectionError naming the status
  it('status: Google’s error body reaches the caller as an APIConnectionError carrying the status and message', async () => {
    for (const status of [400, 503]) {
      mock.fail({ fault: { kind: 'status', status }, times: 1 });
      const model = newTTS();
      const seen = observe(model);
      let frames = 0;
      for await (const _ of model.synthesize(TEXT, NO_RETRY)) frames++;
      expect(frames).toBe(0);
      await until(() => seen.errors.length > 0, 3000, 'tts error');
      expect(seen.errors[0]!.recoverable).toBe(false);
      expect(seen.errors[0]!.error).toBeInstanceOf(APIConnectionError);
      expect(seen.errors[0]!.error.message).toMatch(new RegExp(`Gemini TTS: .*${status}`));
      expect(seen.errors[0]!.error.message).toContain(googleErrorStatus(status));
      expect(seen.errors[0]!.error.retryable).toBe(true);
    }
  });

  it('drop after audio began: the audio before the cut arrives, then a non-recoverable error', async () => {
    mock.fail({ fault: { kind: 'drop', afterChunks: 2 }, times: 1 }); // the plugin holds back its newest frame
    const model = newTTS();
    const seen = observe(model);
    let seconds = 0;
    for await (const a of model.synthesize(TEXT, NO_RETRY)) seconds += a.frame.samplesPerChannel / a.frame.sampleRate;
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(TEXT.length * 0.01);
    await until(() => seen.errors.length > 0, 3000, 'tts error');
    expect(seen.errors[0]!.recoverable).toBe(false);
  });

  it('refuse: the connection is reset; the plugin reports a retryable APIConnectionError with no audio', async () => {
    mock.fail({ fault: { kind: 'refuse' }, times: 1 });
    const model = newTTS();
    const seen = observe(model);
    let frames = 0;
    for await (const _ of model.synthesize(TEXT, NO_RETRY)) frames++;
    expect(frames).toBe(0);
    await until(() => seen.errors.length > 0, 3000, 'tts error');
    expect(seen.errors[0]!.recoverable).toBe(false);
    expect(seen.errors[0]!.error).toBeInstanceOf(APIConnectionError);
    expect(seen.errors[0]!.error.retryable).toBe(true);
  });

  it('malformed: the first SSE event is broken JSON; the plugin fails the request with no audio', async () => {
    mock.fail({ fault: { kind: 'malformed' }, times: 1 });
    const model = newTTS();
    const seen = observe(model);
    let frames = 0;
    for await (const _ of model.synthesize(TEXT, NO_RETRY)) frames++;
    expect(frames).toBe(0);
    await until(() => seen.errors.length > 0, 3000, 'tts error');
    expect(seen.errors[0]!.recoverable).toBe(false);
    expect(seen.errors[0]!.error).toBeInstanceOf(APIConnectionError);
  });
});

describe('mock Gemini Live: the real google.beta.GeminiSTT (input transcription over BidiGenerateContent)', () => {
  const newSTT = () => new google.beta.GeminiSTT({ model: 'gemini-live-2.5-flash', language: 'en-US', apiKey: 'goog-test', vertexai: false, httpOptions: { baseUrl: mock.baseURL } });
  async function run(model: ReturnType<typeof newSTT>, seconds: number) {
    const stream = model.stream({ connOptions: NO_RETRY });
    const events: stt.SpeechEvent[] = [];
    const reading = (async () => {
      for await (const ev of stream) events.push(ev);
    })();
    for (const f of sineFrames(seconds)) stream.pushFrame(f);
    stream.endInput();
    await reading;
    return events;
  }
  const texts = (events: stt.SpeechEvent[], type: stt.SpeechEventType) => events.filter((e) => e.type === type).map((e) => e.alternatives![0].text);

  it('setup, base64 PCM16 audio, audioStreamEnd; interim then final transcripts per turn; a normal close ends the stream', async () => {
    const model = newSTT();
    const seen = observe(model);
    const events = await run(model, 2.5);
    expect(seen.errors).toEqual([]);
    expect(texts(events, stt.SpeechEventType.FINAL_TRANSCRIPT)).toEqual(['hello from the mock gemini', 'hello from the mock gemini', 'hello from the mock gemini']);
    expect(texts(events, stt.SpeechEventType.INTERIM_TRANSCRIPT)[0]).toBe('hello from the');
    const req = mock.requests.at(-1)!;
    expect(req.path).toMatch(/^\/\/ws\/google\.ai\.generativelanguage\.v1beta\.GenerativeService\.BidiGenerateContent$/);
    expect(req.query.key).toBe('goog-test');
    const session = mock.liveSessions.at(-1)!;
    expect(session.model).toBe('gemini-live-2.5-flash');
    expect(session.setup).toMatchObject({ generationConfig: { responseModalities: ['TEXT'] }, inputAudioTranscription: { languageCodes: ['en-US'] } });
    expect(session.audioSeconds).toBeCloseTo(2.5, 3);
    expect([session.turns, session.streamEnded]).toEqual([3, true]);
    expect(req.messages).toContainEqual({ realtimeInput: { audioStreamEnd: true } });
    expect(req.messages).toContainEqual({ realtimeInput: { audio: { mimeType: 'audio/pcm;rate=16000', data: '<3200 bytes>' } } });
  });

  it('status: the socket is closed with 1008 and the reason; the plugin reports an APIStatusError with the close code', async () => {
    mock.fail({ fault: { kind: 'status', status: 403, message: 'API key not valid. Please pass a valid API key.' }, times: 1 });
    const model = newSTT();
    const seen = observe(model);
    const events = await run(model, 0.5);
    expect(texts(events, stt.SpeechEventType.FINAL_TRANSCRIPT)).toEqual([]);
    await until(() => seen.errors.length > 0, 3000, 'stt error');
    expect(seen.errors[0]!.recoverable).toBe(false);
    expect(seen.errors[0]!.error.statusCode).toBe(1008);
  });

  it('drop: the transcripts before the cut arrive, then a non-recoverable error', async () => {
    mock.fail({ fault: { kind: 'drop', afterChunks: 2 }, times: 1 });
    const model = newSTT();
    const seen = observe(model);
    const events = await run(model, 2.5);
    expect(texts(events, stt.SpeechEventType.FINAL_TRANSCRIPT)).toEqual(['hello from the mock gemini']);
    await until(() => seen.errors.length > 0, 3000, 'stt error');
    expect(seen.errors[0]!.recoverable).toBe(false);
  });
});
