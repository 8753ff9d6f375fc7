import { APIConnectionError, APIStatusError, stt } from '@livekit/agents';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { AssemblyAISTT } from '../../src/providers/assemblyai/stt.js';
import { type MockAssemblyAI, sinePcm, sineFrame, sineFrames, startMockAssemblyAI } from '../../src/testing/index.js';
import { NO_RETRY, observe, until } from './helpers.js';

// The AssemblyAI Universal-Streaming v3 mock: its framing seen by a bare WebSocket client, and by
// voicegateway's own AssemblyAISTT (there is no LiveKit plugin) through the LiveKit base classes.

const { SpeechEventType } = stt;
let mock: MockAssemblyAI;
beforeAll(async () => {
  mock = await startMockAssemblyAI({ transcript: 'hello from the mock' });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

type Msg = { type: string; [k: string]: unknown };

/** A bare client: connect, collect every message until the socket closes. */
async function rawSession(query: string, drive: (ws: WebSocket) => void) {
  const ws = new WebSocket(`${mock.baseURL}/v3/ws?${query}`, { headers: { authorization: 'aai-raw' } });
  const messages: Msg[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as Msg));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  drive(ws);
  return { messages, code: await closed };
}

const pcm = (seconds: number) => Buffer.from(sinePcm(seconds).buffer);

describe('mock AssemblyAI: v3 framing', () => {
  it('Begin; per turn a partial, the end of turn and the formatted turn; Terminate → Termination, close 1000', async () => {
    const { messages, code } = await rawSession('sample_rate=16000&encoding=pcm_s16le&format_turns=true', (ws) => {
      ws.send(pcm(1.0)); // one turn by itself (turnSeconds 1)
      ws.send(pcm(0.4));
      ws.send(JSON.stringify({ type: 'ForceEndpoint' }));
      ws.send(JSON.stringify({ type: 'Terminate' }));
    });
    expect(code).toBe(1000);
    expect(messages[0]).toMatchObject({ type: 'Begin', id: expect.any(String), expires_at: expect.any(Number) });
    const turns = messages.filter((m) => m.type === 'Turn');
    expect(turns.map((t) => [t.turn_order, t.end_of_turn, t.turn_is_formatted, t.transcript])).toEqual([
      [0, false, false, 'hello from'],
      [0, true, false, 'hello from the mock'],
      [0, true, true, 'Hello from the mock.'],
      [1, false, false, 'hello from'],
      [1, true, false, 'hello from the mock'],
      [1, true, true, 'Hello from the mock.'],
    ]);
    // word times in ms from the session start: the second turn covers 1.0–1.4 s
    const words = turns[5]!.words as { start: number; end: number }[];
    expect([words[0]!.start, words.at(-1)!.end]).toEqual([1000, 1400]);
    expect(messages.at(-1)).toMatchObject({ type: 'Termination', audio_duration_seconds: 1.4 });
    expect(messages.at(-1)!.session_duration_seconds as number).toBeGreaterThanOrEqual(1.4);
    expect(mock.requests[0]).toMatchObject({ path: '/v3/ws', audioBytes: 1.4 * 16000 * 2, headers: { authorization: 'aai-raw' } });
    expect(mock.requests[0]!.messages).toEqual([{ type: 'ForceEndpoint' }, { type: 'Terminate' }]);
    expect(mock.sessions.at(-1)).toMatchObject({ audioSeconds: 1.4, terminated: true });
  });

  it('without format_turns only unformatted turns; a bad query is a 400 on the upgrade; non-JSON text closes 3000', async () => {
    const plain = await rawSession('sample_rate=16000', (ws) => {
      ws.send(pcm(1.0));
      ws.send(JSON.stringify({ type: 'Terminate' }));
    });
    expect(plain.messages.filter((m) => m.type === 'Turn').every((t) => t.turn_is_formatted === false)).toBe(true);
    const status = await new Promise<number | undefined>((resolve) => {
      const ws = new WebSocket(`${mock.baseURL}/v3/ws?encoding=opus`);
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode));
      ws.once('error', () => resolve(undefined));
    });
    expect(status).toBe(400);
    const bad = await rawSession('sample_rate=16000', (ws) => ws.send('not json'));
    expect(bad.code).toBe(3000);
  });
});

/** Read a stream in the background until it ends. */
function collect(stream: stt.SpeechStream) {
  const events: stt.SpeechEvent[] = [];
  const done = (async () => {
    for await (const event of stream) events.push(event);
  })();
  return { events, done, of: (type: stt.SpeechEventType) => events.filter((e) => e.type === type) };
}

const newSTT = () => new AssemblyAISTT({ apiKey: 'aai-test', baseURL: mock.baseURL });

describe('mock AssemblyAI: voicegateway’s AssemblyAISTT over the LiveKit base classes', () => {
  it('interim and final transcripts, usage topped up to the session duration at Termination', async () => {
    const model = newSTT();
    const seen = observe(model);
    const stream = model.stream({ connOptions: NO_RETRY });
    const out = collect(stream);
    for (const frame of sineFrames(1.5)) stream.pushFrame(frame);
    stream.endInput();
    await out.done;
    expect(out.of(SpeechEventType.FINAL_TRANSCRIPT).map((e) => e.alternatives![0].text)).toEqual(['Hello from the mock.', 'Hello from the mock.']);
    expect(out.of(SpeechEventType.INTERIM_TRANSCRIPT).length).toBeGreaterThanOrEqual(2);
    const usage = out.of(SpeechEventType.RECOGNITION_USAGE).reduce((s, e) => s + e.recognitionUsage!.audioDuration, 0);
    expect(usage).toBeCloseTo(mock.sessions.at(-1)!.sessionSeconds, 3);
    expect(seen.errors).toEqual([]);
    expect(mock.requests[0]!.query).toMatchObject({ sample_rate: '16000', encoding: 'pcm_s16le', format_turns: 'true', speech_model: 'universal-streaming' });
    expect(mock.requests[0]!.audioBytes).toBe(1.5 * 16000 * 2);
  });

  it('status: the rejected upgrade is an APIStatusError with that status and AssemblyAI’s body', async () => {
    mock.fail({ kind: 'status', status: 401, message: 'Invalid API key' });
    const model = newSTT();
    const seen = observe(model);
    const stream = model.stream({ connOptions: NO_RETRY });
    const out = collect(stream);
    stream.pushFrame(sineFrame(0.1));
    await until(() => seen.errors.length > 0, 5000, 'stt error');
    expect(seen.errors[0]!.error).toBeInstanceOf(APIStatusError);
    expect(seen.errors[0]!.error.statusCode).toBe(401);
    expect(seen.errors[0]!.error.message).toMatch(/Invalid API key/);
    stream.close();
    await out.done;
  });

  it('drop: transcripts before the cut, then the close before Termination is an error', async () => {
    mock.fail({ fault: { kind: 'drop', afterChunks: 2 }, times: 1 });
    const model = newSTT();
    const seen = observe(model);
    const stream = model.stream({ connOptions: NO_RETRY });
    const out = collect(stream);
    for (const frame of sineFrames(1.2)) stream.pushFrame(frame);
    await until(() => seen.errors.length > 0, 5000, 'stt error');
    expect(out.of(SpeechEventType.INTERIM_TRANSCRIPT).length).toBeGreaterThan(0);
    expect(seen.errors[0]!.error).toBeInstanceOf(APIStatusError);
    expect(seen.errors[0]!.error.message).toMatch(/before Termination/);
    stream.close();
    await out.done;
  });

  it('malformed: a Turn that is not JSON fails the stream (non-retryable)', async () => {
    mock.fail({ fault: { kind: 'malformed' }, times: 1 });
    const model = newSTT();
    const seen = observe(model);
    const stream = model.stream({ connOptions: NO_RETRY });
    const out = collect(stream);
    for (const frame of sineFrames(1.2)) stream.pushFrame(frame);
    await until(() => seen.errors.length > 0, 5000, 'stt error');
    expect(seen.errors[0]!.error).toBeInstanceOf(APIConnectionError);
    expect(seen.errors[0]!.error.message).toMatch(/not JSON/);
    stream.close();
    await out.done;
  });

  it('refuse: APIConnectionError; heal() serves the next stream on the same port', async () => {
    mock.fail({ kind: 'refuse' });
    const model = newSTT();
    const seen = observe(model);
    const failing = model.stream({ connOptions: NO_RETRY });
    const failed = collect(failing);
    failing.pushFrame(sineFrame(0.1));
    await until(() => seen.errors.length > 0, 5000, 'stt error');
    expect(seen.errors[0]!.error).toBeInstanceOf(APIConnectionError);
    failing.close();
    await failed.done;
    mock.heal();
    const stream = model.stream({ connOptions: NO_RETRY });
    const out = collect(stream);
    for (const frame of sineFrames(1.0)) stream.pushFrame(frame);
    stream.endInput();
    await out.done;
    expect(out.of(SpeechEventType.FINAL_TRANSCRIPT)).toHaveLength(1);
  });
});
