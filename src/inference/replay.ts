/**
 * The input of a streaming request (text for TTS, audio for STT), kept so a fallback attempt can
 * replay what the failed provider already received and then continue live.
 */
export class ReplayBuffer<T> {
  readonly items: T[] = [];
  ended = false;
  #waiters: (() => void)[] = [];

  push(item: T): void {
    this.items.push(item);
    this.#wake();
  }

  end(): void {
    this.ended = true;
    this.#wake();
  }

  /** Items from the start, then live ones, until `end()` or the signal aborts. */
  async *read(signal: AbortSignal): AsyncGenerator<T> {
    let i = 0;
    while (!signal.aborted) {
      if (i < this.items.length) {
        yield this.items[i++]!;
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
