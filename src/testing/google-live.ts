import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, type WebSocketServer } from 'ws';
import { brokenJson, defaultFaultMessage, DropCounter, type Fault } from './faults.js';
import { type ConversationMessage, type ConversationScript, LiveConversation, type LiveSetup } from './google-live-conversation.js';
import { type RecordedRequest, rejectUpgrade } from './server.js';

/** Live API transcription options of the Google mock. */
export interface MockGeminiLiveOptions {
  /** text of every transcribed turn (default 'hello from the mock gemini') */
  transcript?: string;
  /** seconds of audio after which the mock ends a turn by itself (default 1) */
  turnSeconds?: number;
}

/** Conversations of the mock: its script and every connection's conversation, open or not. */
export interface LiveConversations {
  script: ConversationScript;
  open: Set<LiveConversation>;
}

/** One Live API connection as the mock saw it. */
export interface MockGeminiLiveSession {
  model: string;
  /** the `setup` message as sent */
  setup: Record<string, unknown>;
  /** seconds of audio received in `realtimeInput.audio` messages */
  audioSeconds: number;
  turns: number;
  /** `realtimeInput.audioStreamEnd` arrived */
  streamEnded: boolean;
  /** a conversation (responseModalities AUDIO, the realtime model) rather than a transcription session */
  conversation: boolean;
}

const PATH = /\/ws\/google\.ai\.generativelanguage\.(v1beta|v1alpha)\.GenerativeService\.BidiGenerateContent$/;
/** Gemini counts 25 tokens per second of audio input. */
const AUDIO_TOKENS_PER_SECOND = 25;

/**
 * The Gemini Live API WebSocket as @google/genai's `live.connect` opens it:
 * `GET {base}/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent?key=…`.
 * The first client message is `{ setup: { model, generationConfig, inputAudioTranscription } }`,
 * answered `{ setupComplete: {} }`; audio arrives as `{ realtimeInput: { audio: { data, mimeType:
 * 'audio/pcm;rate=16000' } } }` and ends with `{ realtimeInput: { audioStreamEnd: true } }`. Each turn
 * (every `turnSeconds` of audio, and the rest at the stream's end) is answered with
 * `serverContent.interimInputTranscription` (the first half of the words, midway), then
 * `serverContent.inputTranscription` and `serverContent.turnComplete` with `usageMetadata` (audio
 * prompt tokens, 25 per second). After the stream's end the mock closes normally (1000).
 * Faults per connection: `status` accepts the socket and closes it with 1008 (4xx) or 1011 (5xx) and
 * the message as reason, as Google closes a refused session (502/503/504: the upgrade is answered
 * with that HTTP status and Google's error body, as a load balancer in front of it would); `stall` never completes the upgrade;
 * `drop` cuts after N transcript messages; `malformed` breaks the first transcript message.
 */
export function geminiLiveUpgrade(wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer, record: RecordedRequest, fault: Fault | undefined, sessions: MockGeminiLiveSession[], o: MockGeminiLiveOptions, errorBody: (status: number, message: string) => unknown, conversations: LiveConversations): void {
  // @google/genai joins `${new URL(base)}` (which ends in '/') and '/ws/…': the path starts with '//',
  // which a URL parser would read as a host; record it as sent
  record.path = (req.url ?? '/').split('?')[0]!;
  if (!PATH.test(record.path)) return rejectUpgrade(socket, 404, errorBody(404, `no WebSocket endpoint at ${record.path}`));
  if (fault) record.fault = fault.kind;
  if (fault?.kind === 'stall' && fault.afterChunks === undefined) return;
  // 502/503/504 come from the load balancer in front of the socket, as an HTTP answer to the upgrade
  if (fault?.kind === 'status' && fault.status >= 502 && fault.status <= 504) return rejectUpgrade(socket, fault.status, errorBody(fault.status, fault.message ?? defaultFaultMessage(fault.status)));
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('error', () => undefined);
    if (fault?.kind === 'status') {
      const reason = (fault.message ?? defaultFaultMessage(fault.status)).slice(0, 120);
      return ws.close(fault.status >= 500 ? 1011 : 1008, reason);
    }
    new LiveSession(ws, record, fault, sessions, { transcript: o.transcript ?? 'hello from the mock gemini', turnSeconds: o.turnSeconds ?? 1 }, conversations);
  });
}

interface LiveClientMessage extends ConversationMessage {
  setup?: LiveSetup & { model?: string; generationConfig?: { responseModalities?: string[] } };
}

class LiveSession {
  readonly #drop: DropCounter;
  #malformed: boolean;
  #cut = false;
  #session: MockGeminiLiveSession | undefined;
  #pending = 0;
  #interimSent = false;
  #conversation: LiveConversation | null = null;
  readonly #fault: Fault | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly record: RecordedRequest,
    fault: Fault | undefined,
    private readonly sessions: MockGeminiLiveSession[],
    private readonly o: Required<MockGeminiLiveOptions>,
    private readonly conversations: LiveConversations,
  ) {
    this.#drop = DropCounter.for(fault);
    this.#malformed = fault?.kind === 'malformed';
    record.messages = [];
    record.audioBytes = 0;
    this.#fault = fault;
    ws.on('message', (data, binary) => this.#onMessage(data.toString(), binary));
  }

  #onMessage(text: string, binary: boolean): void {
    let msg: LiveClientMessage;
    try {
      msg = JSON.parse(text) as LiveClientMessage;
    } catch {
      this.record.messages!.push(binary ? '<binary>' : text);
      return this.ws.close(1007, 'Request contains an invalid argument.');
    }
    const audio = msg.realtimeInput?.audio;
    this.record.messages!.push(audio ? { realtimeInput: { audio: { mimeType: audio.mimeType, data: `<${Buffer.from(audio.data ?? '', 'base64').length} bytes>` } } } : msg);
    if (!this.#session) {
      if (!msg.setup?.model) return this.ws.close(1007, 'The first message must be a setup message with a model.');
      const conversation = msg.setup.generationConfig?.responseModalities?.includes('AUDIO') ?? false;
      this.#session = { model: msg.setup.model.replace(/^models\//, ''), setup: msg.setup as Record<string, unknown>, audioSeconds: 0, turns: 0, streamEnded: false, conversation };
      this.sessions.push(this.#session);
      if (conversation) {
        const c = (this.#conversation = new LiveConversation(this.ws, msg.setup, this.#fault, this.conversations.script));
        this.conversations.open.add(c);
        this.ws.on('close', () => this.conversations.open.delete(c));
        return;
      }
      this.#send({ setupComplete: {} }, false);
      if (this.#drop.exhausted) this.#cutNow();
      return;
    }
    if (this.#conversation) {
      if (audio) {
        const bytes = Buffer.from(audio.data ?? '', 'base64').length;
        this.record.audioBytes! += bytes;
        this.#session.audioSeconds += bytes / 2 / 16000;
      }
      return this.#conversation.onMessage(msg);
    }
    if (audio) {
      const rate = Number(/^audio\/pcm(?:;rate=(\d+))?$/.exec(audio.mimeType ?? '')?.[1] ?? 16000);
      if (!Number.isFinite(rate) || rate <= 0) return this.ws.close(1007, `unsupported mimeType ${String(audio.mimeType)}`);
      const bytes = Buffer.from(audio.data ?? '', 'base64').length;
      this.record.audioBytes! += bytes;
      this.#audio(bytes / 2 / rate);
    }
    if (msg.realtimeInput?.audioStreamEnd) {
      this.#session.streamEnded = true;
      this.#turn();
      if (!this.#cut) this.ws.close(1000, '');
    }
  }

  #audio(seconds: number): void {
    this.#session!.audioSeconds += seconds;
    this.#pending += seconds;
    if (!this.#interimSent && this.#pending >= this.o.turnSeconds / 2) {
      this.#interimSent = true;
      const words = this.o.transcript.split(/\s+/).filter(Boolean);
      this.#send({ serverContent: { interimInputTranscription: { text: words.slice(0, Math.ceil(words.length / 2)).join(' ') } } }, true);
    }
    if (this.#pending >= this.o.turnSeconds) this.#turn();
  }

  #turn(): void {
    if (this.#pending <= 0) return;
    const tokens = Math.round(this.#pending * AUDIO_TOKENS_PER_SECOND);
    this.#pending = 0;
    this.#interimSent = false;
    this.#session!.turns += 1;
    this.#send({ serverContent: { inputTranscription: { text: this.o.transcript } } }, true);
    this.#send(
      { serverContent: { turnComplete: true }, usageMetadata: { promptTokenCount: tokens, totalTokenCount: tokens, promptTokensDetails: [{ modality: 'AUDIO', tokenCount: tokens }] } },
      false,
    );
  }

  /** `counted` messages are the transcripts a `drop` fault counts. */
  #send(message: object, counted: boolean): void {
    if (this.#cut || this.ws.readyState !== WebSocket.OPEN) return;
    const text = counted && this.#malformed ? brokenJson(message) : JSON.stringify(message);
    if (counted) this.#malformed = false;
    if (counted && this.#drop.count()) {
      this.ws.send(text, () => setImmediate(() => this.#cutNow()));
      this.#cut = true;
      return;
    }
    this.ws.send(text);
  }

  #cutNow(): void {
    this.#cut = true;
    this.ws.terminate();
  }
}
