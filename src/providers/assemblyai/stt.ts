import { type APIConnectOptions, APIConnectionError, DEFAULT_API_CONNECT_OPTIONS, APIStatusError, APITimeoutError, AudioByteStream, normalizeLanguage, stt } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { WebSocket } from 'ws';
import { type TurnMessage, type ServerMessage, streamingUrl } from './protocol.js';

export interface AssemblyAISTTOptions {
  apiKey: string;
  /** `universal-streaming` (English, default) or `universal-streaming-multilingual` */
  model?: string;
  /** default `wss://streaming.assemblyai.com` */
  baseURL?: string;
  sampleRate?: number;
  /** reported on transcripts (AssemblyAI detects it for the multilingual model) */
  language?: string;
  /** Turn messages arrive unformatted then formatted; the final transcript waits for the formatted one */
  formatTurns?: boolean;
  endOfTurnConfidenceThreshold?: number;
  minEndOfTurnSilenceWhenConfidentMs?: number;
  maxTurnSilenceMs?: number;
}

/** AssemblyAI sends audio in 50 ms chunks or longer. */
const CHUNK_MS = 50;

/**
 * AssemblyAI Universal-Streaming (v3 WebSocket) as a LiveKit `stt.STT`: there is no LiveKit Node
 * plugin. Partial turns become interim transcripts, `end_of_turn` a final one. Usage is reported
 * per turn (audio sent) and topped up at Termination to `session_duration_seconds`, what AssemblyAI bills.
 */
export class AssemblyAISTT extends stt.STT {
  readonly label = 'assemblyai.STT';
  readonly opts: Required<Omit<AssemblyAISTTOptions, 'language' | 'endOfTurnConfidenceThreshold' | 'minEndOfTurnSilenceWhenConfidentMs' | 'maxTurnSilenceMs'>> & AssemblyAISTTOptions;

  constructor(opts: AssemblyAISTTOptions) {
    super({ streaming: true, interimResults: true });
    if (!opts.apiKey) throw new Error('AssemblyAI API key is required (apiKey, or ASSEMBLYAI_API_KEY through voicegateway)');
    this.opts = { model: 'universal-streaming', baseURL: 'wss://streaming.assemblyai.com', sampleRate: 16000, formatTurns: true, ...opts };
  }

  get model(): string {
    return this.opts.model;
  }

  get provider(): string {
    return 'assemblyai';
  }

  protected async _recognize(): Promise<stt.SpeechEvent> {
    throw new Error('AssemblyAI Universal-Streaming is streaming only: use stream()');
  }

  stream(options?: { connOptions?: APIConnectOptions }): stt.SpeechStream {
    return new AssemblyAISpeechStream(this, options?.connOptions);
  }
}

class AssemblyAISpeechStream extends stt.SpeechStream {
  readonly label = 'assemblyai.SpeechStream';
  readonly #opts: AssemblyAISTT['opts'];
  #speaking = false;
  #sessionId = '';
  readonly #timeoutMs: number;
  /** audio seconds sent, and how much of it usage events have covered */
  #sent = 0;
  #reported = 0;

  constructor(owner: AssemblyAISTT, connOptions?: APIConnectOptions) {
    super(owner, owner.opts.sampleRate, connOptions);
    this.#opts = owner.opts;
    this.#timeoutMs = (connOptions ?? DEFAULT_API_CONNECT_OPTIONS).timeoutMs;
  }

  protected async run(): Promise<void> {
    const ws = await this.#connect();
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    let terminated = false;
    const received = new Promise<void>((resolve, reject) => {
      ws.on('message', (data, binary) => {
        if (binary) return;
        let msg: ServerMessage;
        try {
          msg = JSON.parse(data.toString()) as ServerMessage;
        } catch {
          return reject(new APIConnectionError({ message: 'AssemblyAI sent a message that is not JSON', options: { retryable: false } }));
        }
        if (msg.type === 'Termination') terminated = true;
        this.#onMessage(msg);
        if (terminated) resolve();
      });
      void closed.then(({ code, reason }) => {
        if (terminated) return resolve();
        // 1000 without Termination, or an error code (1008 auth, 3005 session expired, …)
        reject(new APIStatusError({ message: `AssemblyAI closed the session (${code}${reason ? `: ${reason}` : ''}) before Termination`, options: { statusCode: code, retryable: false } }));
      });
    });
    received.catch(() => {});
    const send = this.#sendAudio(ws);
    try {
      await Promise.race([Promise.all([send, received]), received]);
    } finally {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate();
    }
  }

  #connect(): Promise<WebSocket> {
    const url = streamingUrl(this.#opts);
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { Authorization: this.#opts.apiKey }, handshakeTimeout: this.#timeoutMs });
      const onAbort = () => ws.terminate();
      this.abortSignal.addEventListener('abort', onAbort, { once: true });
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          ws.terminate();
          reject(new APIStatusError({ message: `AssemblyAI rejected the connection: ${res.statusCode} ${body}`.trim(), options: { statusCode: res.statusCode ?? 0 } }));
        });
      });
      ws.once('error', (err) => {
        if (/timed out/i.test(err.message)) reject(new APITimeoutError({ message: `AssemblyAI handshake timed out: ${err.message}` }));
        else reject(new APIConnectionError({ message: `AssemblyAI connection failed: ${err.message}` }));
      });
    });
  }

  async #sendAudio(ws: WebSocket): Promise<void> {
    const rate = this.#opts.sampleRate;
    const chunker = new AudioByteStream(rate, 1, Math.round((rate * CHUNK_MS) / 1000));
    const send = (frames: AudioFrame[]) => {
      for (const f of frames) {
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.send(Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength));
        this.#sent += f.samplesPerChannel / f.sampleRate;
      }
    };
    for await (const item of this.input) {
      if (ws.readyState !== WebSocket.OPEN) break;
      if (item === AssemblyAISpeechStream.FLUSH_SENTINEL) {
        send(chunker.flush());
        ws.send(JSON.stringify({ type: 'ForceEndpoint' }));
        continue;
      }
      send(chunker.write(item.data));
    }
    send(chunker.flush());
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'Terminate' }));
  }

  #onMessage(msg: ServerMessage): void {
    if (msg.type === 'Begin') {
      this.#sessionId = msg.id;
      return;
    }
    // the session's remainder: what AssemblyAI bills beyond the audio already reported (idle time)
    if (msg.type === 'Termination') return this.#usage(Math.max(0, msg.session_duration_seconds - this.#reported));
    if (msg.type === 'Turn') this.#onTurn(msg);
  }

  #onTurn(turn: TurnMessage): void {
    const text = turn.transcript ?? '';
    if (!this.#speaking && text) {
      this.#speaking = true;
      this.queue.put({ type: stt.SpeechEventType.START_OF_SPEECH, requestId: this.#sessionId });
    }
    const final = turn.end_of_turn && (turn.turn_is_formatted || !this.#opts.formatTurns);
    if (!final) {
      if (text) this.queue.put({ type: stt.SpeechEventType.INTERIM_TRANSCRIPT, requestId: this.#sessionId, alternatives: [this.#speech(turn)] });
      return;
    }
    if (text) this.queue.put({ type: stt.SpeechEventType.FINAL_TRANSCRIPT, requestId: this.#sessionId, alternatives: [this.#speech(turn)] });
    if (this.#speaking) this.queue.put({ type: stt.SpeechEventType.END_OF_SPEECH, requestId: this.#sessionId });
    this.#speaking = false;
    // usage per turn (the audio sent so far), so a session that closes before Termination counts it
    this.#usage(this.#sent - this.#reported);
  }

  #usage(seconds: number): void {
    if (seconds <= 1e-6) return;
    this.#reported += seconds;
    this.queue.put({ type: stt.SpeechEventType.RECOGNITION_USAGE, requestId: this.#sessionId, recognitionUsage: { audioDuration: seconds } });
  }

  #speech(turn: TurnMessage): stt.SpeechData {
    const words = turn.words ?? [];
    const confidence = words.length > 0 ? words.reduce((s, w) => s + w.confidence, 0) / words.length : (turn.end_of_turn_confidence ?? 0);
    return {
      language: normalizeLanguage(turn.language_code ?? this.#opts.language ?? 'en'),
      text: turn.transcript,
      startTime: (words[0]?.start ?? 0) / 1000 + this.startTimeOffset,
      endTime: (words.at(-1)?.end ?? 0) / 1000 + this.startTimeOffset,
      confidence,
    };
  }
}
