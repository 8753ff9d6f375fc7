/** Bytes per chunk: ~180 request rows of ~350 bytes each. */
const CHUNK_BYTES = 64 * 1024;

/** Items encoded one after the other (a 4-byte length, then the UTF-8 bytes) in one off-heap buffer. */
interface Chunk {
  buf: Buffer;
  /** where the next item is appended */
  end: number;
  /** where the first item not yet taken out starts */
  start: number;
  count: number;
}

type Segment<T> = { chunk: Chunk } | { item: T };

/**
 * A FIFO of items waiting for a store that refuses writes, held compact: an item that can be
 * encoded (a request row) is appended as bytes to a 64 KB buffer shared with the items around it,
 * so tens of thousands of waiting rows are a few hundred buffers (their bytes outside the
 * JavaScript heap) rather than tens of thousands of objects that every GC pause would mark or copy.
 * An item that cannot be encoded (a statement to run) stays an object, in its place in the order.
 */
export class HeldLog<T> {
  #segments: Segment<T>[] = [];
  /** index of the first segment still holding items (taken-out segments are dropped in bulk) */
  #head = 0;
  #size = 0;

  constructor(
    /** the item as a string, or null to keep it as an object */
    private readonly encode: (item: T) => string | null,
    /** the item again from its bytes (a view into the chunk: valid until the item is taken out) */
    private readonly decode: (bytes: Buffer) => T,
  ) {}

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    this.#size += 1;
    let text: string | null = null;
    try {
      text = this.encode(item);
    } catch {
      // not encodable (a value JSON cannot hold): it waits as it is, and its write reports the problem
    }
    if (text === null) return void this.#segments.push({ item });
    const len = Buffer.byteLength(text);
    const last = this.#segments.at(-1);
    let chunk = last && 'chunk' in last ? last.chunk : null;
    if (!chunk || chunk.end + 4 + len > chunk.buf.length) {
      // allocUnsafeSlow: a buffer of its own, not a slice of Node's shared pool
      chunk = { buf: Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, 4 + len)), end: 0, start: 0, count: 0 };
      this.#segments.push({ chunk });
    }
    chunk.buf.writeUInt32LE(len, chunk.end);
    chunk.buf.write(text, chunk.end + 4, len, 'utf8');
    chunk.end += 4 + len;
    chunk.count += 1;
  }

  /** The first `n` items, oldest first, without taking them out. */
  peek(n: number): T[] {
    const out: T[] = [];
    for (let s = this.#head; s < this.#segments.length && out.length < n; s++) {
      const seg = this.#segments[s]!;
      if ('item' in seg) {
        out.push(seg.item);
        continue;
      }
      const c = seg.chunk;
      for (let at = c.start, k = 0; k < c.count && out.length < n; k++) {
        const len = c.buf.readUInt32LE(at);
        out.push(this.decode(c.buf.subarray(at + 4, at + 4 + len)));
        at += 4 + len;
      }
    }
    return out;
  }

  /** Takes the first `n` items out. */
  shift(n: number): void {
    n = Math.min(n, this.#size);
    this.#size -= n;
    while (n > 0) {
      const seg = this.#segments[this.#head]!;
      if ('item' in seg || seg.chunk.count <= n) {
        n -= 'item' in seg ? 1 : seg.chunk.count;
        this.#segments[this.#head++] = { item: undefined as T }; // releases the buffer now
        continue;
      }
      const c = seg.chunk;
      for (; n > 0; n--, c.count--) c.start += 4 + c.buf.readUInt32LE(c.start);
    }
    // compact the array now and then, not on every shift (a long backlog shifts a batch per turn)
    if (this.#head > 64 && this.#head * 2 > this.#segments.length) {
      this.#segments = this.#segments.slice(this.#head);
      this.#head = 0;
    }
    if (this.#size === 0) {
      this.#segments = [];
      this.#head = 0;
    }
  }

  /** Takes every item out; returns how many there were. */
  clear(): number {
    const n = this.#size;
    this.#segments = [];
    this.#head = 0;
    this.#size = 0;
    return n;
  }
}
