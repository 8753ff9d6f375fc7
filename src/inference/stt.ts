import { APIConnectionError, type APIConnectOptions, stt } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { STREAM_CHUNKS } from '../budget/grant.js';
import { BudgetExceededError } from '../errors.js';
import { log } from '../log.js';
import { openNoted, rejectionOf, withProviderMessage } from '../providers/handshake-errors.js';
import type { ModelRef } from '../providers/types.js';
import { DropInCore, type DropInOptions, EarlyStart, HeadStart, innerConn } from './drop-in.js';
import { ReplayBuffer } from './replay.js';
import { type AttemptControl, unitNanos } from './request.js';

export interface STTOptions extends DropInOptions {
  /** language (wins over the `:language` suffix of the model string) */
  language?: string;
  /** how long to wait for the final transcript after input ends before closing the provider stream */
  finalizeTimeoutMs?: number;
}

const FLUSH = Symbol('flush');
/**
 * Audio kept for a fallback while nothing has been transcribed: 3000 frames, 30 s of a room's 10 ms
 * frames. A caller silent for minutes would otherwise keep minutes of audio (~100 KB/s at 48 kHz).
 */
const REPLAY_FRAMES = 3000;
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
    await this.core.run(signal, { reserve: (ref) => audioCost(this.core, ref, seconds, true) }, async (ref, ctl) => {
      const inner = await this.core.inner(ref);
      ctl.meter.inputUnits = seconds;
      ctl.meter.batch = true; // pre-recorded: priced at the provider's batch rate
      result = await inner.recognize(frame, ctl.signal);
      ctl.outputStarted();
    });
    return result!;
  }

  stream(options?: { connOptions?: APIConnectOptions }): stt.SpeechStream {
    // opened before ours: constructing a LiveKit stream takes ~0.1 ms, and the provider's timer counts
    const headers = this.core.chain[0]!.spec.upgradeErrorHeaders;
    const head = HeadStart.open(this.core, (inner) => openNoted(headers, () => inner.stream({ connOptions: innerConn(options?.connOptions) })));
    return new GatewaySpeechStream(this, options?.connOptions, head);
  }

  async close(): Promise<void> {
    await this.core.closeInners();
  }
}

/** What `seconds` of audio cost on `ref` (0 for local models and unpriced ones allowed by `allow_unpriced`). */
function audioCost(core: DropInCore<stt.STT>, ref: ModelRef, seconds: number, batch = false): number {
  if (ref.spec.kind === 'local') return 0;
  return core.gw.prices.price('stt', ref.provider, ref.model, { inputUnits: seconds, outputUnits: 0, cachedUnits: 0, batch }).costNanos ?? 0;
}

const TRANSCRIPTS = new Set([stt.SpeechEventType.FINAL_TRANSCRIPT, stt.SpeechEventType.INTERIM_TRANSCRIPT, stt.SpeechEventType.PREFLIGHT_TRANSCRIPT]);

class GatewaySpeechStream extends stt.SpeechStream {
  readonly label = 'voicegateway.SpeechStream';
  /** usage of the attempt in flight: what was sent and what has been reported as metrics */
  #usage: { meter: AttemptControl['meter']; reported: number; final: boolean } | null = null;
  /** a `block` project's budget refused more audio: the stream ended after what it held */
  #budgetStopped = false;

  constructor(
    private readonly owner: STT,
    private readonly conn: APIConnectOptions | undefined,
    private readonly head: HeadStart<stt.SpeechStream>,
  ) {
    // no sampleRate: frames reach the inner plugin untouched (it resamples), so we meter what was sent
    super(owner, undefined, conn);
    this.#start = new EarlyStart(() => this.#run());
  }

  readonly #start: EarlyStart;

  /**
   * Sessions end STT streams by closing them, before the provider's last usage report can arrive.
   * Report the audio sent but not yet reported now, so the session and the ledger agree.
   */
  override close(): void {
    const u = this.#usage;
    // after a failure the base class has closed the queue already: nothing more can be reported
    if (u && !u.final && !this.closed && !this.queue.closed) {
      u.final = true;
      const pending = u.meter.inputUnits - u.reported;
      if (pending > 1e-6) this.queue.put({ type: stt.SpeechEventType.RECOGNITION_USAGE, requestId: '', recognitionUsage: { audioDuration: pending } });
      u.meter.reportedInputUnits = u.meter.inputUnits;
    }
    super.close();
  }

  protected run(): Promise<void> {
    return this.#start.run();
  }

  async #run(): Promise<void> {
    const core = this.owner.core;
    const audio = new ReplayBuffer<AudioItem>(REPLAY_FRAMES);
    const pump = (async () => {
      for await (const item of this.input) audio.push(typeof item === 'symbol' ? FLUSH : item);
      audio.end();
    })();
    try {
      await core.run(this.abortSignal, { connOptions: this.conn, closeIsNormal: true, deferDeadline: true, reserve: (ref) => audioCost(core, ref, STREAM_CHUNKS.stt) }, (ref, ctl) => this.#attempt(ref, ctl, audio));
    } finally {
      this.head.close(); // blocked, or the head never ran
    }
    if (this.#budgetStopped) {
      const s = await core.gw.budget.status(core.project.id);
      log.warn(`STT stream of project '${core.project.id}' stopped: its daily budget is used up (budget_action: block)`);
      throw new BudgetExceededError(core.project.id, s.spentUsd, s.budgetUsd, s.reservedUsd);
    }
    await pump;
  }

  async #attempt(ref: ModelRef, ctl: AttemptControl, audio: ReplayBuffer<AudioItem>): Promise<void> {
    const core = this.owner.core;
    const inner = await core.inner(ref);
    // noted: a refused upgrade's provider message (Deepgram's dg-error) goes into the error and the row
    const stream = this.head.take(ref) ?? openNoted(ref.spec.upgradeErrorHeaders, () => inner.stream({ connOptions: innerConn(this.conn) }));
    let transcribed = false;
    // an utterance STT (Whisper-style, batch Scribe) logs a failed request and goes on listening:
    // before any transcript, end the attempt at once so the next entry hears the audio
    const watch = core.watch(inner, () => void (transcribed || stream.close()));
    const meter = ctl.meter;
    const perSecond = unitNanos(core.gw, 'stt', ref);
    const usageState = { meter, reported: 0, final: false };
    this.#usage = usageState;
    let unreported = 0; // seconds sent that no usage event has covered yet
    let finalAfterEnd: (() => void) | null = null;
    let endWatch: NodeJS.Timeout | undefined;
    let ended: (() => void) | undefined;
    let hung = false;
    const unsubscribe = ctl.onAbort(() => stream.close());
    // the feed waits for audio; when the provider stream ends first (it failed at connect, say) the
    // failure must not wait for the caller's next frame: stopping the feed releases it at once
    const stopFeed = new AbortController();
    const feedSignal = AbortSignal.any([ctl.signal, stopFeed.signal]);

    const feed = (async () => {
      for await (const item of audio.read(feedSignal)) {
        if (item === FLUSH) {
          ctl.armDeadline();
          stream.flush();
        } else {
          const s = item.samplesPerChannel / item.sampleRate;
          // reserve ahead in chunks of audio; a block project's stream ends once what it holds is used
          if (!ctl.usage.use(s * perSecond, STREAM_CHUNKS.stt * perSecond)) {
            this.#budgetStopped = true;
            break;
          }
          meter.inputUnits += s;
          unreported += s;
          stream.pushFrame(item);
        }
      }
      if (feedSignal.aborted) return;
      ctl.armDeadline();
      // Deepgram only finalizes while its input is open: flush, wait for the final transcript, then end
      stream.flush();
      await new Promise<void>((resolve) => {
        finalAfterEnd = resolve;
        setTimeout(resolve, this.owner.finalizeTimeoutMs).unref();
      });
      if (feedSignal.aborted) return;
      stream.endInput();
      if (ref.spec.sttStreamOutlivesInput) return stream.close();
      // a provider whose socket died may never end its stream (Deepgram's plugin does not notice)
      await new Promise<void>((resolve) => {
        endWatch = setTimeout(() => {
          hung = true;
          stream.close();
          resolve();
        }, this.owner.finalizeTimeoutMs);
        endWatch.unref();
        ended = resolve;
      });
    })().catch(() => {}); // the inner stream closed under us: the read loop reports why

    const usage = (seconds: number) => {
      if (usageState.final || this.closed) return;
      usageState.reported += seconds;
      this.queue.put({ type: stt.SpeechEventType.RECOGNITION_USAGE, requestId: '', recognitionUsage: { audioDuration: seconds } });
    };
    try {
      for await (const ev of stream) {
        if (ctl.signal.aborted) break;
        if (ev.type === stt.SpeechEventType.RECOGNITION_USAGE) {
          // the provider's own figure wins; forwarded as ours so the session counts it once
          const s = ev.recognitionUsage?.audioDuration ?? 0;
          if (usageState.final) continue; // reported at close already
          meter.reportedInputUnits = (meter.reportedInputUnits ?? 0) + s;
          unreported = Math.max(0, unreported - s);
          usage(s);
          continue;
        }
        if (TRANSCRIPTS.has(ev.type) && ev.alternatives?.[0]?.text) {
          transcribed = true;
          ctl.outputStarted();
          audio.release(); // no fallback replays audio once a transcript is out
        }
        if (!this.closed) this.queue.put(ev);
        if (ev.type === stt.SpeechEventType.FINAL_TRANSCRIPT) {
          // providers without usage reports (Whisper-style): bill the audio of each utterance
          // (a provider that reports once, at the end, is not one of them: it would count twice)
          if (!ref.spec.billsSessionDuration && meter.reportedInputUnits === null && unreported > 0) {
            usage(unreported);
            unreported = 0;
          }
          if (audio.ended) (finalAfterEnd as (() => void) | null)?.();
        }
      }
      clearTimeout(endWatch);
      ended?.();
      if (watch.error) throw withProviderMessage(watch.error, rejectionOf(stream));
      if ((stream as unknown as { _failed?: boolean })._failed) throw new Error(`${ref.id} stream failed`);
      if (hung) throw new APIConnectionError({ message: `${ref.id}: the provider stream did not end after the input did (connection lost?)`, options: { retryable: false } });
      if (meter.reportedInputUnits === null && unreported > 0 && !this.closed) usage(unreported);
      usageState.final = true;
    } finally {
      unsubscribe();
      (finalAfterEnd as (() => void) | null)?.();
      clearTimeout(endWatch);
      (ended as (() => void) | undefined)?.();
      watch.stop();
      stream.close();
      stopFeed.abort();
      await feed;
    }
  }
}
