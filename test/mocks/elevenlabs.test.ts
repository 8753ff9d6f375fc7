import { APIConnectionError, APIStatusError, initializeLogger, stt, tts } from '@livekit/agents';
import * as elevenlabs from '@livekit/agents-plugin-elevenlabs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MockElevenLabs, sineFrame, sineFrames, startMockElevenLabs } from '../../src/testing/index.js';
import { NO_RETRY, observe, until } from './helpers.js';

// The ElevenLabs mock against the real @livekit/agents-plugin-elevenlabs 1.9: TTS over the
// multi-context WebSocket and chunked HTTP, STT (Scribe) over the realtime WebSocket and batch POST.

initializeLogger({ pretty: false, level: 'silent' });
const { SpeechEventType } = stt;
const VOICE = 'JBFqnCBsd6RMkjVDRZzb';
const TEXT = 'Hello from the ElevenLabs mock. This is a second sentence.';
const SCRIBE = 'hello from the mock scribe';

let mock: MockElevenLabs;
beforeAll(async () => {
  // paced, so audio reaches the caller before a `drop` cuts (the plugin holds back its newest frame)
  mock = await startMockElevenLabs({ chunkDelayMs: 5, stt: { transcript: SCRIBE } });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

const newTTS = () => new elevenlabs.TTS({ apiKey: 'el-test', baseURL: mock.baseURL, voiceId: VOICE, model: 'eleven_flash_v2_5', encoding: 'pcm_24000' as never });
const newSTT = (o: Partial<elevenlabs.STTOptions> = {}) => new elevenlabs.STT({ apiKey: 'el-test', baseURL: mock.baseURL, model: 'scribe_v2_realtime', ...o });

async function speak(model: elevenlabs.TTS) {
  const stream = model.stream({ connOptions: NO_RETRY });
  stream.pushText(TEXT);
  stream.endInput();
  const frames: tts.SynthesizedAudio[] = [];
  let endOfStream = false;
  for await (const item of stream) {
    if (item === tts.SynthesizeStream.END_OF_STREAM) {
      endOfStream = true;
      break;
    }
    frames.push(item);
  }
  stream.close();
  return { frames, endOfStream, seconds: frames.reduce((s, f) => s + f.frame.samplesPerChannel / f.frame.sampleRate, 0) };
}

/** Read a stream in the background until it ends. */
function collect(stream: stt.SpeechStream) {
  const events: stt.SpeechEvent[] = [];
  const done = (async () => {
    for await (const event of stream) events.push(event);
  })();
  return { events, done, of: (type: stt.SpeechEventType) => events.filter((e) => e.type === type) };
}

describe('mock ElevenLabs TTS: the real elevenlabs.TTS', () => {
  it('stream(): audio per context over multi-stream-input, 10 ms per character; the stream ends (the plugin puts no END_OF_STREAM)', async () => {
    const model = newTTS();
    const seen = observe(model);
    const out = await speak(model);
    expect(seen.errors).toEqual([]);
    // elevenlabs 1.9 ends its stream without END_OF_STREAM (cartesia puts one); iteration just stops
    expect(out.endOfStream).toBe(false);
    expect(out.frames.length).toBeGreaterThan(3);
    expect(out.frames.every((f) => f.frame.sampleRate === 24000)).toBe(true);
    const ws = mock.requests[0]!;
    expect([ws.path, ws.query.model_id, ws.query.output_format, ws.headers['xi-api-key']]).toEqual([`/v1/text-to-speech/${VOICE}/multi-stream-input`, 'eleven_flash_v2_5', 'pcm_24000', 'el-test']);
    const sent = ws.messages as { text?: string; context_id?: string; close_context?: boolean }[];
    const spoken = sent.map((m) => m.text ?? '').join('');
    expect(spoken.replace(/\s+/g, ' ').trim()).toBe(TEXT);
    expect(sent.some((m) => m.close_context)).toBe(true);
    // what the mock produced for the text it was sent: 10 ms per non-blank character of each flushed part
    expect(out.seconds).toBeGreaterThan(TEXT.replace(/\s/g, '').length * 0.01 - 0.05);
    await until(() => seen.metrics.length > 0, 2000, 'tts_metrics');
    expect(seen.metrics[0]).toMatchObject({ type: 'tts_metrics', charactersCount: TEXT.length });
    await model.close();
  });

  it('synthesize(): POST /v1/text-to-speech/{voice}/stream returns raw PCM sized to the text', async () => {
    const model = newTTS();
    const frame = await model.synthesize(TEXT).collect();
    expect(frame.samplesPerChannel / frame.sampleRate).toBeCloseTo(TEXT.trim().length * 0.01, 2);
    const post = mock.requests[0]!;
    expect([post.method, post.path, post.query.output_format]).toEqual(['POST', `/v1/text-to-speech/${VOICE}/stream`, 'pcm_24000']);
    expect(post.body).toMatchObject({ text: TEXT, model_id: 'eleven_flash_v2_5' });
  });

  it('status: the upgrade is rejected; the plugin reports a non-recoverable error and no audio', async () => {
    mock.fail({ kind: 'status', status: 401, message: 'invalid api key' });
    const model = newTTS();
    const seen = observe(model);
    const out = await speak(model);
    expect(out.frames).toHaveLength(0);
    await until(() => seen.errors.length > 0, 3000, 'tts error');
    expect(seen.errors[0]!.recoverable).toBe(false);
    expect(mock.requests[0]!.fault).toBe('status');
    await model.close();
  });

  it('drop: some audio arrives, then the cut socket is an error, never a clean end', async () => {
    mock.fail({ fault: { kind: 'drop', afterChunks: 5 }, times: 1 });
    const model = newTTS();
    const seen = observe(model);
    const out = await speak(model);
    expect(out.frames.length).toBeGreaterThan(0);
    await until(() => seen.errors.length > 0, 3000, 'tts error');
    expect(seen.errors[0]!.recoverable).toBe(false);
    await model.close();
  });

  it('status on synthesize(): the plugin ignores connOptions and retries by itself, so times: 1 is absorbed', async () => {
    mock.fail({ fault: { kind: 'status', status: 503 }, times: 1 });
    const model = newTTS();
    const seen = observe(model);
    const frame = await model.synthesize(TEXT).collect();
    expect(frame.samplesPerChannel).toBeGreaterThan(0);
    expect(seen.errors).toEqual([]);
    expect(mock.requests.map((r) => r.fault)).toEqual(['status', undefined]);
  });

  it('malformed on synthesize(): a cut JSON body where audio should be; the plugin rejects non-audio data', async () => {
    const res = await fetch(`${mock.baseURL}/text-to-speech/${VOICE}/stream?output_format=pcm_24000`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hi', model_id: 'eleven_flash_v2_5' }) });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'audio/pcm']);
    await res.arrayBuffer();
    mock.fail({ kind: 'malformed' });
    const broken = await fetch(`${mock.baseURL}/text-to-speech/${VOICE}/stream?output_format=pcm_24000`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hi', model_id: 'eleven_flash_v2_5' }) });
    expect(broken.headers.get('content-type')).toBe('application/json');
    await expect(broken.json()).rejects.toThrow();
  });
});

describe('mock ElevenLabs Scribe realtime: the real elevenlabs.STT (scribe_v2_realtime)', () => {
  it('session_started, partials per 0.5 s, a commit on flush; the plugin reports the audio it sent', async () => {
    const model = newSTT({ languageCode: 'en' });
    const seen = observe(model);
    const stream = model.stream({ connOptions: NO_RETRY });
    const out = collect(stream);
    for (const frame of sineFrames(1.2)) stream.pushFrame(frame);
    stream.flush();
    await until(() => out.of(SpeechEventType.FINAL_TRANSCRIPT).length === 1, 5000, 'final');
    stream.close();
    await out.done;
    expect(out.of(SpeechEventType.INTERIM_TRANSCRIPT).map((e) => e.alternatives![0].text)).toEqual(['hello', 'hello from']);
    expect(out.of(SpeechEventType.FINAL_TRANSCRIPT)[0]!.alternatives![0]).toMatchObject({ text: SCRIBE, language: 'en' });
    const usage = out.of(SpeechEventType.RECOGNITION_USAGE).reduce((s, e) => s + e.recognitionUsage!.audioDuration, 0);
    expect(usage).toBeCloseTo(1.2, 3);
    expect(seen.errors).toEqual([]);
    const conn = mock.requests[0]!;
    expect(conn.query).toMatchObject({ model_id: 'scribe_v2_realtime', audio_format: 'pcm_16000', commit_strategy: 'manual', language_code: 'en' });
    expect(conn.headers['xi-api-key']).toBe('el-test');
    expect(conn.audioBytes).toBe(1.2 * 16000 * 2);
    const sent = conn.messages as { message_type: string; commit: boolean; sample_rate: number }[];
    expect(sent.every((m) => m.message_type === 'input_audio_chunk' && m.sample_rate === 16000)).toBe(true);
    expect(sent.filter((m) => m.commit)).toHaveLength(1);
    expect(mock.sttSessions[0]).toMatchObject({ model: 'scribe_v2_realtime', sampleRate: 16000, commits: 1 });
    await model.close();
  });

  it('language detection (no language): the final is committed_transcript_with_timestamps with words and the detected language', async () => {
    const model = newSTT({ includeTimestamps: true });
    const stream = model.stream({ connOptions: NO_RETRY });
    const out = collect(stream);
    for (const frame of sineFrames(0.8)) stream.pushFrame(frame);
    stream.flush();
    await until(() => out.of(SpeechEventType.FINAL_TRANSCRIPT).length === 1, 5000, 'final');
    stream.close();
    await out.done;
    const final = out.of(SpeechEventType.FINAL_TRANSCRIPT)[0]!.alternatives![0];
    expect(final.text).toBe(SCRIBE);
    expect(final.words!.map((w) => w.text)).toContain('scribe');
    expect(final.endTime).toBeCloseTo(0.8, 2);
    expect(final.confidence).toBeGreaterThan(0.9);
    expect(mock.requests[0]!.query).toMatchObject({ include_language_detection: 'true', include_timestamps: 'true' });
    await model.close();
  });

  it('server VAD: commit_strategy=vad commits every turnSeconds by itself and ends each turn', async () => {
    const model = newSTT({ languageCode: 'en', serverVad: { vadSilenceThresholdSecs: 0.5 } });
    const stream = model.stream({ connOptions: NO_RETRY });
    const out = collect(stream);
    for (const frame of sineFrames(2.1)) stream.pushFrame(frame);
    await until(() => out.of(SpeechEventType.END_OF_SPEECH).length === 2, 5000, 'two turns');
    stream.close();
    await out.done;
    expect(out.of(SpeechEventType.FINAL_TRANSCRIPT)).toHaveLength(2);
    expect(mock.requests[0]!.query).toMatchObject({ commit_strategy: 'vad', vad_silence_threshold_secs: '0.5' });
    await model.close();
  });

  it('status: ElevenLabs sends auth_error, then closes; the plugin surfaces the close as APIStatusError (1008)', async () => {
    mock.fail({ kind: 'status', status: 401, message: 'Invalid API key' });
    const model = newSTT();
    const seen = observe(model);
    const stream = model.stream({ connOptions: NO_RETRY });
    const out = collect(stream);
    stream.pushFrame(sineFrame(0.1));
    await until(() => seen.errors.length > 0, 5000, 'stt error');
    expect(seen.errors[0]!.error).toBeInstanceOf(APIStatusError);
    expect(seen.errors[0]!.error.statusCode).toBe(1008);
    expect(seen.errors[0]!.recoverable).toBe(false);
    stream.close();
    await out.done;
  });

  it('drop: N transcript messages, then the cut socket is an error (not a clean end)', async () => {
    mock.fail({ fault: { kind: 'drop', afterChunks: 1 }, times: 1 });
    const model = newSTT({ languageCode: 'en' });
    const seen = observe(model);
    const stream = model.stream({ connOptions: NO_RETRY });
    const out = collect(stream);
    for (const frame of sineFrames(0.6)) stream.pushFrame(frame);
    await until(() => seen.errors.length > 0, 5000, 'stt error');
    expect(out.of(SpeechEventType.INTERIM_TRANSCRIPT).map((e) => e.alternatives![0].text)).toEqual(['hello']);
    expect(seen.errors[0]!.error).toBeInstanceOf(APIStatusError);
    stream.close();
    await out.done;
  });

  it('malformed: the plugin logs the broken message and carries on (one partial fewer)', async () => {
    mock.fail({ fault: { kind: 'malformed' }, times: 1 });
    const model = newSTT({ languageCode: 'en' });
    const seen = observe(model);
    const stream = model.stream({ connOptions: NO_RETRY });
    const out = collect(stream);
    for (const frame of sineFrames(1.2)) stream.pushFrame(frame);
    stream.flush();
    await until(() => out.of(SpeechEventType.FINAL_TRANSCRIPT).length === 1, 5000, 'final');
    stream.close();
    await out.done;
    expect(out.of(SpeechEventType.INTERIM_TRANSCRIPT).map((e) => e.alternatives![0].text)).toEqual(['hello from']);
    expect(seen.errors).toEqual([]);
  });

  it('refuse: the connect fails with APIConnectionError', async () => {
    mock.fail({ kind: 'refuse' });
    const model = newSTT();
    const seen = observe(model);
    const stream = model.stream({ connOptions: NO_RETRY });
    const out = collect(stream);
    stream.pushFrame(sineFrame(0.1));
    await until(() => seen.errors.length > 0, 5000, 'stt error');
    expect(seen.errors[0]!.error).toBeInstanceOf(APIConnectionError);
    stream.close();
    await out.done;
  });
});

describe('mock ElevenLabs Scribe batch: the real elevenlabs.STT recognize()', () => {
  it('POST /v1/speech-to-text (multipart WAV) returns text and words timed over the clip', async () => {
    const model = new elevenlabs.STT({ apiKey: 'el-test', baseURL: mock.baseURL, model: 'scribe_v2' });
    const event = await model.recognize(sineFrame(0.9), { connOptions: NO_RETRY });
    expect(event.alternatives![0]).toMatchObject({ text: SCRIBE, language: 'en', speakerId: 'speaker_0', startTime: 0 });
    expect(event.alternatives![0].endTime).toBeCloseTo(0.9, 3);
    const post = mock.requests[0]!;
    expect([post.method, post.path, post.query.enable_logging]).toEqual(['POST', '/v1/speech-to-text', 'true']);
    expect(post.body).toMatchObject({ model_id: 'scribe_v2', tag_audio_events: 'true', file: { filename: 'audio.wav', type: 'audio/x-wav' } });
    expect(post.audioBytes).toBe(44 + 0.9 * 16000 * 2);
  });

  it('a status fault is the plugin error (one attempt, non-recoverable); a realtime model on the batch endpoint is a 422', async () => {
    const wrong = new elevenlabs.STT({ apiKey: 'el-test', baseURL: mock.baseURL, model: 'scribe_v1' });
    mock.fail({ fault: { kind: 'status', status: 429 }, times: 1 });
    const seen = observe(wrong);
    await expect(wrong.recognize(sineFrame(0.3), { connOptions: NO_RETRY })).rejects.toBeInstanceOf(APIConnectionError);
    expect(seen.errors[0]!.recoverable).toBe(false);
    const res = await fetch(`${mock.baseURL}/speech-to-text`, { method: 'POST', body: (() => { const f = new FormData(); f.append('model_id', 'scribe_v2_realtime'); return f; })() });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ detail: { message: expect.stringContaining('scribe_v1') } });
  });
});
