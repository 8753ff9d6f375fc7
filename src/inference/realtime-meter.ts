import type { metrics } from '@livekit/agents';
import { UsageGrant } from '../budget/grant.js';
import type { Reservation } from '../budget/reservation.js';
import { log } from '../log.js';
import { Meter, recordAttempt } from '../metering/meter.js';
import type { PriceUnits } from '../metering/price-entry.js';
import type { Nanos } from '../money.js';
import { realtimeProfileOf } from '../providers/realtime-profiles.js';
import type { ModelRef } from '../providers/types.js';
import type { DropInCore } from './drop-in.js';
import type { llm } from '@livekit/agents';

type Core = DropInCore<llm.RealtimeModel>;

const ZERO = { inputUnits: 0, cachedUnits: 0, outputUnits: 0, audioInputUnits: 0, audioCachedUnits: 0, audioOutputUnits: 0 };
/** First response's input before any was seen: 1,000 audio tokens (about 100 s of the caller). */
const NOMINAL_INPUT = { ...ZERO, audioInputUnits: 1000 };
/** The provider's audio token rates (to reserve ahead; rows use the reported usage). */
function audioRates(ref: ModelRef): { input: number; output: number } {
  return realtimeProfileOf(ref.spec).audioTokensPerSecond;
}
/** How far ahead a response reserves its spoken output: 5 s of audio per step. */
const OUTPUT_CHUNK_S = 5;

interface OpenResponse {
  meter: Meter;
  reservation: Reservation | null;
  grant: UsageGrant | null;
  /** cost counted before the admission answered (the input estimate, audio played meanwhile) */
  used: Nanos;
  /** its admission is still being decided (a fleet store answers after a round trip) */
  admitting: boolean;
  /** the drop-in cut it short (budget, guardrails): a `cancelled` row even where the provider finished it (Gemini Live has no cancel) */
  stopped: boolean;
}

/**
 * What one response of a realtime session costs: a ledger row from the plugin's usage, and a budget
 * reservation that grows while the answer is spoken and is settled with the row's cost.
 */
export class RealtimeMeter {
  readonly #open = new Map<string, OpenResponse>();
  /** responses that ended before their admission answered: their cost, for the reservation when it arrives */
  readonly #late = new Map<string, Promise<Nanos | null>>();
  readonly #idle: (() => void)[] = [];
  /** input cost of the last response: the next one re-reads at least that conversation */
  #lastInputNanos: Nanos | null = null;
  /** the caller's audio sent since the last response began, in seconds */
  #heardS = 0;
  /** `cheaper` when the session runs on a cheaper model because the project is throttled (the rows' throttle column) */
  throttle: string | null = null;
  /** the transcription model the session configured (from its session.update), for transcription rows */
  transcriptionModel: string | null = null;

  constructor(
    private readonly core: Core,
    private readonly ref: () => ModelRef,
  ) {}

  #cost(units: PriceUnits, ref = this.ref()): Nanos {
    return this.core.gw.prices.price('realtime', ref.provider, ref.model, units).costNanos ?? 0;
  }

  /**
   * A model's rates for reserving ahead, worked out once per model and session: a response begins
   * on the path of its first audio (Gemini sends both in one message), so no pricing runs there.
   */
  #rates = new Map<string, { nominal: Nanos; inPerToken: number; outPerSecond: number; chunk: Nanos }>();

  #ratesOf(ref: ModelRef) {
    let r = this.#rates.get(ref.id);
    if (!r) {
      const audio = audioRates(ref);
      r = {
        nominal: this.#cost(NOMINAL_INPUT, ref),
        inPerToken: this.#cost({ ...ZERO, audioInputUnits: 1_000_000 }, ref) / 1_000_000,
        outPerSecond: this.#cost({ ...ZERO, audioOutputUnits: 1_000_000 * audio.output }, ref) / 1_000_000,
        chunk: this.#cost({ ...ZERO, audioOutputUnits: OUTPUT_CHUNK_S * audio.output }, ref),
      };
      this.#rates.set(ref.id, r);
    }
    return r;
  }

  /** What the next response's input will cost at least: the last one's input plus the caller's audio since. */
  inputEstimate(ref: ModelRef = this.ref()): Nanos {
    return (this.#lastInputNanos ?? this.#ratesOf(ref).nominal) + this.#heard(ref);
  }

  #heard(ref: ModelRef): Nanos {
    if (this.#heardS === 0) return 0;
    return Math.round(Math.ceil(this.#heardS * audioRates(ref).input) * this.#ratesOf(ref).inPerToken);
  }

  /** Nano-USD per second of the model's spoken output. */
  #outputPerSecond(ref: ModelRef = this.ref()): Nanos {
    return this.#ratesOf(ref).outPerSecond;
  }

  /** One step of spoken output (5 s) at the model's audio output rate. */
  outputChunk(ref: ModelRef = this.ref()): Nanos {
    return this.#ratesOf(ref).chunk;
  }

  /** Cost held for a response at admission: its input estimate and one step of output (0 for unpriced models allowed by `allow_unpriced`). */
  estimate(ref: ModelRef = this.ref()): Nanos {
    return this.inputEstimate(ref) + this.outputChunk(ref);
  }

  /** Whether a response is still running (no response.done yet). */
  isOpen(responseId: string): boolean {
    return this.#open.has(responseId);
  }

  /** Resolves when no response is running (at once if none is), or after `timeoutMs`. */
  idle(timeoutMs: number): Promise<void> {
    if (this.#open.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#idle.push(() => (clearTimeout(timer), resolve()));
    });
  }

  #settle(responseId: string): void {
    this.#open.delete(responseId);
    if (this.#open.size === 0) for (const wake of this.#idle.splice(0)) wake();
  }

  /** The caller's audio sent to the model (counted into the next response's reservation). */
  heard(seconds: number): void {
    this.#heardS += seconds;
  }

  /** A response began: its clock starts; the caller's audio so far is now part of its input. `admitting`: `hold()` follows. */
  begin(responseId: string, admitting: boolean): Meter {
    const meter = new Meter(this.core.gw.clock());
    const used = this.inputEstimate();
    this.#heardS = 0;
    this.#open.set(responseId, { meter, reservation: null, grant: null, used, admitting, stopped: false });
    return meter;
  }

  /** The drop-in stopped this response (its audio and transcript ended early). */
  stopped(responseId: string): void {
    const open = this.#open.get(responseId);
    if (open) open.stopped = true;
  }

  /** The response's admission came back: its reservation grows with it and is settled with it (at once if it already ended). */
  hold(responseId: string, reservation: Reservation | null): void {
    const late = this.#late.get(responseId);
    this.#late.delete(responseId);
    if (late) return void late.then((cost) => reservation?.settle(cost));
    const open = this.#open.get(responseId);
    if (!open) return void reservation?.settle(0);
    open.admitting = false;
    open.reservation = reservation;
    open.grant = reservation ? grantOf(reservation, open.used) : null;
  }

  /**
   * `seconds` of the answer reached the caller: counted against what the response holds, which
   * grows a step ahead (the admission rule decides). False once the budget refused to grow and
   * what was held is used up (block): the answer must stop there.
   */
  spoke(responseId: string, seconds: number): boolean {
    const open = this.#open.get(responseId);
    if (!open) return true;
    const cost = seconds * this.#outputPerSecond();
    if (!open.grant) {
      open.used += cost;
      return true;
    }
    return open.grant.use(cost, this.#outputPerSecond() * OUTPUT_CHUNK_S);
  }

  /** response.done as the plugin reports it: one ledger row, the reservation settled with its cost. */
  async done(m: metrics.RealtimeModelMetrics): Promise<void> {
    const id = this.#owner(m.requestId);
    const open = this.#open.get(id);
    this.#settle(id);
    const meter = open?.meter ?? new Meter(m.timestamp);
    const inp = m.inputTokenDetails;
    const cached = inp.cachedTokensDetails ?? { textTokens: inp.cachedTokens, audioTokens: 0 };
    meter.inputUnits = inp.textTokens;
    meter.cachedUnits = cached.textTokens;
    meter.outputUnits = m.outputTokenDetails.textTokens;
    meter.audioInputUnits = inp.audioTokens;
    meter.audioCachedUnits = cached.audioTokens;
    meter.audioOutputUnits = m.outputTokenDetails.audioTokens;
    const unaccounted = m.inputTokens - inp.textTokens - inp.audioTokens;
    if (unaccounted > 0) meter.inputUnits += unaccounted; // image tokens and anything newer: at the text rate rather than dropped
    const unsplit = m.outputTokens - m.outputTokenDetails.textTokens - m.outputTokenDetails.audioTokens;
    if (unsplit > 0) meter.audioOutputUnits += unsplit; // output reported without its modality split: at the audio rate (the higher one)
    this.#lastInputNanos = this.#cost({ ...ZERO, inputUnits: meter.inputUnits, cachedUnits: meter.cachedUnits, audioInputUnits: meter.audioInputUnits, audioCachedUnits: meter.audioCachedUnits });
    const recorded = this.#record(meter, m.cancelled || open?.stopped ? 'cancelled' : 'success', open?.reservation ?? null);
    if (open?.admitting) this.#late.set(id, recorded.catch(() => null));
    await recorded;
  }

  /**
   * The response a usage report belongs to. Gemini ends a turn with `generationComplete` and then
   * `turnComplete` + `usageMetadata`; after an interrupted (stopped) answer the plugin stops
   * discarding at the first and opens an empty generation for the second, which gets the usage.
   * Usage of a response that produced nothing while an earlier one still waits for its own is the
   * earlier one's; the empty one leaves no row.
   */
  #owner(requestId: string): string {
    const open = this.#open.get(requestId);
    if (!open || open.meter.ttfbMs !== null) return requestId;
    const earlier = [...this.#open.keys()].find((k) => k !== requestId);
    if (earlier === undefined) return requestId;
    open.reservation?.settle(0);
    this.#settle(requestId);
    return earlier;
  }

  /**
   * The input-audio transcription model's usage (conversation.item.input_audio_transcription.completed):
   * token-billed models (gpt-4o-transcribe, gpt-4o-mini-transcribe) are a `realtime` row at their
   * token rates; duration-billed ones (whisper-1) an `stt` row of the seconds at their per-minute
   * rate. Either counts against the budget as it is written.
   */
  async transcription(usage: { type?: string; seconds?: number; input_tokens?: number; output_tokens?: number; input_token_details?: { text_tokens?: number; audio_tokens?: number } }): Promise<void> {
    const known = (usage.type === 'tokens' || (usage.type === 'duration' && typeof usage.seconds === 'number')) && this.transcriptionModel;
    if (!known) {
      log.once('warn', `realtime-transcription-usage:${usage.type}`, `realtime: input transcription usage of type '${usage.type}' is not metered (token and duration usage are)`);
      return;
    }
    const meter = new Meter(this.core.gw.clock());
    const base = this.ref();
    const ref = { ...base, id: `${base.provider}/${this.transcriptionModel}`, model: this.transcriptionModel!, variant: undefined };
    const reservation = (await this.core.gw.budget.admit(this.core.project.id, 0)).reservation;
    if (usage.type === 'duration') {
      meter.inputUnits = usage.seconds!;
      meter.batch = true; // a transcription of the committed turn, not a stream
      let cost: Nanos | null = null;
      try {
        const ctx = { ...this.#ctx(ref), modality: 'stt' as const };
        cost = (await recordAttempt(this.core.gw, ctx, meter, { status: 'success', fallbackFrom: null, error: null, throttle: this.throttle })).costNanos;
      } finally {
        reservation.settle(cost);
      }
      return;
    }
    const details = usage.input_token_details ?? {};
    meter.audioInputUnits = details.audio_tokens ?? usage.input_tokens ?? 0;
    meter.inputUnits = details.text_tokens ?? 0;
    meter.outputUnits = usage.output_tokens ?? 0;
    await this.#record(meter, 'success', reservation, ref);
  }


  /** A response the budget or guardrails answered instead of the model: a `blocked` row at 0. */
  async blocked(reason: string, findings = 0): Promise<void> {
    const meter = new Meter(this.core.gw.clock());
    meter.guardrailFindings = findings;
    await recordAttempt(this.core.gw, this.#ctx(this.ref()), meter, { status: 'blocked', fallbackFrom: null, error: reason, throttle: null });
  }

  /** An error the provider reported on a running session (an `error` event, a skipped malformed event): an `error` row of its own. */
  async providerError(message: string): Promise<void> {
    await recordAttempt(this.core.gw, this.#ctx(this.ref()), new Meter(this.core.gw.clock()), { status: 'error', fallbackFrom: null, error: message, throttle: null });
  }

  /** How many responses are running (no response.done yet). */
  get running(): number {
    return this.#open.size;
  }

  /** A connection that failed before the caller heard anything (the next realtime model takes over). */
  async failed(ref: ModelRef, error: string, fallbackFrom: string | null): Promise<void> {
    await recordAttempt(this.core.gw, this.#ctx(ref), new Meter(this.core.gw.clock()), { status: 'error', fallbackFrom, error, throttle: null });
  }

  /**
   * Responses that will never see response.done (connection lost, session closed): an `error` row
   * each, saying the provider reported no usage for them, and their reservations released.
   */
  async abandon(reason: string): Promise<void> {
    const open = [...this.#open.values()];
    for (const id of [...this.#open.keys()]) this.#settle(id);
    for (const { meter, reservation } of open) {
      reservation?.settle(0);
      await recordAttempt(this.core.gw, this.#ctx(this.ref()), meter, { status: 'error', fallbackFrom: null, error: `${reason}: the provider reported no usage for this response`, throttle: null });
    }
  }

  async #record(meter: Meter, status: 'success' | 'cancelled', reservation: Reservation | null, ref = this.ref()): Promise<Nanos | null> {
    let cost: Nanos | null = null;
    try {
      cost = (await recordAttempt(this.core.gw, this.#ctx(ref), meter, { status, fallbackFrom: null, error: null, throttle: this.throttle })).costNanos;
    } finally {
      reservation?.settle(cost);
    }
    return cost;
  }

  #ctx(ref: ModelRef) {
    return { modality: 'realtime' as const, project: this.core.project.id, sessionId: this.core.sessionId, ref };
  }
}

/** A response's claim on its reservation, with what it used before the admission answered. */
function grantOf(reservation: Reservation, used: Nanos): UsageGrant {
  const grant = new UsageGrant(reservation);
  grant.use(used, 0);
  return grant;
}
