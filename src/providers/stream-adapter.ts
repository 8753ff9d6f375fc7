import { type APIConnectOptions, stt, type VAD } from '@livekit/agents';
import { SurfacingSTT } from './surfacing-stt.js';

/**
 * LiveKit's `stt.StreamAdapter` (VAD-cut utterances sent to a whole-utterance STT), with two fixes
 * for @livekit/agents 1.9: its stream never ends after `endInput()` (the wrapper skips the step
 * that closes its output), and a failed `recognize()` is only logged (SurfacingSTT reports it).
 */
export class UtteranceStreamAdapter extends stt.StreamAdapter {
  readonly #inner: stt.STT;
  readonly #vad: VAD;

  constructor(inner: stt.STT, vad: VAD) {
    const surfacing = new SurfacingSTT(inner);
    super(surfacing, vad);
    this.#inner = surfacing;
    this.#vad = vad;
  }

  override stream(options?: { connOptions?: APIConnectOptions }): stt.StreamAdapterWrapper {
    return new EndingStreamAdapterWrapper(this.#inner, this.#vad, options?.connOptions);
  }
}

class EndingStreamAdapterWrapper extends stt.StreamAdapterWrapper {
  protected override async run(): Promise<void> {
    try {
      await super.run();
    } finally {
      if (!this.output.closed) this.output.close();
    }
  }
}
