import { APIConnectionError, APIStatusError, APITimeoutError, tts } from '@livekit/agents';
import * as cartesia from '@livekit/agents-plugin-cartesia';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MockCartesia, startMockCartesia } from '../../src/testing/index.js';
import { NO_RETRY, observe, until } from './helpers.js';

let mock: MockCartesia;
beforeAll(async () => {
  mock = await startMockCartesia();
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

const TEXT = 'Hello from the cartesia mock server, this is a test sentence. And here is a second sentence for it.';

interface SentMessage {
  transcript?: string;
  continue?: boolean;
  context_id?: string;
  output_format?: { sample_rate: number };
}

/** Synthesize TEXT through a fresh stream; errors only ever arrive on the TTS 'error' event. */
async function speak(model: cartesia.TTS, connOptions = NO_RETRY) {
  const stream = model.stream({ connOptions });
  stream.pushText(TEXT);
  stream.endInput();
  const frames: tts.SynthesizedAudio[] = [];
  let endOfStream = false;
  for await (const item of stream) {
    if (item === tts.SynthesizeStream.END_OF_STREAM) endOfStream = true;
    else frames.push(item);
  }
  const seconds = frames.reduce((sum, f) => sum + f.frame.samplesPerChannel / f.frame.sampleRate, 0);
  return { frames, seconds, endOfStream };
}

/** What the mock should have produced for the transcripts it received: 10 ms per non-blank character. */
function expectedSeconds(): number {
  const messages = mock.requests.flatMap((r) => (r.messages ?? []) as SentMessage[]);
  return messages.reduce((sum, m) => sum + (m.transcript ?? '').trim().length * 0.01, 0);
}

describe('mock Cartesia: the real cartesia.TTS stream()', () => {
  it('streams audio per context, then END_OF_STREAM; records headers and messages', async () => {
    const model = new cartesia.TTS({ apiKey: 'ca-test', baseUrl: mock.baseUrl });
    const seen = observe(model);
    const out = await speak(model);
    expect(out.endOfStream).toBe(true);
    expect(out.frames.length).toBeGreaterThan(3);
    expect(out.frames.at(-1)!.final).toBe(true);
    expect(out.seconds).toBeCloseTo(expectedSeconds(), 5);

    const request = mock.requests[0]!;
    expect(request.path).toBe('/tts/websocket');
    expect(request.headers).toMatchObject({ 'x-api-key': 'ca-test', 'cartesia-version': '2025-04-16' });
    const messages = request.messages as SentMessage[];
    expect(messages.at(-1)).toMatchObject({ transcript: ' ', continue: false });
    expect(messages.map((m) => m.transcript).join('').replace(/\s+/g, ' ').trim()).toBe(TEXT);
    expect(new Set(messages.map((m) => m.context_id)).size).toBe(1);
    expect(messages[0]!.output_format!.sample_rate).toBe(24000);

    await until(() => seen.metrics.length > 0, 2000, 'tts_metrics');
    expect(seen.metrics[0]).toMatchObject({ type: 'tts_metrics', charactersCount: TEXT.length });
    expect((seen.metrics[0] as { audioDurationMs: number }).audioDurationMs).toBeCloseTo(out.seconds * 1000, 0);
    await model.close();
  });
});

describe('mock Cartesia: faults seen by the real plugin', () => {
  it('status 5xx: an error frame becomes APIStatusError with that status', async () => {
    mock.fail({ kind: 'status', status: 503, message: 'overloaded' });
    const model = new cartesia.TTS({ apiKey: 'ca-test', baseUrl: mock.baseUrl });
    const seen = observe(model);
    const out = await speak(model);
    expect(out.frames).toHaveLength(0);
    await until(() => seen.errors.length > 0, 2000, 'tts error');
    expect(seen.errors[0]!.error).toBeInstanceOf(APIStatusError);
    expect(seen.errors[0]!.error.statusCode).toBe(503);
    await model.close();
  });

  it('status 4xx: cartesia 1.8.1 treats the error frame as non-fatal and ends cleanly without audio', async () => {
    mock.fail({ kind: 'status', status: 400, message: 'invalid voice' });
    const model = new cartesia.TTS({ apiKey: 'ca-test', baseUrl: mock.baseUrl });
    const seen = observe(model);
    const out = await speak(model);
    expect({ frames: out.frames.length, endOfStream: out.endOfStream, errors: seen.errors.length }).toEqual({ frames: 0, endOfStream: true, errors: 0 });
    await model.close();
  });

  it('drop: audio chunks arrive, then the cut socket surfaces as APIConnectionError', async () => {
    mock.fail({ kind: 'drop', afterChunks: 3 });
    const model = new cartesia.TTS({ apiKey: 'ca-test', baseUrl: mock.baseUrl });
    const seen = observe(model);
    const out = await speak(model);
    // the plugin holds back the newest 100 ms frame until the next one arrives
    expect(out.frames).toHaveLength(2);
    await until(() => seen.errors.length > 0, 2000, 'tts error');
    expect(seen.errors[0]!.error).toBeInstanceOf(APIConnectionError);
    await model.close();
  });

  it('stall: a hung handshake trips the connect timeout (APITimeoutError); heal() restores service', async () => {
    mock.fail({ kind: 'stall' });
    const model = new cartesia.TTS({ apiKey: 'ca-test', baseUrl: mock.baseUrl });
    const seen = observe(model);
    const out = await speak(model, { ...NO_RETRY, timeoutMs: 300 });
    expect(out.frames).toHaveLength(0);
    expect(seen.errors[0]!.error).toBeInstanceOf(APITimeoutError);
    mock.heal();
    expect((await speak(model)).endOfStream).toBe(true);
    await model.close();
  });

  it('malformed: the plugin skips the broken frame, so one chunk of audio is missing', async () => {
    mock.fail({ kind: 'malformed' });
    const model = new cartesia.TTS({ apiKey: 'ca-test', baseUrl: mock.baseUrl });
    const seen = observe(model);
    const out = await speak(model);
    expect(out.endOfStream).toBe(true);
    expect(seen.errors).toHaveLength(0);
    expect(out.seconds).toBeCloseTo(expectedSeconds() - 0.1, 5);
    await model.close();
  });

  it('refuse: the pooled socket dies and reconnects are refused (APIConnectionError)', async () => {
    const model = new cartesia.TTS({ apiKey: 'ca-test', baseUrl: mock.baseUrl });
    const seen = observe(model);
    expect((await speak(model)).endOfStream).toBe(true); // a pooled socket now exists
    mock.fail({ kind: 'refuse' });
    const out = await speak(model);
    expect(out.frames).toHaveLength(0);
    expect(seen.errors[0]!.error).toBeInstanceOf(APIConnectionError);
    await model.close();
  });

  it('refuse with times: the plugin retries a failed connect once by itself, so times: 1 is absorbed', async () => {
    const model = new cartesia.TTS({ apiKey: 'ca-test', baseUrl: mock.baseUrl });
    const seen = observe(model);
    mock.fail({ fault: { kind: 'refuse' }, times: 1 });
    expect((await speak(model)).endOfStream).toBe(true);
    expect(seen.errors).toHaveLength(0);

    const fresh = new cartesia.TTS({ apiKey: 'ca-test', baseUrl: mock.baseUrl });
    const freshSeen = observe(fresh);
    mock.fail({ fault: { kind: 'refuse' }, times: 2 });
    expect((await speak(fresh)).frames).toHaveLength(0);
    expect(freshSeen.errors[0]!.error).toBeInstanceOf(APIConnectionError);
    expect((await speak(fresh)).endOfStream).toBe(true); // both refusals used up
    await Promise.all([model.close(), fresh.close()]);
  });
});
