import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { sinePcm } from './audio.js';
import { brokenJson, defaultFaultMessage, DropCounter, type Fault, type FaultState } from './faults.js';
import { type RecordedRequest, sleep } from './server.js';

export interface TtsOptions {
  msPerChar: number;
  chunkMs: number;
  chunkDelayMs: number;
}

interface CartesiaRequest {
  context_id?: string;
  transcript?: unknown;
  continue?: boolean;
  cancel?: boolean;
  flush?: boolean;
  add_timestamps?: boolean;
  output_format?: { container?: string; encoding?: string; sample_rate?: number };
}

interface Context {
  id: string;
  fault: Fault | undefined;
  drop: DropCounter;
  malformedPending: boolean;
  cancelled: boolean;
  /** seconds of audio already produced, for word timestamps */
  offset: number;
  flushes: number;
}

/** Turn `pcm_s16le` / `pcm_f32le` requests into raw sample bytes; undefined for encodings the mock cannot make. */
export function encodeTone(seconds: number, sampleRate: number, encoding: string, offsetSamples = 0): Buffer | undefined {
  const pcm = sinePcm(seconds, sampleRate, { offset: offsetSamples });
  if (encoding === 'pcm_s16le') return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  if (encoding === 'pcm_f32le') return Buffer.from(Float32Array.from(pcm, (s) => s / 32768).buffer);
  return undefined;
}

/**
 * One /tts/websocket connection. Several generation contexts share it (the plugin pools the
 * socket), so faults other than a handshake stall apply per context, taken at its first message.
 */
export class TtsConnection {
  readonly #contexts = new Map<string, Context>();
  #queue: Promise<void> = Promise.resolve();
  #cut = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly record: RecordedRequest,
    private readonly faults: FaultState,
    private readonly opts: TtsOptions,
  ) {
    record.messages = [];
    ws.on('error', () => undefined);
    ws.on('message', (data) => this.#onMessage(data.toString()));
  }

  #onMessage(text: string): void {
    let msg: CartesiaRequest;
    try {
      msg = JSON.parse(text) as CartesiaRequest;
    } catch {
      this.record.messages!.push(text);
      this.#sendRaw(JSON.stringify({ type: 'error', error: 'invalid JSON message', status_code: 400, done: true, context_id: '' }));
      return;
    }
    this.record.messages!.push(msg);
    const id = msg.context_id ?? randomUUID();
    let context = this.#contexts.get(id);
    if (msg.cancel) {
      if (context) context.cancelled = true;
      return;
    }
    if (!context) {
      const fault = this.faults.take();
      if (fault) this.record.fault = fault.kind;
      context = { id, fault, drop: DropCounter.for(fault), malformedPending: fault?.kind === 'malformed', cancelled: false, offset: 0, flushes: 0 };
      this.#contexts.set(id, context);
      if (context.drop.exhausted) return this.#cutNow();
    }
    const ctx = context;
    // answer messages in order, one at a time, as the real service does per context
    this.#queue = this.#queue.then(() => this.#produce(ctx, msg)).catch(() => undefined);
  }

  async #produce(ctx: Context, msg: CartesiaRequest): Promise<void> {
    const ends = msg.continue !== true;
    if (ends) this.#contexts.delete(ctx.id);
    if (this.#cut || ctx.cancelled || ctx.fault?.kind === 'stall') return;
    if (ctx.fault?.kind === 'status') {
      // answered once the client has said everything, so the plugin's reaction is deterministic
      if (ends) this.#error(ctx, ctx.fault.status, ctx.fault.message ?? defaultFaultMessage(ctx.fault.status));
      return;
    }
    const format = msg.output_format ?? {};
    const sampleRate = Number(format.sample_rate);
    const encoding = format.encoding ?? 'pcm_s16le';
    if (!(sampleRate > 0) || !encodeTone(0, sampleRate, encoding)) {
      return this.#error(ctx, 400, `the mock produces raw pcm_s16le or pcm_f32le at a given sample_rate, got ${JSON.stringify(format)}`);
    }
    const transcript = typeof msg.transcript === 'string' ? msg.transcript : '';
    if (transcript.trim()) await this.#speak(ctx, transcript, sampleRate, encoding, msg.add_timestamps === true);
    if (msg.flush) this.#send(ctx, { type: 'flush_done', done: false, flush_done: true, flush_id: ++ctx.flushes, status_code: 206, context_id: ctx.id }, false);
    if (ends) this.#send(ctx, { type: 'done', done: true, status_code: 200, context_id: ctx.id }, false);
  }

  async #speak(ctx: Context, transcript: string, sampleRate: number, encoding: string, timestamps: boolean): Promise<void> {
    const seconds = (transcript.trim().length * this.opts.msPerChar) / 1000;
    const total = Math.round(seconds * sampleRate);
    const perChunk = Math.max(1, Math.round((sampleRate * this.opts.chunkMs) / 1000));
    const startOffset = ctx.offset;
    for (let at = 0; at < total; at += perChunk) {
      if (this.#cut || ctx.cancelled) return;
      const n = Math.min(perChunk, total - at);
      const audio = encodeTone(n / sampleRate, sampleRate, encoding, Math.round(startOffset * sampleRate) + at)!;
      this.#send(ctx, { type: 'chunk', data: audio.toString('base64'), done: false, status_code: 206, step_time: this.opts.chunkMs, context_id: ctx.id }, true);
      if (this.opts.chunkDelayMs > 0) await sleep(this.opts.chunkDelayMs);
    }
    ctx.offset += total / sampleRate;
    if (!timestamps) return;
    const words = transcript.split(/\s+/).filter(Boolean);
    const step = (total / sampleRate) / words.length;
    const at = (i: number) => Math.round((startOffset + i * step) * 1000) / 1000;
    this.#send(ctx, { type: 'timestamps', done: false, status_code: 206, context_id: ctx.id, word_timestamps: { words, start: words.map((_, i) => at(i)), end: words.map((_, i) => at(i + 1)) } }, false);
  }

  #error(ctx: Context, status: number, error: string): void {
    this.#send(ctx, { type: 'error', error, status_code: status, done: true, context_id: ctx.id }, false);
  }

  /** `counted` frames are the audio chunks a `drop` fault counts. */
  #send(ctx: Context, message: object, counted: boolean): void {
    const text = ctx.malformedPending ? brokenJson(message) : JSON.stringify(message);
    ctx.malformedPending = false;
    if (counted && ctx.drop.count()) {
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
