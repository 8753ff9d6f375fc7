import { randomUUID } from 'node:crypto';
import { brokenJson } from './faults.js';
import { openAIErrorBody, speech, transcription } from './openai-audio.js';
import { type HttpContext, type MockServer, MockHttpServer, type OutputChunk, sendJson, sendWholeJson, writeChunks } from './server.js';

/** What the mock LLM answers: text, tool calls, or both. */
export type MockChatReply = string | { text?: string; toolCalls?: { name: string; arguments: string | Record<string, unknown> }[] };

export interface MockChatRequest {
  model: string;
  messages: unknown[];
  tools?: unknown[];
}

export interface MockOpenAIOptions {
  /** chat completion answer, streamed as one SSE chunk per word (default 'Hello from the mock LLM.') */
  reply?: MockChatReply | ((req: MockChatRequest) => MockChatReply);
  /** token counts of the usage chunk; each defaults to ~4 characters per token of the text */
  usage?: { prompt?: number; completion?: number; cached?: number };
  /** delay between SSE / audio chunks, default 2 ms */
  chunkDelayMs?: number;
  /** answer of POST /audio/transcriptions (default 'hello from the mock transcriber') */
  transcript?: string;
  /** sample rate of POST /audio/speech PCM; openai.TTS decodes 24000 (the default) */
  speechSampleRate?: number;
  /** audio length of POST /audio/speech per input character, default 10 ms */
  speechMsPerChar?: number;
  /** ids listed by GET /models */
  models?: string[];
}

export type MockOpenAI = MockServer & { baseURL: string };

const DEFAULT_REPLY = 'Hello from the mock LLM.';

/**
 * An OpenAI-compatible server (also stands in for Ollama, whisper.cpp servers and Kokoro/Piper
 * speech servers): /v1/chat/completions (SSE or JSON), /v1/audio/transcriptions,
 * /v1/audio/translations, /v1/audio/speech, /v1/models. Authorization is recorded, never required.
 */
export async function startMockOpenAI(opts: MockOpenAIOptions = {}): Promise<MockOpenAI> {
  const server = new MockHttpServer(
    {
      errorBody: openAIErrorBody,
      request: (ctx) => route(ctx, opts),
    },
    (origin) => `${origin}/v1`,
  );
  await server.listen();
  return Object.defineProperty(server, 'baseURL', { get: () => server.url, enumerable: true }) as MockHttpServer & { baseURL: string };
}

async function route(ctx: HttpContext, opts: MockOpenAIOptions): Promise<void> {
  const { method } = ctx.req;
  const path = ctx.record.path.replace(/^\/v1(?=\/)/, '');
  ctx.res.setHeader('x-request-id', `req_${randomUUID().replaceAll('-', '')}`);
  if (method === 'POST' && path === '/chat/completions') return chat(ctx, opts);
  if (method === 'POST' && (path === '/audio/transcriptions' || path === '/audio/translations')) return transcription(ctx, opts);
  if (method === 'POST' && path === '/audio/speech') return speech(ctx, opts);
  if (method === 'GET' && path.startsWith('/models')) return models(ctx, opts);
  sendJson(ctx.res, 404, openAIErrorBody(404, `Invalid URL (${method} ${ctx.record.path})`));
}

function models(ctx: HttpContext, opts: MockOpenAIOptions): void {
  const ids = opts.models ?? ['gpt-4.1-mini', 'gpt-4o-mini', 'whisper-1', 'tts-1'];
  const card = (id: string) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'voicegateway-mock' });
  const one = ctx.record.path.split('/models/')[1];
  if (one) sendJson(ctx.res, 200, card(decodeURIComponent(one)));
  else sendJson(ctx.res, 200, { object: 'list', data: ids.map(card) });
}

interface ChatBody {
  model?: unknown;
  messages?: unknown;
  tools?: unknown[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

async function chat(ctx: HttpContext, opts: MockOpenAIOptions): Promise<void> {
  const body = (ctx.record.body ?? {}) as ChatBody;
  if (typeof body !== 'object' || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
    sendJson(ctx.res, 400, openAIErrorBody(400, "you must provide a 'model' and a 'messages' array"));
    return;
  }
  const request: MockChatRequest = { model: body.model, messages: body.messages, ...(body.tools ? { tools: body.tools } : {}) };
  const answer = normalizeReply(typeof opts.reply === 'function' ? opts.reply(request) : (opts.reply ?? DEFAULT_REPLY));
  const usage = usageOf(request, answer, opts.usage);
  const id = `chatcmpl-${randomUUID().replaceAll('-', '').slice(0, 24)}`;
  const created = Math.floor(Date.now() / 1000);
  const finish = answer.toolCalls.length > 0 ? 'tool_calls' : 'stop';

  if (!body.stream) {
    const message = {
      role: 'assistant',
      content: answer.text || null,
      refusal: null,
      ...(answer.toolCalls.length > 0 ? { tool_calls: answer.toolCalls.map((call, index) => ({ id: callId(id, index), type: 'function', function: call })) } : {}),
    };
    const completion = { id, object: 'chat.completion', created, model: body.model, choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage, system_fingerprint: 'fp_mock' };
    return sendWholeJson(ctx, completion);
  }

  const includeUsage = body.stream_options?.include_usage === true;
  const frame = (choices: unknown[], extra: object = {}) => ({ id, object: 'chat.completion.chunk', created, model: body.model, system_fingerprint: 'fp_mock', choices, ...(includeUsage ? { usage: null } : {}), ...extra });
  const choice = (delta: object, finishReason: string | null = null) => ({ index: 0, delta, logprobs: null, finish_reason: finishReason });

  const frames: { value: unknown; counted: boolean }[] = [{ value: frame([choice({ role: 'assistant', content: '', refusal: null })]), counted: false }];
  for (const piece of answer.text.match(/\s*\S+/g) ?? []) frames.push({ value: frame([choice({ content: piece })]), counted: true });
  answer.toolCalls.forEach((call, index) => {
    const head = { index, id: callId(id, index), type: 'function', function: { name: call.name, arguments: '' } };
    frames.push({ value: frame([choice({ tool_calls: [head] })]), counted: true });
    frames.push({ value: frame([choice({ tool_calls: [{ index, function: { arguments: call.arguments } }] })]), counted: true });
  });
  frames.push({ value: frame([choice({}, finish)]), counted: false });
  if (includeUsage) frames.push({ value: frame([], { usage }), counted: false });

  let broken = ctx.fault?.kind !== 'malformed';
  const chunks: OutputChunk[] = frames.map(({ value, counted }) => {
    const data = counted && !broken ? brokenJson(value) : JSON.stringify(value);
    if (counted) broken = true;
    return { data: `data: ${data}\n\n`, counted };
  });
  chunks.push({ data: 'data: [DONE]\n\n', counted: false });

  ctx.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  await writeChunks(ctx.res, chunks, ctx.fault, opts.chunkDelayMs ?? 2);
}

function callId(completionId: string, index: number): string {
  return `call_${completionId.slice(-12)}${index}`;
}

interface NormalizedReply {
  text: string;
  toolCalls: { name: string; arguments: string }[];
}

function normalizeReply(reply: MockChatReply): NormalizedReply {
  if (typeof reply === 'string') return { text: reply, toolCalls: [] };
  return {
    text: reply.text ?? '',
    toolCalls: (reply.toolCalls ?? []).map((c) => ({ name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) })),
  };
}

const tokensOf = (text: string) => (text ? Math.max(1, Math.ceil(text.length / 4)) : 0);

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : '')).join(' ');
  return '';
}

function usageOf(request: MockChatRequest, answer: NormalizedReply, configured: MockOpenAIOptions['usage'] = {}) {
  const promptText = request.messages.map((m) => textOf((m as { content?: unknown })?.content)).join('\n');
  const prompt = configured.prompt ?? tokensOf(promptText);
  const completion = configured.completion ?? tokensOf(answer.text + answer.toolCalls.map((c) => c.name + c.arguments).join(''));
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: configured.cached ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}
