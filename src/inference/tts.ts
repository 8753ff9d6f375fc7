import { type APIConnectOptions, tts } from '@livekit/agents';
import { STREAM_CHUNKS } from '../budget/grant.js';
import type { ModelRef } from '../providers/types.js';
import { DropInCore, type DropInOptions, EarlyStart, HeadStart, innerConn } from './drop-in.js';
import { ReplayBuffer } from './replay.js';
import { type AttemptControl, unitNanos } from './request.js';

export interface TTSOptions extends DropInOptions {
  /** voice id (wins over the `:voice` suffix of the model string) */
  voice?: string;
}

const FLUSH = Symbol('flush');

/**
 * A LiveKit `tts.TTS` over the real provider plugins. Streams replay the text already sent to a
 * provider that failed before its first audio frame to the next entry of the chain.
 */
export class TTS extends tts.TTS {
  readonly label = 'voicegateway.TTS';
  readonly core: DropInCore<tts.TTS>;

  constructor(model: string | TTSOptions, opts: Omit<TTSOptions, 'model'> = {}) {
    const o = typeof model === 'string' ? { ...opts, model } : model;
    const core: DropInCore<tts.TTS> = new DropInCore<tts.TTS>('tts', o, (ref, ep): Promise<tts.TTS> =>
      ref.spec.tts!({ model: ref.model, variant: ref === core.chain[0] ? (o.voice ?? ref.variant) : ref.variant, ...ep }),
    );
    super(core.chain[0]!.spec.ttsSampleRate ?? 24000, 1, { streaming: true });
    this.core = core;
  }

  static fromModelString(model: string): TTS {
    return new TTS(model);
  }

  get model(): string {
    return this.core.active.model;
  }

  get provider(): string {
    return this.core.active.provider;
  }

  synthesize(text: string, connOptions?: APIConnectOptions, abortSignal?: AbortSignal): tts.ChunkedStream {
    return new GatewayChunkedStream(this, text, connOptions, abortSignal);
  }

  stream(options?: { connOptions?: APIConnectOptions }): tts.SynthesizeStream {
    // opened before ours: constructing a LiveKit stream takes ~0.1 ms, and the provider's timer counts
    const head = HeadStart.open(this.core, (inner) => inner.stream({ connOptions: innerConn(options?.connOptions) }));
    return new GatewaySynthesizeStream(this, options?.connOptions, head);
  }

  async close(): Promise<void> {
    await this.core.closeInners();
  }
}

/** What `chars` characters cost on `ref` (0 for local models and unpriced ones allowed by `allow_unpriced`). */
function textCost(core: DropInCore<tts.TTS>, ref: ModelRef, chars: number): number {
  return unitNanos(core.gw, 'tts', ref) * chars;
}

class GatewayChunkedStream extends tts.ChunkedStream {
  readonly label = 'voicegateway.ChunkedStream';

  constructor(
    private readonly owner: TTS,
    text: string,
    private readonly conn?: APIConnectOptions,
    abortSignal?: AbortSignal,
  ) {
    super(text, owner, conn, abortSignal);
  }

  protected async run(): Promise<void> {
    try {
      await this.#run();
    } catch (error) {
      // LiveKit 1.9's ChunkedStream rethrows run() failures into a promise nobody catches (an
      // unhandled rejection that kills plain scripts): report the error the way it would, then end.
      this.owner.emit('error', { type: 'tts_error', timestamp: Date.now(), label: this.owner.label, error: error as Error, recoverable: false });
    }
  }

  async #run(): Promise<void> {
    const core = this.owner.core;
    await core.run(this.abortSignal, { connOptions: this.conn, reserve: (ref) => textCost(core, ref, this.inputText.length) }, async (ref, ctl) => {
      const inner = await core.inner(ref);
      const watch = core.watch(inner);
      ctl.meter.inputUnits = this.inputText.length;
      const stream = inner.synthesize(this.inputText, innerConn(this.conn), ctl.signal);
      try {
        for await (const audio of stream) {
          if (ctl.signal.aborted) break;
          ctl.outputStarted();
          this.queue.put(audio);
        }
        if (watch.error) throw watch.error;
        if (!ctl.started && !ctl.signal.aborted) throw new Error(`${ref.id} returned no audio`);
      } finally {
        watch.stop();
        stream.close();
      }
    });
  }
}

class GatewaySynthesizeStream extends tts.SynthesizeStream {
  readonly label = 'voicegateway.SynthesizeStream';
  readonly #start: EarlyStart;

  constructor(
    private readonly owner: TTS,
    private readonly conn: APIConnectOptions | undefined,
    private readonly head: HeadStart<tts.SynthesizeStream>,
  ) {
    super(owner, conn);
    this.#start = new EarlyStart(() => this.#run());
  }

  protected run(): Promise<void> {
    return this.#start.run();
  }

  async #run(): Promise<void> {
    const core = this.owner.core;
    const text = new ReplayBuffer<string | typeof FLUSH>();
    let chars = 0;
    const pump = (async () => {
      for await (const t of this.input) {
        if (typeof t === 'string') {
          if (chars === 0) this.markStarted();
          chars += t.length;
          text.push(t);
        } else text.push(FLUSH);
      }
      text.end();
    })();
    try {
      await core.run(this.abortSignal, { connOptions: this.conn, deferDeadline: true, reserve: (ref) => textCost(core, ref, Math.max(chars, STREAM_CHUNKS.tts)) }, (ref, ctl) => this.#attempt(ref, ctl, text));
    } finally {
      this.head.close(); // blocked, or the head never ran
    }
    await pump;
    this.queue.put(tts.SynthesizeStream.END_OF_STREAM);
  }

  async #attempt(ref: ModelRef, ctl: AttemptControl, text: ReplayBuffer<string | typeof FLUSH>): Promise<void> {
    const core = this.owner.core;
    const inner = await core.inner(ref);
    const watch = core.watch(inner);
    const stream = this.head.take(ref) ?? inner.stream({ connOptions: innerConn(this.conn) });
    const unsubscribe = ctl.onAbort(() => stream.close());
    const perChar = unitNanos(core.gw, 'tts', ref);
    const feed = (async () => {
      for await (const t of text.read(ctl.signal)) {
        if (t === FLUSH) {
          ctl.armDeadline();
          stream.flush();
        } else {
          // reserved ahead in chunks of text; a turn that is being spoken finishes whatever the budget says
          ctl.usage.use(t.length * perChar, STREAM_CHUNKS.tts * perChar);
          ctl.meter.inputUnits += t.length;
          stream.pushText(t);
        }
      }
      ctl.armDeadline();
      if (!ctl.signal.aborted) stream.endInput();
    })().catch(() => {}); // the inner stream closed under us: the read loop reports why
    try {
      for await (const audio of stream) {
        if (ctl.signal.aborted) break;
        if (audio === tts.SynthesizeStream.END_OF_STREAM) break;
        ctl.outputStarted();
        this.queue.put(audio);
      }
      if (watch.error) throw watch.error;
      await feed;
      // some providers end a failed generation cleanly with no audio (Cartesia 4xx frames)
      if (!ctl.started && ctl.meter.inputUnits > 0 && !ctl.signal.aborted) throw new Error(`${ref.id} returned no audio for ${ctl.meter.inputUnits} characters`);
    } finally {
      unsubscribe();
      watch.stop();
      stream.close();
    }
  }
}
