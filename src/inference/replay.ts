/**
 * The input of a streaming request (text for TTS, audio for STT), kept so a fallback attempt can
 * replay what the failed provider already received and then continue live.
 */
export class ReplayBuffer<T> {
  /** items kept for replay (after `release()`, only those the reader has not reached yet) */
  readonly items: T[] = [];
  ended = false;
  #waiters: (() => void)[] = [];
  /** items released from the front of `items` */
  #released = 0;
  #keep = true;
  /** where the reader is (absolute): items it has not reached are never dropped */
  #readerAt = 0;

  /**
   * `maxKept`: before `release()`, keep at most this many items the reader has passed (the oldest
   * go first). A caller who stays silent produces no transcript, so without a cap an STT stream
   * would keep all its audio until the call ends; a fallback then replays the most recent items.
   */
  constructor(private readonly maxKept = Number.POSITIVE_INFINITY) {}

  /**
   * Output has begun: a failure from now on is surfaced, never replayed to another entry, so what
   * the reader has passed no longer needs keeping (an STT stream lasts the whole call: kept audio
   * would grow by ~100 KB a second at 48 kHz).
   */
  release(): void {
    this.#keep = false;
  }

  push(item: T): void {
    this.items.push(item);
    const excess = Math.min(this.items.length - this.maxKept, this.#readerAt - this.#released);
    for (let k = 0; this.#keep && k < excess; k++) {
      this.items.shift(); // V8 trims the front in place: no copy per frame
      this.#released++;
    }
    this.#wake();
  }

  end(): void {
    this.ended = true;
    this.#wake();
  }

  /** Items from the start, then live ones, until `end()` or the signal aborts. */
  async *read(signal: AbortSignal): AsyncGenerator<T> {
    let i = this.#released; // absolute position in everything pushed
    this.#readerAt = i;
    while (!signal.aborted) {
      if (i < this.#released + this.items.length) {
        const item = this.items[i - this.#released]!;
        i++;
        this.#readerAt = i;
        if (!this.#keep) {
          this.items.splice(0, i - this.#released);
          this.#released = i;
        }
        yield item;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.#waiters.push(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const fn of w) fn();
  }
}
