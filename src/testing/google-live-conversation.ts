import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { pcmRms, sinePcm } from './audio.js';
import { type Fault, FaultySocket } from './faults.js';

/** Gemini Live conversation options of the Google mock (a setup whose responseModalities include AUDIO). */
export interface MockGeminiConversationOptions {
  /** what the model says, one entry per response in order (the last repeats); default one greeting */
  replies?: string[] | ((turn: number) => string);
  /** what the caller said, one entry per caller turn (the last repeats) */
  transcripts?: string[] | ((turn: number) => string);
  /** audio per word of a reply, ms (default 100: one modelTurn audio message per word) */
  msPerWord?: number;
  /** wait between words (default 0: a whole response is written at once) */
  wordIntervalMs?: number;
  /** report the previous response's prompt as cached (cachedContentTokenCount + cacheTokensDetails); default false */
  cachedPrompt?: boolean;
}

/** `usageMetadata` of a turnComplete, in the Live API's shape. */
export interface GeminiLiveUsage {
  promptTokenCount: number;
  cachedContentTokenCount?: number;
  responseTokenCount: number;
  totalTokenCount: number;
  promptTokensDetails: { modality: 'TEXT' | 'AUDIO'; tokenCount: number }[];
  cacheTokensDetails?: { modality: 'TEXT' | 'AUDIO'; tokenCount: number }[];
  responseTokensDetails: { modality: 'AUDIO'; tokenCount: number }[];
}

/** What the conversations of one mock share: the script, what was sent, and resumable histories. */
export interface ConversationScript {
  reply(turn: number): string;
  transcript(turn: number): string;
  msPerWord: number;
  wordIntervalMs: number;
  cachedPrompt: boolean;
  usage: GeminiLiveUsage[];
  /** responses cut by the caller (speech over the answer, activityStart, a new turn) */
  interrupted: number;
  handles: Map<string, Item[]>;
}

interface Item {
  role: 'user' | 'model';
  text: number;
  audio: number;
}

/** The mock's token figures: 25 audio tokens a second (Gemini's rate), in and out; 4 characters a text token. */
export const GEMINI_LIVE_TOKENS = { audioPerSecond: 25, charsPerTextToken: 4 };
const IN_RATE = 16000;
const OUT_RATE = 24000;
const SPEECH_RMS = 0.01;
/** silence that ends a caller's turn (the server's automatic activity detection) */
const END_OF_SPEECH_MS = 200;

const textTokens = (s: string) => Math.ceil(s.length / GEMINI_LIVE_TOKENS.charsPerTextToken);
const audioTokens = (seconds: number) => Math.round(seconds * GEMINI_LIVE_TOKENS.audioPerSecond);

export interface LiveSetup {
  systemInstruction?: { parts?: { text?: string }[] };
  sessionResumption?: { handle?: string };
  realtimeInputConfig?: { automaticActivityDetection?: { disabled?: boolean } };
}

export interface ConversationMessage {
  clientContent?: { turns?: { role?: string; parts?: { text?: string }[] }[]; turnComplete?: boolean };
  realtimeInput?: { audio?: { data?: string; mimeType?: string }; activityStart?: object; activityEnd?: object; audioStreamEnd?: boolean; text?: string };
  toolResponse?: unknown;
}

/**
 * One Gemini Live conversation (the native-audio models, `responseModalities: ['AUDIO']`). The
 * caller's 16 kHz audio goes through an energy VAD in audio time (200 ms of silence ends a turn;
 * speech over an answer interrupts it); `activityStart`/`activityEnd` do the same with automatic
 * activity detection off. A caller turn is answered with `inputTranscription` (word by word), then
 * per word of the reply a `modelTurn` part with 24 kHz PCM `inlineData` followed by its
 * `outputTranscription` (Gemini's transcript trails its audio), then `generationComplete` (or
 * `interrupted`) and `turnComplete` with `usageMetadata`: the prompt is the system instruction,
 * every text turn and every audio turn so far (text and audio tokens), the response its audio
 * tokens. A `clientContent` turn with `turnComplete` is answered the same way (no transcription).
 * With `sessionResumption` in the setup each answer is followed by a `sessionResumptionUpdate`
 * whose handle restores the conversation on a new connection.
 * Faults: `drop` cuts after N audio messages (0: right after setupComplete), `malformed` breaks the
 * first audio message, `stall` with `afterChunks` goes silent after N audio messages.
 */
export class LiveConversation {
  readonly #out: FaultySocket;
  readonly #system: number;
  readonly #manual: boolean;
  readonly #resumable: boolean;
  #items: Item[] = [];
  #heardS = 0;
  #speaking = false;
  #silentMs = 0;
  #turns = 0;
  #responses = 0;
  #active: { interrupted: boolean } | null = null;
  #prevPrompt: { text: number; audio: number } | null = null;
  #cut = false;
  #stallIn: number | null;

  constructor(
    ws: WebSocket,
    setup: LiveSetup,
    fault: Fault | undefined,
    private readonly script: ConversationScript,
  ) {
    this.#out = new FaultySocket(ws, fault);
    this.#stallIn = fault?.kind === 'stall' ? (fault.afterChunks ?? null) : null;
    this.#system = textTokens((setup.systemInstruction?.parts ?? []).map((p) => p.text ?? '').join(''));
    this.#manual = setup.realtimeInputConfig?.automaticActivityDetection?.disabled === true;
    this.#resumable = setup.sessionResumption !== undefined;
    const restored = setup.sessionResumption?.handle ? script.handles.get(setup.sessionResumption.handle) : undefined;
    if (restored) this.#items = restored.map((i) => ({ ...i }));
    ws.on('close', () => (this.#cut = true));
    this.#send({ setupComplete: {} });
    this.#out.cutIfExhausted();
    if (this.#out.isCut) this.#cut = true;
  }

  /** Sends `goAway` (the server will close the connection soon). */
  goAway(timeLeft = '5s'): void {
    this.#send({ goAway: { timeLeft } });
  }

  onMessage(msg: ConversationMessage): void {
    const input = msg.realtimeInput;
    if (input?.audio) {
      const rate = Number(/^audio\/pcm(?:;rate=(\d+))?$/.exec(input.audio.mimeType ?? '')?.[1] ?? IN_RATE);
      return this.#onAudio(Buffer.from(input.audio.data ?? '', 'base64'), rate);
    }
    if (input?.activityStart) return this.#interrupt();
    if (input?.activityEnd || input?.audioStreamEnd) return this.#endTurn();
    if (input?.text) {
      this.#items.push({ role: 'user', text: textTokens(input.text), audio: 0 });
      return void this.#respond(null);
    }
    const content = msg.clientContent;
    if (content) {
      for (const turn of content.turns ?? []) {
        const text = (turn.parts ?? []).map((p) => p.text ?? '').join('');
        this.#items.push({ role: turn.role === 'model' ? 'model' : 'user', text: textTokens(text), audio: 0 });
      }
      if (content.turnComplete) void this.#respond(null);
    }
  }

  /** Energy VAD in audio time, so tests are deterministic. */
  #onAudio(pcm: Buffer, rate: number): void {
    const seconds = pcm.length / 2 / rate;
    this.#heardS += seconds;
    if (this.#manual) return;
    if (pcmRms(pcm) > SPEECH_RMS) {
      this.#silentMs = 0;
      if (!this.#speaking) {
        this.#speaking = true;
        this.#interrupt(); // the caller talks over the model
      }
      return;
    }
    if (!this.#speaking) return;
    this.#silentMs += seconds * 1000;
    if (this.#silentMs >= END_OF_SPEECH_MS) this.#endTurn();
  }

  #interrupt(): void {
    if (this.#active) this.#active.interrupted = true;
  }

  /** The caller's turn ended: its audio (all heard since the last turn) joins the conversation and is answered. */
  #endTurn(): void {
    this.#speaking = false;
    this.#silentMs = 0;
    if (this.#heardS <= 0) return;
    this.#items.push({ role: 'user', text: 0, audio: audioTokens(this.#heardS) });
    this.#heardS = 0;
    void this.#respond(this.script.transcript(this.#turns++));
  }

  async #respond(transcript: string | null): Promise<void> {
    if (this.#active) {
      this.#active.interrupted = true;
      await new Promise((r) => setImmediate(r)); // the answer in progress ends first
    }
    const active = (this.#active = { interrupted: false });
    const prompt = { text: this.#system + sum(this.#items, 'text'), audio: sum(this.#items, 'audio') };
    if (transcript) for (const [i, word] of transcript.split(/\s+/).filter(Boolean).entries()) this.#send({ serverContent: { inputTranscription: { text: i === 0 ? word : ` ${word}` } } });
    const words = this.script.reply(this.#responses++).split(/(?<=\s)/).filter(Boolean);
    let seconds = 0;
    let offset = 0;
    for (const [i, word] of words.entries()) {
      if (i > 0 && this.script.wordIntervalMs > 0) await new Promise((r) => setTimeout(r, this.script.wordIntervalMs));
      if (active.interrupted || this.#cut) break;
      const pcm = sinePcm(this.script.msPerWord / 1000, OUT_RATE, { offset });
      offset += pcm.length;
      seconds += this.script.msPerWord / 1000;
      const data = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');
      this.#send({ serverContent: { modelTurn: { parts: [{ inlineData: { mimeType: `audio/pcm;rate=${OUT_RATE}`, data } }] } } }, true);
      if (this.#cut) return;
      this.#send({ serverContent: { outputTranscription: { text: word } } });
      if (this.#stallIn !== null && --this.#stallIn <= 0) return void (this.#cut = true); // silent, still open
    }
    if (this.#cut) return;
    if (active.interrupted) this.script.interrupted++;
    this.#send({ serverContent: active.interrupted ? { interrupted: true } : { generationComplete: true } });
    const out = audioTokens(seconds);
    this.#items.push({ role: 'model', text: 0, audio: out });
    const cached = this.script.cachedPrompt && this.#prevPrompt ? { text: Math.min(this.#prevPrompt.text, prompt.text), audio: Math.min(this.#prevPrompt.audio, prompt.audio) } : null;
    this.#prevPrompt = prompt;
    const details = (v: { text: number; audio: number }) => [
      { modality: 'TEXT' as const, tokenCount: v.text },
      { modality: 'AUDIO' as const, tokenCount: v.audio },
    ].filter((d) => d.tokenCount > 0);
    const usage: GeminiLiveUsage = {
      promptTokenCount: prompt.text + prompt.audio,
      ...(cached ? { cachedContentTokenCount: cached.text + cached.audio } : {}),
      responseTokenCount: out,
      totalTokenCount: prompt.text + prompt.audio + out,
      promptTokensDetails: details(prompt),
      ...(cached ? { cacheTokensDetails: details(cached) } : {}),
      responseTokensDetails: out > 0 ? [{ modality: 'AUDIO', tokenCount: out }] : [],
    };
    this.script.usage.push(usage);
    this.#send({ serverContent: { turnComplete: true }, usageMetadata: usage });
    if (this.#resumable) {
      const handle = randomUUID();
      this.script.handles.set(handle, this.#items.map((i) => ({ ...i })));
      this.#send({ sessionResumptionUpdate: { newHandle: handle, resumable: true } });
    }
    if (this.#active === active) this.#active = null;
  }

  /** `counted` messages (the answer's audio) are the ones a drop or malformed fault acts on. */
  #send(message: object, counted = false): void {
    if (this.#cut) return;
    this.#out.send(message, counted);
    if (this.#out.isCut) this.#cut = true;
  }
}

function sum(items: Item[], key: 'text' | 'audio'): number {
  return items.reduce((n, i) => n + i[key], 0);
}
