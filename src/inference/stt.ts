import { type APIConnectOptions, DEFAULT_API_CONNECT_OPTIONS, stt } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { usdToNanos } from '../money.js';
import type { ModelRef } from '../providers/types.js';
import { DropInCore, type DropInOptions } from './drop-in.js';
import { ReplayBuffer } from './replay.js';
import type { AttemptControl } from './request.js';

export interface STTOptions extends DropInOptions {
  /** language (wins over the `:language` suffix of the model string) */
  language?: string;
  /** how long to wait for the final transcript after input ends before closing the provider stream */
  finalizeTimeoutMs?: number;
}

const FLUSH = Symbol('flush');
type AudioItem = AudioFrame | typeof FLUSH;

/**
 * A LiveKit `stt.STT` over the real provider plugins. Audio is counted before any resampling
 * (what was sent is what is billed); a provider that fails before its first transcript is
 * replaced by the next chain entry, which first hears the audio the failed one received.
 */
export class STT extends stt.STT {
  readonly label = 'voicegateway.STT';
  readonly core: DropInCore<stt.STT>;
  readonly finalizeTimeoutMs: number;

  constructor(model: string | STTOptions, opts: Omit<STTOptions, 'model'> = {}) {
    super({ streaming: true, interimResults: true });
    const o = typeof model === 'string' ? { ...opts, model } : model;
    this.finalizeTimeoutMs = o.finalizeTimeoutMs ?? 3000;
    this.core = new DropInCore<stt.STT>('stt', o, (ref, ep) =>
      ref.spec.stt!({ model: ref.model, variant: ref === this.core.chain[0] ? (o.language ?? ref.variant) : ref.variant, ...ep }),
    );
  }

  static fromModelString(model: string): STT {
    return new STT(model);
  }

  get model(): string {
    return this.core.active.model;
  }

  get provider(): string {
    return this.core.active.provider;
  }

  protected async _recognize(frame: Parameters<stt.STT['recognize']>[0], abortSignal?: AbortSignal): Promise<stt.SpeechEvent> {
    const frames = Array.isArray(frame) ? frame : [frame];
    const seconds = frames.reduce((s, f) => s + f.samplesPerChannel / f.sampleRate, 0);
    let result: stt.SpeechEvent | undefined;
    const signal = abortSignal ?? new AbortController().signal;
    await this.core.run(signal, { firstGuess: (ref) => guess(this.core, ref, seconds) }, async (ref, ctl) => {
      const inner = await this.core.inner(ref);
      ctl.meter.inputUnits = seconds;
      result = await inner.recognize(frame, ctl.signal);
      ctl.outputStarted();
    });
    return result!;
  }

  stream(options?: { connOptions?: APIConnectOptions }): stt.SpeechStream {
    return new GatewaySpeechStream(this, options?.connOptions);
  }

  async close(): Promise<void> {
    await this.core.closeInners();
  }
}

function guess(core: DropInCore<stt.STT>, ref: ModelRef, seconds: number): number {
  if (ref.spec.kind === 'local') return 0;
  return core.gw.prices.price('stt', ref.provider, ref.model, { inputUnits: seconds, outputUnits: 0, cachedUnits: 0 }).costNanos ?? usdToNanos(0.001);
}

const TRANSCRIPTS = new Set([stt.SpeechEventType.FINAL_TRANSCRIPT, stt.SpeechEventType.INTERIM_TRANSCRIPT, stt.SpeechEventType.PREFLIGHT_TRANSCRIPT]);

class GatewaySpeechStream extends stt.SpeechStream {
  readonly label = 'voicegateway.SpeechStream';

  constructor(
    private readonly owner: STT,
    private readonly conn?: APIConnectOptions,
  ) {
    // no sampleRate: frames reach the inner plugin untouched (it resamples), so we meter what was sent
    super(owner, undefined, conn);
  }

  protected async run(): Promise<void> {
    const core = this.owner.core;
    const audio = new ReplayBuffer<AudioItem>();
    const pump = (async () => {
      for await (const item of this.input) audio.push(typeof item === 'symbol' ? FLUSH : item);
      audio.end();
    })();
    await core.run(this.abortSignal, { closeIsNormal: true, deferDeadline: true, firstGuess: (ref) => guess(core, ref, 60) }, (ref, ctl) => this.#attempt(ref, ctl, audio));
    await pump;
  }

  async #attempt(ref: ModelRef, ctl: AttemptControl, audio: ReplayBuffer<AudioItem>): Promise<void> {
    const core = this.owner.core;
    const inner = await core.inner(ref);
    const watch = core.watch(inner);
    const stream = inner.stream({ connOptions: { ...(this.conn ?? DEFAULT_API_CONNECT_OPTIONS), maxRetry: 0 } });
    const meter = ctl.meter;
    let unreported = 0; // seconds sent that no usage event has covered yet
    let finalAfterEnd: (() => void) | null = null;
    const close = () => stream.close();
    ctl.signal.addEventListener('abort', close);

    const feed = (async () => {
      for await (const item of audio.read(ctl.signal)) {
        if (item === FLUSH) {
          ctl.armDeadline();
          stream.flush();
        } else {
          const s = item.samplesPerChannel / item.sampleRate;
          meter.inputUnits += s;
          unreported += s;
          stream.pushFrame(item);
        }
      }
      if (ctl.signal.aborted) return;
      ctl.armDeadline();
      // Deepgram only finalizes while its input is open: flush, wait for the final transcript, then end
      stream.flush();
      await new Promise<void>((resolve) => {
        finalAfterEnd = resolve;
        setTimeout(resolve, this.owner.finalizeTimeoutMs).unref();
      });
      if (!ctl.signal.aborted) stream.endInput();
    })().catch(() => {}); // the inner stream closed under us: the read loop reports why

    const usage = (seconds: number) => {
      this.queue.put({ type: stt.SpeechEventType.RECOGNITION_USAGE, requestId: '', recognitionUsage: { audioDuration: seconds } });
    };
    try {
      for await (const ev of stream) {
        if (ctl.signal.aborted) break;
        if (ev.type === stt.SpeechEventType.RECOGNITION_USAGE) {
          // the provider's own figure wins; forwarded as ours so the session counts it once
          const s = ev.recognitionUsage?.audioDuration ?? 0;
          meter.reportedInputUnits = (meter.reportedInputUnits ?? 0) + s;
          unreported = Math.max(0, unreported - s);
          usage(s);
          continue;
        }
        if (TRANSCRIPTS.has(ev.type) && ev.alternatives?.[0]?.text) ctl.outputStarted();
        this.queue.put(ev);
        if (ev.type === stt.SpeechEventType.FINAL_TRANSCRIPT) {
          // providers without usage reports (Whisper-style): bill the audio of each utterance
          if (meter.reportedInputUnits === null && unreported > 0) {
            usage(unreported);
            unreported = 0;
          }
          if (audio.ended) (finalAfterEnd as (() => void) | null)?.();
        }
      }
      if (watch.error) throw watch.error;
      if ((stream as unknown as { _failed?: boolean })._failed) throw new Error(`${ref.id} stream failed`);
      if (meter.reportedInputUnits === null && unreported > 0 && !this.closed) usage(unreported);
    } finally {
      ctl.signal.removeEventListener('abort', close);
      (finalAfterEnd as (() => void) | null)?.();
      watch.stop();
      stream.close();
      await feed;
    }
  }
}
