import type { Nanos } from '../money.js';
import type { Reservation } from './reservation.js';

/** How far ahead streams reserve, in their own units (see docs/budgets.md, "Streams"). */
export const STREAM_CHUNKS = {
  /** seconds of audio */
  stt: 5,
  /** completion tokens past what the request reserved at admission */
  llm: 256,
  /** characters of text */
  tts: 200,
} as const;

/**
 * A streaming request's running claim on its reservation. Before a stream sends more (audio
 * frames, text) or receives more (tokens), it calls `use(cost, chunk)`: when what is held no
 * longer covers what was used plus half a chunk, the reservation grows by a chunk (plus any
 * shortfall), decided by the admission rule. Growing never waits on the call path; the answer
 * arrives in the background. A `block` answer stops further growth, and `use` returns false once
 * the stream has used everything it holds: the stream stops there.
 */
export class UsageGrant {
  #usedNanos = 0;
  #asking = false;
  #refused = false;

  constructor(readonly reservation: Reservation) {}

  /** Cost of everything this request has sent or received so far (every attempt). */
  get usedNanos(): Nanos {
    return this.#usedNanos;
  }

  /** The budget refused more (block) and what was held is used up: stop. */
  get exhausted(): boolean {
    return this.#refused && this.#usedNanos >= this.reservation.heldNanos;
  }

  /** Counts `costNanos` as used; reserves `chunkNanos` more ahead when the hold runs low. */
  use(costNanos: Nanos, chunkNanos: Nanos): boolean {
    this.#usedNanos += costNanos;
    const left = this.reservation.heldNanos - this.#usedNanos;
    if (!this.#asking && !this.#refused && chunkNanos > 0 && left < chunkNanos / 2) {
      this.#asking = true;
      void this.reservation.grow(chunkNanos + Math.max(0, -left)).then((kind) => {
        this.#asking = false;
        if (kind === 'block') this.#refused = true;
      });
    }
    return !this.exhausted;
  }
}
