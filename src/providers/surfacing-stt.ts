import { stt } from '@livekit/agents';

/**
 * `stt.StreamAdapter` logs and swallows a failed `recognize()`; this wrapper also emits the
 * failure as an `'error'` event (which the adapter forwards) so the drop-in can fall back or surface it.
 */
export class SurfacingSTT extends stt.STT {
  readonly label: string;

  constructor(private readonly inner: stt.STT) {
    super(inner.capabilities);
    this.label = inner.label;
  }

  get model(): string {
    return this.inner.model;
  }

  get provider(): string {
    return this.inner.provider;
  }

  protected async _recognize(frame: Parameters<stt.STT['recognize']>[0], signal?: AbortSignal): Promise<stt.SpeechEvent> {
    try {
      return await this.inner.recognize(frame, signal);
    } catch (error) {
      this.emit('error', { type: 'stt_error', timestamp: Date.now(), label: this.label, error: error as Error, recoverable: false });
      throw error;
    }
  }

  stream(): stt.SpeechStream {
    throw new Error(`${this.label} transcribes whole utterances; use it through stt.StreamAdapter`);
  }
}
