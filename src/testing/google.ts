import { brokenJson } from './faults.js';
import { type HttpContext, type MockServer, MockHttpServer, type OutputChunk, sendJson, sendWholeJson, writeChunks } from './server.js';

export interface MockGoogleOptions {
  /** the model's answer, streamed one chunk per word (default 'Hello from the mock Gemini.') */
  reply?: string;
  /** token counts of usageMetadata; each defaults to ~4 characters per token */
  usage?: { prompt?: number; completion?: number; cached?: number };
  /** delay between SSE chunks, default 2 ms */
  chunkDelayMs?: number;
}

export type MockGoogle = MockServer & { baseURL: string };

const STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED' };

/**
 * The Gemini API as @google/genai (and so google.LLM) calls it: `POST /v1beta/models/{model}:streamGenerateContent?alt=sse`
 * (SSE, `data: {GenerateContentResponse}` + CRLF CRLF) and `:generateContent` (JSON). The key arrives
 * in `x-goog-api-key` (recorded, never checked). Errors are `{ error: { code, message, status } }`.
 */
export async function startMockGoogle(opts: MockGoogleOptions = {}): Promise<MockGoogle> {
  const server = new MockHttpServer({ errorBody: googleErrorBody, request: (ctx) => generate(ctx, opts) });
  await server.listen();
  return Object.defineProperty(server, 'baseURL', { get: () => server.url, enumerable: true }) as MockHttpServer & { baseURL: string };
}

export function googleErrorBody(status: number, message: string): unknown {
  return { error: { code: status, message, status: STATUS[status] ?? 'UNKNOWN' } };
}

interface GenerateBody {
  contents?: { role?: string; parts?: { text?: string }[] }[];
  systemInstruction?: { parts?: { text?: string }[] };
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
