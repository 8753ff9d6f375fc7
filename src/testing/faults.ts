import { WebSocket } from 'ws';
/** What a mock provider does wrong on purpose. See README.md for each provider's interpretation. */
export type Fault =
  /** HTTP: that status with a provider-shaped JSON error body. Deepgram WS: upgrade rejected with it. Cartesia WS: an error frame. */
  | { kind: 'status'; status: number; message?: string; /** HTTP: a `Retry-After` header, in seconds */ retryAfterS?: number }
  /**
   * Connections refused: the listener closes (open connections are cut too) and the same port
   * listens again on heal(). With a finite `times` the listener stays up and resets that many new
   * connections instead (a refusal the mock could not otherwise count).
   */
  | { kind: 'refuse' }
  /**
   * Accept the request or connection and never answer, until the client gives up. With
   * `afterChunks` (OpenAI Realtime mock): connect, deliver N audio deltas of the first response,
   * then send nothing more on that connection.
   */
  | { kind: 'stall'; afterChunks?: number }
  /** Deliver N output chunks, then cut the connection abruptly. */
  | { kind: 'drop'; afterChunks: number }
  /** Send a syntactically broken frame (bad JSON) in place of the first output frame. */
  | { kind: 'malformed' };

export interface FaultRule {
  fault: Fault;
  /** Applies to the next N requests / connections / contexts, then clears. Default: until heal(). */
  times?: number;
}

export type FaultKind = Fault['kind'];

export function isFaultRule(value: Fault | FaultRule): value is FaultRule {
  return 'fault' in value;
}

/** The active fault of one mock server and how many more times it applies. */
export class FaultState {
  #fault: Fault | undefined;
  #remaining = Infinity;

  set(value: Fault | FaultRule): Fault {
    const rule = isFaultRule(value) ? value : { fault: value };
    const times = rule.times ?? Infinity;
    if (!(times > 0)) throw new RangeError(`fault times must be a positive number, got ${times}`);
    if (rule.fault.kind === 'drop' && !(Number.isInteger(rule.fault.afterChunks) && rule.fault.afterChunks >= 0)) {
      throw new RangeError(`drop afterChunks must be an integer >= 0, got ${rule.fault.afterChunks}`);
    }
    this.#fault = rule.fault;
    this.#remaining = times;
    return rule.fault;
  }

  clear(): void {
    this.#fault = undefined;
    this.#remaining = Infinity;
  }

  get active(): Fault | undefined {
    return this.#fault;
  }

  /** How many more times the active fault applies (Infinity until cleared). */
  get remaining(): number {
    return this.#remaining;
  }

  /**
   * Consume one application of the active fault when `accept` agrees it applies here. By default
   * `refuse` is never taken: it acts on connections, before any request exists.
   */
  take(accept: (fault: Fault) => boolean = (fault) => fault.kind !== 'refuse'): Fault | undefined {
    const fault = this.#fault;
    if (!fault || !accept(fault)) return undefined;
    this.#remaining -= 1;
    if (this.#remaining <= 0) this.clear();
    return fault;
  }
}

/** Counts output chunks of one response and says when a `drop` fault must cut. */
export class DropCounter {
  #sent = 0;
  constructor(readonly limit: number | undefined) {}

  static for(fault: Fault | undefined): DropCounter {
    return new DropCounter(fault?.kind === 'drop' ? fault.afterChunks : undefined);
  }

  /** True when no further chunk may be sent. */
  get exhausted(): boolean {
    return this.limit !== undefined && this.#sent >= this.limit;
  }

  /** Record one sent chunk; true when that chunk was the last one before the cut. */
  count(): boolean {
    this.#sent += 1;
    return this.limit !== undefined && this.#sent === this.limit;
  }
}

/**
 * A mock session's JSON messages on one WebSocket, with its fault applied to the `counted` ones (the
 * transcripts): `malformed` breaks the first, `drop` cuts the socket right after the one it counts to.
 */
export class FaultySocket {
  readonly #drop: DropCounter;
  #malformed: boolean;
  #cut = false;

  constructor(
    private readonly ws: WebSocket,
    fault: Fault | undefined,
  ) {
    this.#drop = DropCounter.for(fault);
    this.#malformed = fault?.kind === 'malformed';
  }

  /** The socket was cut (a drop fault): nothing more goes out. */
  get isCut(): boolean {
    return this.#cut;
  }

  /** Cuts now when the drop fault allows no counted message at all (`afterChunks: 0`). */
  cutIfExhausted(): void {
    if (this.#drop.exhausted) this.cut();
  }

  send(message: object, counted: boolean): void {
    if (this.#cut || this.ws.readyState !== WebSocket.OPEN) return;
    const text = counted && this.#malformed ? brokenJson(message) : JSON.stringify(message);
    if (counted) this.#malformed = false;
    if (counted && this.#drop.count()) {
      this.ws.send(text, () => setImmediate(() => this.cut()));
      this.#cut = true;
      return;
    }
    this.ws.send(text);
  }

  cut(): void {
    this.#cut = true;
    this.ws.terminate();
  }
}

/** A JSON text cut in the middle: what a `malformed` fault sends. */
export function brokenJson(value: unknown): string {
  const text = JSON.stringify(value);
  return text.slice(0, Math.max(2, Math.floor(text.length / 2)));
}

export const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function defaultFaultMessage(status: number): string {
  return `mock provider fault: ${status} ${STATUS_TEXT[status] ?? 'Error'}`;
}
