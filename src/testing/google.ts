import { WebSocketServer } from 'ws';
import { sinePcm } from './audio.js';
import { brokenJson } from './faults.js';
import { geminiLiveUpgrade, type LiveConversations, type MockGeminiLiveOptions, type MockGeminiLiveSession } from './google-live.js';
import type { GeminiLiveUsage, MockGeminiConversationOptions } from './google-live-conversation.js';
import { type HttpContext, type MockServer, MockHttpServer, type OutputChunk, sendJson, sendWholeJson, writeChunks } from './server.js';

export interface MockGoogleOptions {
  /** the model's answer, streamed one chunk per word (default 'Hello from the mock Gemini.') */
  reply?: string;
  /** token counts of a text answer's usageMetadata; each defaults to ~4 characters per token (TTS answers always count) */
  usage?: { prompt?: number; completion?: number; cached?: number };
  /** delay between SSE chunks, default 2 ms */
  chunkDelayMs?: number;
  /** TTS (`responseModalities: ['AUDIO']`): seconds of 24 kHz audio per character spoken, default 0.01 */
  secondsPerChar?: number;
  /** TTS: seconds of audio per SSE chunk, default 0.1 */
  audioChunkSeconds?: number;
  /** Live API transcription (the beta Gemini STT) */
  live?: MockGeminiLiveOptions;
  /** Live API conversations (the realtime model: a setup with responseModalities AUDIO), see google-live-conversation.ts */
  conversation?: MockGeminiConversationOptions;
}

/** Gemini TTS output: 16-bit mono PCM at 24 kHz, as Google documents (`audio/L16;codec=pcm;rate=24000`). */
export const GEMINI_TTS_SAMPLE_RATE = 24000;
/** Audio output tokens per second of speech (Gemini documents 25 tokens per second of audio). */
export const GEMINI_AUDIO_TOKENS_PER_SECOND = 25;

/**
 * `liveSessions`: the Live API connections, with the audio each one carried. `liveUsage`: every
 * usageMetadata a conversation sent, in order (to reconcile a ledger with the provider's figures);
 * `liveInterrupted`: answers cut short by the caller; `goAway()` sends goAway on every open conversation.
 */
export type MockGoogle = MockServer & { baseURL: string; liveSessions: MockGeminiLiveSession[]; readonly liveUsage: GeminiLiveUsage[]; readonly liveInterrupted: number; goAway(timeLeft?: string): void };

const STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED' };

/**
 * The Gemini API as @google/genai (and so google.LLM) calls it: `POST /v1beta/models/{model}:streamGenerateContent?alt=sse`
 * (SSE, `data: {GenerateContentResponse}` + CRLF CRLF) and `:generateContent` (JSON). The key arrives
 * in `x-goog-api-key` (recorded, never checked). Errors are `{ error: { code, message, status } }`.
 * The Live API WebSocket (`BidiGenerateContent`) serves transcription: see google-live.ts.
 */
export async function startMockGoogle(opts: MockGoogleOptions = {}): Promise<MockGoogle> {
  const liveSessions: MockGeminiLiveSession[] = [];
  const c = opts.conversation ?? {};
  const conversations: LiveConversations = {
    script: {
      reply: pick(c.replies, 'Hello from the mock Gemini Live.'),
      transcript: pick(c.transcripts, 'hello there'),
      msPerWord: c.msPerWord ?? 100,
      wordIntervalMs: c.wordIntervalMs ?? 0,
      cachedPrompt: c.cachedPrompt ?? false,
      usage: [],
      interrupted: 0,
      handles: new Map(),
    },
    open: new Set(),
  };
  const wss = new WebSocketServer({ noServer: true });
  const server: MockHttpServer = new MockHttpServer({
    errorBody: googleErrorBody,
    request: (ctx) => generate(ctx, opts),
    upgrade: (req, socket, head, record) => geminiLiveUpgrade(wss, req, socket, head, record, server.faults.take(), liveSessions, opts.live ?? {}, googleErrorBody, conversations),
  });
  await server.listen();
  const reset = server.reset.bind(server);
  return Object.defineProperties(server, {
    baseURL: { get: () => server.url, enumerable: true },
    liveSessions: { value: liveSessions, enumerable: true },
    liveUsage: { value: conversations.script.usage, enumerable: true },
    liveInterrupted: { get: () => conversations.script.interrupted, enumerable: true },
    goAway: { value: (timeLeft?: string) => conversations.open.forEach((x) => x.goAway(timeLeft)) },
    reset: {
      value: () => {
        reset();
        liveSessions.length = 0;
        conversations.script.usage.length = 0;
        conversations.script.interrupted = 0;
      },
    },
  }) as unknown as MockGoogle;
}

function pick(v: string[] | ((turn: number) => string) | undefined, fallback: string): (turn: number) => string {
  if (typeof v === 'function') return v;
  const list = v && v.length > 0 ? v : [fallback];
  return (turn) => list[Math.min(turn, list.length - 1)]!;
}

export function googleErrorBody(status: number, message: string): unknown {
  return { error: { code: status, message, status: STATUS[status] ?? 'UNKNOWN' } };
}

interface GenerateBody {
  contents?: { role?: string; parts?: { text?: string }[] }[];
  systemInstruction?: { parts?: { text?: string }[] };
  generationConfig?: { responseModalities?: string[]; speechConfig?: { voiceConfig?: { prebuiltVoiceConfig?: { voiceName?: string } } } };
}

async function generate(ctx: HttpContext, opts: MockGoogleOptions): Promise<void> {
  const m = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(streamGenerateContent|generateContent)$/.exec(ctx.record.path);
  if (ctx.req.method !== 'POST' || !m) {
    sendJson(ctx.res, 404, googleErrorBody(404, `no endpoint at ${ctx.req.method} ${ctx.record.path}`));
    return;
  }
  const body = (ctx.record.body ?? {}) as GenerateBody;
  if (!Array.isArray(body.contents) || body.contents.length === 0) {
    sendJson(ctx.res, 400, googleErrorBody(400, '* GenerateContentRequest.contents: contents is not specified'));
    return;
  }
  if (body.generationConfig?.responseModalities?.includes('AUDIO')) return speak(ctx, body, m[1]!, m[2]!, opts);
  const reply = opts.reply ?? 'Hello from the mock Gemini.';
  const promptText = [...(body.systemInstruction?.parts ?? []), ...body.contents.flatMap((c) => c.parts ?? [])].map((p) => p.text ?? '').join('\n');
  const prompt = opts.usage?.prompt ?? Math.max(1, Math.ceil(promptText.length / 4));
  const completion = opts.usage?.completion ?? Math.max(1, Math.ceil(reply.length / 4));
  const cached = opts.usage?.cached;
  const words = reply.match(/\s*\S+/g) ?? [''];
  const chunk = (text: string, i: number) => {
    const last = i === words.length - 1;
    // candidatesTokenCount grows with the answer; the last chunk carries the totals
    const done = last ? completion : Math.floor((completion * (i + 1)) / words.length);
    return {
      candidates: [{ content: { parts: [{ text }], role: 'model' }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
      usageMetadata: { promptTokenCount: prompt, candidatesTokenCount: done, totalTokenCount: prompt + done, ...(last && cached ? { cachedContentTokenCount: cached } : {}) },
      modelVersion: m[1],
      responseId: 'mock-response',
    };
  };
  if (m[2] === 'generateContent') return sendWholeJson(ctx, chunk(reply, words.length - 1));
  const malformed = ctx.fault?.kind === 'malformed';
  const chunks: OutputChunk[] = words.map((w, i) => ({ data: `data: ${malformed && i === 0 ? brokenJson(chunk(w, i)) : JSON.stringify(chunk(w, i))}\r\n\r\n`, counted: true }));
  ctx.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  await writeChunks(ctx.res, chunks, ctx.fault, opts.chunkDelayMs ?? 2);
}

/**
 * A TTS model's answer: the prompt's text spoken as 24 kHz PCM, base64 in `inlineData` parts, one
 * SSE chunk per `audioChunkSeconds`. A prompt that wraps the text in quotes after a style
 * instruction (`Say it cheerfully:\n"text"`, the plugin's form) speaks only the quoted text.
 * usageMetadata counts text prompt tokens (~4 characters each) and audio output tokens (25 per second).
 */
async function speak(ctx: HttpContext, body: GenerateBody, model: string, method: string, opts: MockGoogleOptions): Promise<void> {
  if (!/tts/.test(model)) {
    sendJson(ctx.res, 400, googleErrorBody(400, `The requested combination of response modalities (AUDIO) is not supported by the model ${model}.`));
    return;
  }
  const promptText = (body.contents ?? []).flatMap((c) => c.parts ?? []).map((p) => p.text ?? '').join('\n');
  const spoken = /:\n"([\s\S]*)"$/.exec(promptText)?.[1] ?? promptText;
  const seconds = spoken.length * (opts.secondsPerChar ?? 0.01);
  const pcm = Buffer.from(sinePcm(seconds, GEMINI_TTS_SAMPLE_RATE).buffer);
  const step = Math.max(2, Math.round((opts.audioChunkSeconds ?? 0.1) * GEMINI_TTS_SAMPLE_RATE) * 2);
  const pieces: Buffer[] = [];
  for (let at = 0; at < pcm.length; at += step) pieces.push(pcm.subarray(at, at + step));
  if (pieces.length === 0) pieces.push(Buffer.alloc(0));
  const prompt = Math.max(1, Math.ceil(promptText.length / 4));
  const audioTokens = Math.round(seconds * GEMINI_AUDIO_TOKENS_PER_SECOND);
  const chunk = (piece: Buffer, i: number, total: number) => {
    const last = i === total - 1;
    return {
      candidates: [{ content: { parts: [{ inlineData: { mimeType: `audio/L16;codec=pcm;rate=${GEMINI_TTS_SAMPLE_RATE}`, data: piece.toString('base64') } }], role: 'model' }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
      ...(last
        ? {
            usageMetadata: {
              promptTokenCount: prompt,
              candidatesTokenCount: audioTokens,
              totalTokenCount: prompt + audioTokens,
              promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
              candidatesTokensDetails: [{ modality: 'AUDIO', tokenCount: audioTokens }],
            },
          }
        : {}),
      modelVersion: model,
      responseId: 'mock-tts-response',
    };
  };
  if (method === 'generateContent') return sendWholeJson(ctx, chunk(pcm, 0, 1));
  const malformed = ctx.fault?.kind === 'malformed';
  const chunks: OutputChunk[] = pieces.map((piece, i) => {
    const value = chunk(piece, i, pieces.length);
    return { data: `data: ${malformed && i === 0 ? brokenJson(value) : JSON.stringify(value)}\r\n\r\n`, counted: true };
  });
  ctx.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  await writeChunks(ctx.res, chunks, ctx.fault, opts.chunkDelayMs ?? 2);
}
