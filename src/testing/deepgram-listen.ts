import { createHash, randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { pcmRms } from './audio.js';
import { brokenJson, DropCounter, type Fault } from './faults.js';
import type { RecordedRequest } from './server.js';

export interface ListenOptions {
  transcript: string;
  /** send an interim Results before each final; default: the interim_results query parameter */
  interim?: boolean;
  /** voiced audio after which a segment is transcribed without waiting for Finalize, default 1 s */
  segmentSeconds: number;
}

/** RMS above which audio counts as speech (the plugin's AudioEnergyFilter threshold). */
const SPEECH_RMS = 0.004;

export const MODEL_UUID = '1ed36bac-f71c-4f3f-a31f-0fd6ec1a1bf5';

/**
 * One live /v1/listen connection: counts audio, answers Finalize / CloseStream, and transcribes
 * each segment of speech (on Finalize, CloseStream or after `segmentSeconds`) as Deepgram does:
 * SpeechStarted, interim Results, final Results (is_final + speech_final), optional UtteranceEnd.
 */
export class ListenSession {
  readonly requestId = randomUUID();
  readonly #hash = createHash('sha256');
  readonly #bytesPerSecond: number;
  readonly #channels: number;
  readonly #interim: boolean;
  readonly #utteranceEnd: boolean;
  readonly #drop: DropCounter;
  #malformedPending: boolean;
  #cut = false;
  #bytes = 0;
  #segmentStart: number | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly record: RecordedRequest,
    fault: Fault | undefined,
    private readonly opts: ListenOptions,
  ) {
    const q = record.query;
    this.#channels = Number(q.channels ?? 1) || 1;
    this.#bytesPerSecond = (Number(q.sample_rate ?? 16000) || 16000) * this.#channels * 2;
    this.#interim = opts.interim ?? q.interim_results !== 'false';
    this.#utteranceEnd = q.utterance_end_ms !== undefined;
    this.#drop = DropCounter.for(fault);
    this.#malformedPending = fault?.kind === 'malformed';
    record.audioBytes = 0;
    record.messages = [];
    ws.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
    ws.on('error', () => undefined);
    if (this.#drop.exhausted) setImmediate(() => this.#cutNow());
  }

  get seconds(): number {
    return this.#bytes / this.#bytesPerSecond;
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) return this.#onAudio(data);
    const text = data.toString();
    let message: { type?: string } | string;
    try {
      message = JSON.parse(text) as { type?: string };
    } catch {
      message = text;
    }
    this.record.messages!.push(message);
    const type = typeof message === 'object' ? message?.type : undefined;
    if (type === 'Finalize') this.#finalize();
    else if (type === 'CloseStream') this.#closeStream();
  }

  #onAudio(data: Buffer): void {
    const before = this.seconds;
    this.#bytes += data.length;
    this.#hash.update(data);
    this.record.audioBytes = this.#bytes;
    if (this.#segmentStart === undefined && pcmRms(data) > SPEECH_RMS) this.#segmentStart = before;
    if (this.#segmentStart !== undefined && this.seconds - this.#segmentStart >= this.opts.segmentSeconds - 1e-9) this.#transcribe(false);
  }

  #finalize(): void {
    if (this.#segmentStart !== undefined) return this.#transcribe(true);
    // nothing pending: Deepgram still confirms the finalize with an empty final result
    this.#send(this.#results({ start: this.seconds, end: this.seconds, words: [], isFinal: true, speechFinal: false, fromFinalize: true }), true);
  }

  #closeStream(): void {
    if (this.#segmentStart !== undefined) this.#transcribe(false);
    this.#send(
      {
        type: 'Metadata',
        transaction_key: 'deprecated',
        request_id: this.requestId,
        sha256: this.#hash.digest('hex'),
        created: new Date().toISOString(),
        duration: round3(this.seconds),
        channels: this.#channels,
        models: [MODEL_UUID],
        model_info: { [MODEL_UUID]: { name: '2-general-nova', version: '2024-01-18.26916', arch: 'nova-3' } },
      },
      false,
    );
    if (!this.#cut && this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
  }

  #transcribe(fromFinalize: boolean): void {
    const start = this.#segmentStart ?? this.seconds;
    const end = this.seconds;
    this.#segmentStart = undefined;
    const words = this.opts.transcript.split(/\s+/).filter(Boolean);
    this.#send({ type: 'SpeechStarted', channel: [0, this.#channels], timestamp: round3(start) }, false);
    if (this.#interim && words.length > 1) {
      const partial = words.slice(0, Math.ceil(words.length / 2));
      this.#send(this.#results({ start, end, words: partial, isFinal: false, speechFinal: false, fromFinalize: false }), true);
    }
    this.#send(this.#results({ start, end, words, isFinal: true, speechFinal: words.length > 0, fromFinalize }), true);
    if (this.#utteranceEnd) this.#send({ type: 'UtteranceEnd', channel: [0, this.#channels], last_word_end: round3(end) }, false);
  }

  #results(r: { start: number; end: number; words: string[]; isFinal: boolean; speechFinal: boolean; fromFinalize: boolean }) {
    const step = r.words.length ? (r.end - r.start) / r.words.length : 0;
    const words = r.words.map((punctuated, i) => ({
      word: punctuated.toLowerCase().replace(/[^\p{L}\p{N}']/gu, ''),
      start: round3(r.start + i * step),
      end: round3(r.start + (i + 1) * step),
      confidence: 0.99,
      punctuated_word: punctuated,
    }));
    return {
      type: 'Results',
      channel_index: [0, this.#channels],
      duration: round3(r.end - r.start),
      start: round3(r.start),
      is_final: r.isFinal,
      speech_final: r.speechFinal,
      from_finalize: r.fromFinalize,
      channel: { alternatives: [{ transcript: r.words.join(' '), confidence: r.words.length ? 0.99 : 0, words }] },
      metadata: { request_id: this.requestId, model_info: { name: '2-general-nova', version: '2024-01-18.26916', arch: 'nova-3' }, model_uuid: MODEL_UUID },
    };
  }

  /** `counted` messages are the output chunks a `drop` fault counts (Results). */
  #send(message: object, counted: boolean): void {
    if (this.#cut || this.ws.readyState !== WebSocket.OPEN) return;
    const text = this.#malformedPending ? brokenJson(message) : JSON.stringify(message);
    this.#malformedPending = false;
    if (counted && this.#drop.count()) {
      this.#cut = true;
      this.ws.send(text, () => setImmediate(() => this.ws.terminate()));
      return;
    }
    this.ws.send(text);
  }

  #cutNow(): void {
    this.#cut = true;
    this.ws.terminate();
  }
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
