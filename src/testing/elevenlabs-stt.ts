import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, type WebSocketServer } from 'ws';
import { wavInfo } from './audio.js';
import { defaultFaultMessage, type Fault, FaultySocket } from './faults.js';
import { type HttpContext, type RecordedRequest, rejectUpgrade, sendJson, sendWholeJson } from './server.js';

/** Scribe (speech-to-text) options of the ElevenLabs mock. */
export interface MockScribeOptions {
  /** text of every committed transcript (default 'hello from the mock scribe') */
  transcript?: string;
  /** `commit_strategy=vad`: seconds of audio after which the mock commits by itself (default 1) */
  turnSeconds?: number;
}

/** One realtime connection as the mock saw it. */
export interface MockScribeSession {
  id: string;
  model: string;
  sampleRate: number;
  /** seconds of audio received in `input_audio_chunk` messages */
  audioSeconds: number;
  commits: number;
}

export interface ScribeOpts {
  transcript: string;
  turnSeconds: number;
}

const REALTIME_MODELS = new Set(['scribe_v2_realtime']);
const BATCH_MODELS = new Set(['scribe_v1', 'scribe_v2']);
const RATES = new Set([8000, 16000, 22050, 24000, 44100, 48000]);

export function scribeOpts(o: MockScribeOptions = {}): ScribeOpts {
  return { transcript: o.transcript ?? 'hello from the mock scribe', turnSeconds: o.turnSeconds ?? 1 };
}

/** ElevenLabs' realtime error message types, by the HTTP-like status a `status` fault names. */
function errorType(status: number): string {
  if (status === 401 || status === 403) return 'auth_error';
  if (status === 402) return 'quota_exceeded';
  if (status === 429) return 'rate_limited';
  if (status === 400 || status === 422) return 'input_error';
  return 'transcriber_error';
}

/** Scribe words: each word then a spacing token, spread evenly over `[start, end]` seconds. */
function scribeWords(text: string, start: number, end: number) {
  const words = text.split(/\s+/).filter(Boolean);
  const step = words.length ? (end - start) / words.length : 0;
  return words.flatMap((word, i) => {
    const t = round3(start + i * step);
    const entry = { text: word, start: t, end: round3(t + step), type: 'word', speaker_id: 'speaker_0', logprob: -0.05 };
    return i === words.length - 1 ? [entry] : [entry, { text: ' ', start: entry.end, end: entry.end, type: 'spacing', speaker_id: 'speaker_0', logprob: 0 }];
  });
}

/**
 * `POST /v1/speech-to-text` (multipart: `file`, `model_id`, `language_code`?): the batch Scribe
 * answer `{ language_code, language_probability, text, words }`, words spread over the file's audio.
 */
export async function scribeBatch(ctx: HttpContext, o: ScribeOpts, errorBody: (status: number, message: string) => unknown): Promise<void> {
  const fields = (ctx.record.body ?? {}) as Record<string, unknown>;
  const file = ctx.form?.get('file');
  const model = fields.model_id;
  if (typeof model !== 'string' || !BATCH_MODELS.has(model)) {
    return sendJson(ctx.res, 422, errorBody(422, `model_id must be one of ${[...BATCH_MODELS].join(', ')} (got ${String(model)})`));
  }
  if (!file || typeof file === 'string') return sendJson(ctx.res, 422, errorBody(422, "'file' is required"));
  const info = wavInfo(new Uint8Array(await file.arrayBuffer()));
  if (!info) return sendJson(ctx.res, 422, errorBody(422, 'the mock decodes WAV files only'));
  const language = typeof fields.language_code === 'string' ? fields.language_code : 'en';
  await sendWholeJson(ctx, { language_code: language, language_probability: 0.98, text: o.transcript, words: scribeWords(o.transcript, 0, info.durationSeconds) });
}

/**
 * `GET /v1/speech-to-text/realtime?model_id=scribe_v2_realtime&audio_format=pcm_<rate>&commit_strategy=manual|vad…`.
 * Faults per connection: `status` accepts the socket, sends ElevenLabs' error message for that status
 * (`auth_error`, `quota_exceeded`, `rate_limited`, `input_error`, `transcriber_error`) and closes it
 * (ElevenLabs: "an error message will be returned before the WebSocket connection is closed");
 * `stall` never completes the upgrade; `drop` cuts after N transcript messages; `malformed` breaks
 * the first transcript message.
 */
export function scribeUpgrade(
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  record: RecordedRequest,
  fault: Fault | undefined,
  sessions: MockScribeSession[],
  o: ScribeOpts,
  errorBody: (status: number, message: string) => unknown,
): void {
  const rate = Number(/^pcm_(\d+)$/.exec(String(record.query.audio_format ?? 'pcm_16000'))?.[1]);
  if (!RATES.has(rate)) return rejectUpgrade(socket, 400, errorBody(400, `audio_format must be pcm_<rate> with a rate of ${[...RATES].join(', ')}`));
  if (fault?.kind === 'stall') return;
  wss.handleUpgrade(req, socket, head, (ws) => {
    const model = String(record.query.model_id ?? '');
    if (fault?.kind === 'status') return closeWithError(ws, errorType(fault.status), fault.message ?? defaultFaultMessage(fault.status));
    if (!REALTIME_MODELS.has(model)) return closeWithError(ws, 'input_error', `model_id must be scribe_v2_realtime for realtime transcription (got '${model}')`);
    const session: MockScribeSession = { id: randomUUID(), model, sampleRate: rate, audioSeconds: 0, commits: 0 };
    sessions.push(session);
    new RealtimeSession(ws, record, fault, session, o);
  });
}

function closeWithError(ws: WebSocket, type: string, message: string): void {
  ws.send(JSON.stringify({ message_type: type, error: message }), () => ws.close(1008, message.slice(0, 120)));
}

interface ClientMessage {
  message_type?: string;
  audio_base_64?: string;
  commit?: boolean;
  sample_rate?: number;
}

/**
 * One realtime session: `session_started` on open; `input_audio_chunk` carries base64 PCM16;
 * a `partial_transcript` for every 0.5 s of uncommitted audio; `commit: true` (or, with
 * `commit_strategy=vad`, `turnSeconds` of audio) commits: `committed_transcript`, then
 * `committed_transcript_with_timestamps` when `include_timestamps` or `include_language_detection`.
 */
class RealtimeSession {
  readonly #out: FaultySocket;
  #pending = 0; // seconds of audio since the last commit
  #partials = 0;
  #committedUntil = 0;
  readonly #vad: boolean;
  readonly #withTimestamps: boolean;
  readonly #language: string;

  constructor(
    private readonly ws: WebSocket,
    private readonly record: RecordedRequest,
    fault: Fault | undefined,
    private readonly session: MockScribeSession,
    private readonly o: ScribeOpts,
  ) {
    const q = record.query;
    this.#vad = q.commit_strategy === 'vad';
    this.#withTimestamps = q.include_timestamps === 'true' || q.include_language_detection === 'true';
    this.#language = typeof q.language_code === 'string' ? q.language_code : 'en';
    record.messages = [];
    record.audioBytes = 0;
    this.#out = new FaultySocket(ws, fault);
    ws.on('error', () => undefined);
    ws.on('message', (data, binary) => this.#onMessage(binary ? null : data.toString()));
    this.#out.send(
      {
        message_type: 'session_started',
        session_id: session.id,
        config: { model_id: session.model, sample_rate: session.sampleRate, audio_format: `pcm_${session.sampleRate}`, commit_strategy: this.#vad ? 'vad' : 'manual', language_code: this.#language },
      },
      false,
    );
    this.#out.cutIfExhausted();
  }

  #onMessage(text: string | null): void {
    let msg: ClientMessage;
    try {
      msg = JSON.parse(text ?? '') as ClientMessage;
    } catch {
      this.record.messages!.push(text ?? '<binary>');
      return closeWithError(this.ws, 'input_error', 'messages must be JSON input_audio_chunk objects');
    }
    const audio = Buffer.from(msg.audio_base_64 ?? '', 'base64');
    // recorded without the audio itself (it can be minutes of base64)
    this.record.messages!.push({ ...msg, audio_base_64: `<${audio.length} bytes>` });
    if (msg.message_type !== 'input_audio_chunk') return closeWithError(this.ws, 'input_error', `unknown message_type '${String(msg.message_type)}'`);
    if (msg.sample_rate !== undefined && msg.sample_rate !== this.session.sampleRate) {
      return closeWithError(this.ws, 'input_error', `sample_rate ${msg.sample_rate} does not match audio_format pcm_${this.session.sampleRate}`);
    }
    if (audio.length > 0) this.#audio(audio.length / 2 / this.session.sampleRate, audio.length);
    if (msg.commit) this.#commit();
  }

  #audio(seconds: number, bytes: number): void {
    this.record.audioBytes! += bytes;
    this.session.audioSeconds += seconds;
    this.#pending += seconds;
    const halves = Math.floor(this.#pending / 0.5);
    if (halves > this.#partials) {
      this.#partials = halves;
      const words = this.o.transcript.split(/\s+/).filter(Boolean);
      this.#out.send({ message_type: 'partial_transcript', text: words.slice(0, Math.min(words.length, halves)).join(' ') }, true);
    }
    if (this.#vad && this.#pending >= this.o.turnSeconds) this.#commit();
  }

  #commit(): void {
    if (this.#pending <= 0) return; // nothing to commit: ElevenLabs answers nothing
    const start = this.#committedUntil;
    const end = start + this.#pending;
    this.#committedUntil = end;
    this.#pending = 0;
    this.#partials = 0;
    this.session.commits += 1;
    const text = this.o.transcript;
    this.#out.send({ message_type: 'committed_transcript', text }, true);
    if (this.#withTimestamps) {
      this.#out.send({ message_type: 'committed_transcript_with_timestamps', text, language_code: this.#language, words: scribeWords(text, round3(start), round3(end)) }, true);
    }
  }

}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
