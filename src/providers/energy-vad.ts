import { VAD, VADEventType, VADStream } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';

export interface EnergyVADOptions {
  /** RMS (0..1) above which a frame counts as speech */
  threshold: number;
  /** trailing silence that ends an utterance */
  minSilenceMs: number;
  /** speech needed before START_OF_SPEECH */
  minSpeechMs: number;
}

const DEFAULTS: EnergyVADOptions = { threshold: 0.01, minSilenceMs: 400, minSpeechMs: 60 };
const END = Symbol('END_OF_INPUT');

/**
 * A dependency-free, offline VAD (frame RMS with hysteresis) so Whisper-style providers can be
 * streamed through LiveKit's `stt.StreamAdapter` with no model download. Pass any LiveKit VAD
 * (e.g. silero) through the drop-in's `vad` option for better endpointing on real speech.
 */
export class EnergyVAD extends VAD {
  label = 'voicegateway.EnergyVAD';
  readonly opts: EnergyVADOptions;

  constructor(opts: Partial<EnergyVADOptions> = {}) {
    super({ updateInterval: 100 });
    this.opts = { ...DEFAULTS, ...opts };
  }

  stream(): VADStream {
    return new EnergyVADStream(this, this.opts);
  }
}

class EnergyVADStream extends VADStream {
  #speech: AudioFrame[] = [];
  #speechMs = 0;
  #silenceMs = 0;
  #speaking = false;
  #samples = 0;

  constructor(
    owner: EnergyVAD,
    private readonly opts: EnergyVADOptions,
  ) {
    super(owner);
    void this.#run();
  }

  /** The base endInput() closes a writable it holds a lock on (rejection, never ends); end through the queue instead. */
  override endInput(): void {
    if (this.inputClosed || this.closed) return;
    this.inputClosed = true;
    void this.inputWriter.write(END as never).catch(() => {});
  }

  /** The base close() rejects (unhandled) once the output has ended by itself. */
  override close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.outputWriter.releaseLock();
    } catch {
      // already released
    }
    void this.outputReader.cancel().catch(() => {});
    void this.output.writable.close().catch(() => {});
  }

  async #run(): Promise<void> {
    for (;;) {
      const { done, value } = await this.inputReader.read().catch(() => ({ done: true, value: undefined }));
      if (done || (value as unknown) === END) break;
      if (typeof value === 'symbol') {
        this.#endSegment(); // FLUSH: a hard segment boundary
        continue;
      }
      this.#frame(value as AudioFrame);
    }
    this.#endSegment();
    if (!this.closed) await this.outputWriter.close().catch(() => {});
  }

  #frame(frame: AudioFrame): void {
    const ms = (frame.samplesPerChannel / frame.sampleRate) * 1000;
    this.#samples += frame.samplesPerChannel;
    const voiced = rms(frame) >= this.opts.threshold;
    if (voiced) {
      this.#speech.push(frame);
      this.#speechMs += ms;
      this.#silenceMs = 0;
      if (!this.#speaking && this.#speechMs >= this.opts.minSpeechMs) {
        this.#speaking = true;
        this.#send(VADEventType.START_OF_SPEECH, []);
      }
    } else if (this.#speech.length > 0) {
      this.#speech.push(frame);
      this.#silenceMs += ms;
      if (this.#silenceMs >= this.opts.minSilenceMs) this.#endSegment();
    }
  }

  #endSegment(): void {
    if (this.#speaking) this.#send(VADEventType.END_OF_SPEECH, this.#speech);
    this.#speech = [];
    this.#speechMs = 0;
    this.#silenceMs = 0;
    this.#speaking = false;
  }

  #send(type: VADEventType, frames: AudioFrame[]): void {
    this.sendVADEvent({
      type,
      samplesIndex: this.#samples,
      timestamp: Date.now(),
      speechDuration: this.#speechMs,
      silenceDuration: this.#silenceMs,
      frames,
      probability: type === VADEventType.START_OF_SPEECH ? 1 : 0,
      inferenceDuration: 0,
      speaking: type === VADEventType.START_OF_SPEECH,
      rawAccumulatedSilence: this.#silenceMs,
      rawAccumulatedSpeech: this.#speechMs,
    });
  }
}

function rms(frame: AudioFrame): number {
  const d = frame.data;
  if (d.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < d.length; i++) sum += d[i]! * d[i]!;
  return Math.sqrt(sum / d.length) / 32768;
}
