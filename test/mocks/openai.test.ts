import { APIConnectionError, APIStatusError, APITimeoutError, llm } from '@livekit/agents';
import * as openai from '@livekit/agents-plugin-openai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type MockOpenAI, pcmToWav, sineFrame, sinePcm, startMockOpenAI } from '../../src/testing/index.js';
import { NO_RETRY, observe, until } from './helpers.js';

let mock: MockOpenAI;
beforeAll(async () => {
  mock = await startMockOpenAI({
    reply: (req) => (req.model === 'tool-model' ? { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] } : 'Hello there from the mock'),
    usage: { prompt: 21, cached: 16 },
    transcript: 'book a table for two',
  });
});
afterEach(() => {
  mock.reset();
  vi.unstubAllEnvs();
});
afterAll(() => mock.close());

function chatCtx(text = 'hi there') {
  const ctx = llm.ChatContext.empty();
  ctx.addMessage({ role: 'user', content: text });
  return ctx;
}

const newLLM = (model = 'gpt-4.1-mini') => new openai.LLM({ model, apiKey: 'sk-test', baseURL: mock.baseURL });

async function drain(stream: llm.LLMStream): Promise<llm.ChatChunk[]> {
  const chunks: llm.ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('mock OpenAI: chat completions with the real openai.LLM', () => {
  it('streams the reply word by word, then the usage chunk', async () => {
    const model = newLLM();
    const seen = observe(model);
    const chunks = await drain(model.chat({ chatCtx: chatCtx() }));
    const content = chunks.filter((c) => c.delta?.content);
    expect(content.map((c) => c.delta!.content).join('')).toBe('Hello there from the mock');
    expect(content.length).toBe(5);
    expect(chunks.at(-1)!.usage).toEqual({ promptTokens: 21, completionTokens: 7, promptCachedTokens: 16, totalTokens: 28 });
    await until(() => seen.metrics.length > 0, 2000, 'llm_metrics');
    expect(seen.metrics[0]).toMatchObject({ type: 'llm_metrics', promptTokens: 21, completionTokens: 7, promptCachedTokens: 16 });

    const request = mock.requests[0]!;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/chat/completions', headers: { authorization: 'Bearer sk-test' } });
    expect(request.body).toMatchObject({ model: 'gpt-4.1-mini', stream: true, stream_options: { include_usage: true } });
    expect(request.fault).toBeUndefined();
  });

  it('derives usage from text lengths when not configured', async () => {
    const plain = await startMockOpenAI({ reply: 'abcd efgh' });
    try {
      const model = new openai.LLM({ model: 'm', apiKey: 'k', baseURL: plain.baseURL });
      const res = await model.chat({ chatCtx: chatCtx('12345678') }).collect();
      expect(res.usage).toMatchObject({ promptTokens: 2, completionTokens: 3, promptCachedTokens: 0, totalTokens: 5 });
    } finally {
      await plain.close();
    }
  });

  it('streams tool calls the way OpenAI does', async () => {
    const res = await newLLM('tool-model').chat({ chatCtx: chatCtx('weather?') }).collect();
    expect(res.toolCalls).toHaveLength(1);
    expect(res.toolCalls[0]).toMatchObject({ name: 'get_weather', args: '{"city":"Paris"}' });
  });

  it('answers non-streamed completions and lists models (no Authorization needed)', async () => {
    const res = await fetch(`${mock.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'qwen2.5:3b', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = (await res.json()) as { object: string; choices: { message: { content: string } }[]; usage: { total_tokens: number } };
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0]!.message.content).toBe('Hello there from the mock');
    expect(body.usage.total_tokens).toBe(21 + 7);
    const models = (await (await fetch(`${mock.baseURL}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toContain('whisper-1');
    expect(mock.requests[0]!.headers.authorization).toBeUndefined();
  });
});

describe('mock OpenAI: audio endpoints with the real openai.STT / openai.TTS', () => {
  it('transcribes an upload for openai.STT({ useRealtime: false })', async () => {
    const stt = new openai.STT({ useRealtime: false, model: 'whisper-1', apiKey: 'sk-test', baseURL: mock.baseURL });
    const event = await stt.recognize(sineFrame(0.5));
    expect(event.alternatives![0].text).toBe('book a table for two');
    const request = mock.requests[0]!;
    expect(request.path).toBe('/v1/audio/transcriptions');
    expect(request.body).toMatchObject({ model: 'whisper-1', response_format: 'json', file: { filename: 'audio.wav' } });
    expect(request.audioBytes).toBe(44 + 0.5 * 16000 * 2);
  });

  it('answers verbose_json with the duration of the WAV upload', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(pcmToWav(sinePcm(1.5), 16000))], { type: 'audio/wav' }), 'a.wav');
    form.append('model', 'whisper-large-v3');
    form.append('response_format', 'verbose_json');
    const body = (await (await fetch(`${mock.baseURL}/audio/transcriptions`, { method: 'POST', body: form })).json()) as { text: string; duration: number };
    expect(body).toMatchObject({ text: 'book a table for two', duration: 1.5 });
  });

  it('synthesizes PCM sized to the text for openai.TTS', async () => {
    const tts = new openai.TTS({ apiKey: 'sk-test', baseURL: mock.baseURL });
    const text = 'Hello from the mock speech endpoint.';
    let samples = 0;
    for await (const audio of tts.synthesize(text)) samples += audio.frame.samplesPerChannel;
    // the mock sends text.length × 10 ms; openai.TTS 1.9.0 never flushes its AudioByteStream,
    // so the last partial 100 ms frame is lost on the client side
    expect(samples / 24000).toBeCloseTo(Math.floor(text.length / 10) * 0.1, 5);
    expect(text.length % 10).not.toBe(0);
    expect(mock.requests[0]!.body).toMatchObject({ input: text, response_format: 'pcm', model: 'tts-1' });
  });
});

describe('mock OpenAI: faults seen by the real plugins', () => {
  it('status: APIStatusError with that status on the error event, stream ends empty', async () => {
    mock.fail({ kind: 'status', status: 401, message: 'Incorrect API key provided' });
    const model = newLLM();
    const seen = observe(model);
    const res = await model.chat({ chatCtx: chatCtx(), connOptions: NO_RETRY }).collect();
    expect(res.text).toBe('');
    const e = seen.errors.at(-1)!;
    expect(e.error).toBeInstanceOf(APIStatusError);
    expect(e.error.statusCode).toBe(401);
    expect(e.error.message).toContain('Incorrect API key provided');
    expect(e.recoverable).toBe(false);
  });

  it('times: a 503 for one request, then service again (the plugin retry succeeds)', async () => {
    mock.fail({ fault: { kind: 'status', status: 503 }, times: 1 });
    const model = newLLM();
    const seen = observe(model);
    const res = await model.chat({ chatCtx: chatCtx(), connOptions: { maxRetry: 1, retryIntervalMs: 10, timeoutMs: 3000 } }).collect();
    expect(res.text).toBe('Hello there from the mock');
    expect(mock.requests.map((r) => r.fault)).toEqual(['status', undefined]);
    expect(seen.errors.map((e) => [e.error.statusCode, e.recoverable])).toEqual([[503, true]]);
  });

  it('drop: N content chunks arrive, then a connection error', async () => {
    mock.fail({ kind: 'drop', afterChunks: 2 });
    const model = newLLM();
    const seen = observe(model);
    const chunks = await drain(model.chat({ chatCtx: chatCtx(), connOptions: NO_RETRY }));
    expect(chunks.map((c) => c.delta?.content)).toEqual(['Hello', ' there']);
    await until(() => seen.errors.length > 0, 2000, 'error event');
    expect(seen.errors[0]!.error).toBeInstanceOf(APIConnectionError);
    expect(seen.errors[0]!.error.retryable).toBe(false); // output had begun
  });

  it('malformed: broken SSE JSON surfaces as an error', async () => {
    mock.fail({ kind: 'malformed' });
    vi.stubEnv('OPENAI_LOG', 'off'); // the SDK logs the bad frame; read when the client is built
    const model = newLLM();
    const seen = observe(model);
    const res = await model.chat({ chatCtx: chatCtx(), connOptions: NO_RETRY }).collect();
    expect(res.text).toBe('');
    await until(() => seen.errors.length > 0, 2000, 'error event');
    expect(seen.errors[0]!.error.name).toMatch(/^API/);
  });

  it('stall: the client timeout fires (APITimeoutError)', async () => {
    mock.fail({ kind: 'stall' });
    const model = newLLM();
    const seen = observe(model);
    const started = Date.now();
    await model.chat({ chatCtx: chatCtx(), connOptions: { ...NO_RETRY, timeoutMs: 300 } }).collect();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(seen.errors[0]!.error).toBeInstanceOf(APITimeoutError);
    expect(mock.requests[0]!.fault).toBe('stall');
  });

  it('refuse: connection error; heal() listens again on the same port', async () => {
    const port = mock.port;
    mock.fail({ kind: 'refuse' });
    const model = newLLM();
    const seen = observe(model);
    expect((await model.chat({ chatCtx: chatCtx(), connOptions: NO_RETRY }).collect()).text).toBe('');
    // openai SDK connection errors reach LiveKit as APIStatusError without a status code
    expect(seen.errors[0]!.error).toBeInstanceOf(APIStatusError);
    expect(seen.errors[0]!.error.statusCode).toBe(-1);
    expect(seen.errors[0]!.error.message).toMatch(/connection/i);
    expect(mock.requests).toHaveLength(0);

    mock.heal();
    expect(mock.port).toBe(port);
    expect((await model.chat({ chatCtx: chatCtx() }).collect()).text).toBe('Hello there from the mock');
  });

  it('drop on the speech endpoint: N chunks of 100 ms reach the client, then the body breaks', async () => {
    // (openai.TTS turns a broken body into a raw SDK error plus an unhandled rejection, so this reads bytes directly)
    mock.fail({ kind: 'drop', afterChunks: 3 });
    const res = await fetch(`${mock.baseURL}/audio/speech`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input: 'x'.repeat(100), response_format: 'pcm' }),
    });
    const reader = res.body!.getReader();
    let bytes = 0;
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          bytes += value.length;
        }
      })(),
    ).rejects.toThrow();
    expect(bytes).toBe(3 * 2400 * 2);
  });
});
