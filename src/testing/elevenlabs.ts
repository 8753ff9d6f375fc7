import { WebSocket, WebSocketServer } from 'ws';
import { encodeTone } from './cartesia-ws.js';
import { type MockScribeOptions, type MockScribeSession, scribeBatch, scribeOpts, scribeUpgrade } from './elevenlabs-stt.js';
import { brokenJson, defaultFaultMessage, DropCounter, type Fault } from './faults.js';
import { type HttpContext, type MockServer, MockHttpServer, type RecordedRequest, rejectUpgrade, sendJson, sendWhole, sleep, writeChunks } from './server.js';

export interface MockElevenLabsOptions {
  /** audio produced per character of text, default 10 ms */
  msPerChar?: number;
  /** pause between audio messages, default 0 */
  chunkDelayMs?: number;
  /** speech-to-text (Scribe): the transcript and the `vad` commit interval */
  stt?: MockScribeOptions;
}

/** `sttSessions`: the realtime Scribe connections, with the audio each one carried. */
export type MockElevenLabs = MockServer & { baseURL: string; sttSessions: MockScribeSession[] };

interface Opts {
  msPerChar: number;
  chunkDelayMs: number;
}

/**
 * ElevenLabs. TTS: the multi-context WebSocket `/v1/text-to-speech/{voice_id}/multi-stream-input`
 * (what elevenlabs.TTS.stream() uses) and `POST /v1/text-to-speech/{voice_id}/stream` (synthesize()).
 * Auth is the `xi-api-key` header (recorded, never checked). PCM output only (`output_format=pcm_<rate>`).
 * WebSocket faults apply per connection: `status` rejects the upgrade, `stall` never completes it,
 * `drop` cuts after N audio messages, `malformed` breaks the first audio message.
 * STT (Scribe): `POST /v1/speech-to-text` (batch: scribe_v1, scribe_v2) and the realtime WebSocket
 * `/v1/speech-to-text/realtime` (scribe_v2_realtime); see elevenlabs-stt.ts for its faults.
 */
export async function startMockElevenLabs(opts: MockElevenLabsOptions = {}): Promise<MockElevenLabs> {
  const o: Opts = { msPerChar: opts.msPerChar ?? 10, chunkDelayMs: opts.chunkDelayMs ?? 0 };
  const scribe = scribeOpts(opts.stt);
  const sttSessions: MockScribeSession[] = [];
  const wss = new WebSocketServer({ noServer: true });
  const server: MockHttpServer = new MockHttpServer(
    {
      errorBody: elevenLabsErrorBody,
      request: (ctx) => (ctx.record.path === '/v1/speech-to-text' && ctx.req.method === 'POST' ? scribeBatch(ctx, scribe, elevenLabsErrorBody) : speech(ctx, o)),
      upgrade(req, socket, head, record) {
        if (record.path === '/v1/speech-to-text/realtime') {
          const fault = server.faults.take();
          if (fault) record.fault = fault.kind;
          return scribeUpgrade(wss, req, socket, head, record, fault, sttSessions, scribe, elevenLabsErrorBody);
        }
        const voice = /^\/v1\/text-to-speech\/([^/]+)\/multi-stream-input$/.exec(record.path)?.[1];
        if (!voice) return rejectUpgrade(socket, 404, elevenLabsErrorBody(404, `no WebSocket endpoint at ${record.path}`));
        const rate = sampleRateOf(record.query.output_format);
        if (!rate) return rejectUpgrade(socket, 400, elevenLabsErrorBody(400, `the mock produces pcm_<rate> output only, got ${String(record.query.output_format)}`));
        const fault = server.faults.take();
        if (fault) record.fault = fault.kind;
        if (fault?.kind === 'stall') return;
        if (fault?.kind === 'status') return rejectUpgrade(socket, fault.status, elevenLabsErrorBody(fault.status, fault.message ?? defaultFaultMessage(fault.status)));
        wss.handleUpgrade(req, socket, head, (ws) => new MultiStreamSession(ws, record, fault, rate, o));
      },
      onClose() {
        for (const client of wss.clients) client.terminate();
        wss.close();
      },
    },
    (origin) => `${origin}/v1`,
  );
  await server.listen();
  Object.defineProperty(server, 'sttSessions', { value: sttSessions, enumerable: true });
  return Object.defineProperty(server, 'baseURL', { get: () => server.url, enumerable: true }) as MockHttpServer & { baseURL: string; sttSessions: MockScribeSession[] };
}

/** ElevenLabs' error shape: { detail: { status, message } }. */
export function elevenLabsErrorBody(status: number, message: string): unknown {
  const code = status === 401 ? 'invalid_api_key' : status === 429 ? 'too_many_concurrent_requests' : status === 402 ? 'quota_exceeded' : 'error';
  return { detail: { status: code, message } };
}

function sampleRateOf(format: unknown): number | null {
  const m = /^pcm_(\d+)$/.exec(typeof format === 'string' ? format : '');
  return m ? Number(m[1]) : null;
}

/** POST /v1/text-to-speech/{voice}/stream: raw PCM sized to the text, chunked. */
async function speech(ctx: HttpContext, o: Opts): Promise<void> {
  if (ctx.req.method !== 'POST' || !/^\/v1\/text-to-speech\/[^/]+\/stream$/.test(ctx.record.path)) {
    sendJson(ctx.res, 404, elevenLabsErrorBody(404, `no endpoint at ${ctx.req.method} ${ctx.record.path}`));
    return;
  }
  const body = (ctx.record.body ?? {}) as { text?: unknown; model_id?: unknown };
  const rate = sampleRateOf(ctx.record.query.output_format);
  if (typeof body.text !== 'string' || !rate) {
    sendJson(ctx.res, 422, elevenLabsErrorBody(422, "'text' and output_format=pcm_<rate> are required"));
    return;
  }
  if (ctx.fault?.kind === 'malformed') return sendWhole(ctx, brokenJson(elevenLabsErrorBody(500, 'upstream failed')), 'application/json');
  const audio = encodeTone((body.text.trim().length * o.msPerChar) / 1000, rate, 'pcm_s16le')!;
  ctx.res.writeHead(200, { 'content-type': 'audio/pcm', 'transfer-encoding': 'chunked', 'x-character-count': String(body.text.length) });
  const step = Math.round(rate * 0.1) * 2;
  const chunks = [];
  for (let at = 0; at < audio.length; at += step) chunks.push({ data: audio.subarray(at, at + step), counted: true });
  await writeChunks(ctx.res, chunks, ctx.fault, o.chunkDelayMs);
}

interface ClientMessage {
  text?: string;
  context_id?: string;
  flush?: boolean;
  close_context?: boolean;
  close_socket?: boolean;
}

/**
 * One multi-stream-input connection: several contexts share it. Text is generated when a message
 * asks to `flush` (or the context closes); `close_context` answers `{ isFinal: true, contextId }`
 * once that context's audio is out.
 */
class MultiStreamSession {
  readonly #pending = new Map<string, string>();
  #queue: Promise<void> = Promise.resolve();
  readonly #drop: DropCounter;
  #malformed: boolean;
  #cut = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly record: RecordedRequest,
    fault: Fault | undefined,
    private readonly rate: number,
    private readonly o: Opts,
  ) {
    record.messages = [];
    this.#drop = DropCounter.for(fault);
    this.#malformed = fault?.kind === 'malformed';
    ws.on('error', () => undefined);
    ws.on('message', (data) => this.#onMessage(data.toString()));
    if (this.#drop.exhausted) this.#cutNow();
  }

  #onMessage(text: string): void {
    let msg: ClientMessage;
    try {
      msg = JSON.parse(text) as ClientMessage;
    } catch {
      this.record.messages!.push(text);
      this.#sendRaw(JSON.stringify({ error: 'invalid_message', message: 'message is not JSON' }));
      return;
    }
    this.record.messages!.push(msg);
    if (msg.close_socket) return void this.ws.close(1000);
    const id = msg.context_id ?? 'default';
    this.#queue = this.#queue.then(() => this.#handle(id, msg)).catch(() => undefined);
  }

  async #handle(id: string, msg: ClientMessage): Promise<void> {
    if (typeof msg.text === 'string') this.#pending.set(id, (this.#pending.get(id) ?? '') + msg.text);
    if (msg.flush || msg.close_context) await this.#speak(id);
    if (msg.close_context) this.#send({ isFinal: true, contextId: id }, false);
  }

  async #speak(id: string): Promise<void> {
    const text = this.#pending.get(id) ?? '';
    this.#pending.set(id, '');
    const chars = [...text.trim()];
    if (chars.length === 0) return;
    const msPerChar = this.o.msPerChar;
    const perMessage = 10; // characters of audio per message
    for (let i = 0; i < chars.length; i += perMessage) {
      if (this.#cut) return;
      const part = chars.slice(i, i + perMessage);
      const audio = encodeTone((part.length * msPerChar) / 1000, this.rate, 'pcm_s16le', Math.round((i * msPerChar * this.rate) / 1000))!;
      const alignment = { chars: part, charStartTimesMs: part.map((_, k) => (i + k) * msPerChar), charDurationsMs: part.map(() => msPerChar) };
      this.#send({ audio: audio.toString('base64'), isFinal: null, normalizedAlignment: alignment, alignment, contextId: id }, true);
      if (this.o.chunkDelayMs > 0) await sleep(this.o.chunkDelayMs);
    }
  }

  /** `counted` messages are the audio a `drop` fault counts. */
  #send(message: object, counted: boolean): void {
    const text = counted && this.#malformed ? brokenJson(message) : JSON.stringify(message);
    if (counted) this.#malformed = false;
    if (counted && this.#drop.count()) {
      this.#sendRaw(text, () => setImmediate(() => this.#cutNow()));
      this.#cut = true;
      return;
    }
    this.#sendRaw(text);
  }

  #sendRaw(text: string, sent?: () => void): void {
    if (this.#cut || this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(text, sent);
  }

  #cutNow(): void {
    this.#cut = true;
    this.ws.terminate();
  }
}
