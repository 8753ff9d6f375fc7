import type { metrics } from '@livekit/agents';
import type { Reservation } from '../budget/reservation.js';
import { log } from '../log.js';
import { Meter, recordAttempt } from '../metering/meter.js';
import type { Nanos } from '../money.js';
import type { ModelRef } from '../providers/types.js';
import type { DropInCore } from './drop-in.js';
import type { llm } from '@livekit/agents';

type Core = DropInCore<llm.RealtimeModel>;

/** Nominal response for a first estimate: 1,000 audio tokens in, 1,000 out (about 100 s in, 50 s out). */
const NOMINAL = { inputUnits: 0, cachedUnits: 0, outputUnits: 0, audioInputUnits: 1000, audioCachedUnits: 0, audioOutputUnits: 1000 };

/** What one response of a realtime session costs: a ledger row from the plugin's usage, a budget reservation settled with it. */
export class RealtimeMeter {
  readonly #open = new Map<string, { meter: Meter; reservation: Reservation | null }>();
  /** the transcription model the session configured (from its session.update), for transcription rows */
  transcriptionModel: string | null = null;

  constructor(
    private readonly core: Core,
    private readonly ref: () => ModelRef,
  ) {}

  /** Cost held for a response at admission: the nominal response (0 for unpriced models allowed by `allow_unpriced`). */
  estimate(ref: ModelRef = this.ref()): Nanos {
    return this.core.gw.prices.price('realtime', ref.provider, ref.model, NOMINAL).costNanos ?? 0;
  }

  /** A response began: its clock starts and its estimate is held against the budget. */
  begin(responseId: string, reservation: Reservation | null): Meter {
    const meter = new Meter(this.core.gw.clock());
    this.#open.set(responseId, { meter, reservation });
    return meter;
  }

  /** The response's admission came back: its reservation is settled with the response (at once if it already ended). */
  hold(responseId: string, reservation: Reservation | null): void {
    const open = this.#open.get(responseId);
    if (open) open.reservation = reservation;
    else reservation?.settle(0);
  }

  /** response.done as the plugin reports it: one ledger row, the reservation settled with its cost. */
  async done(m: metrics.RealtimeModelMetrics): Promise<void> {
    const open = this.#open.get(m.requestId);
    this.#open.delete(m.requestId);
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
    await this.#record(meter, m.cancelled ? 'cancelled' : 'success', open?.reservation ?? null);
  }

  /** The input-audio transcription model's usage (conversation.item.input_audio_transcription.completed). */
  async transcription(usage: { type?: string; input_tokens?: number; output_tokens?: number; input_token_details?: { text_tokens?: number; audio_tokens?: number } }): Promise<void> {
    if (usage.type !== 'tokens' || !this.transcriptionModel) {
      log.once('warn', `realtime-transcription-usage:${usage.type}`, `realtime: input transcription usage of type '${usage.type}' is not metered (only token usage is)`);
      return;
    }
    const meter = new Meter(this.core.gw.clock());
    const details = usage.input_token_details ?? {};
    meter.audioInputUnits = details.audio_tokens ?? usage.input_tokens ?? 0;
    meter.inputUnits = details.text_tokens ?? 0;
    meter.outputUnits = usage.output_tokens ?? 0;
    const base = this.ref();
    const ref = { ...base, id: `${base.provider}/${this.transcriptionModel}`, model: this.transcriptionModel, variant: undefined };
    await this.#record(meter, 'success', null, ref);
  }

  /** A response the budget or guardrails answered instead of the model: a `blocked` row at 0. */
  async blocked(reason: string, findings = 0): Promise<void> {
    const meter = new Meter(this.core.gw.clock());
    meter.guardrailFindings = findings;
    await recordAttempt(this.core.gw, this.#ctx(this.ref()), meter, { status: 'blocked', fallbackFrom: null, error: reason, throttle: null });
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
    this.#open.clear();
    for (const { meter, reservation } of open) {
      reservation?.settle(0);
      await recordAttempt(this.core.gw, this.#ctx(this.ref()), meter, { status: 'error', fallbackFrom: null, error: `${reason}: the provider reported no usage for this response`, throttle: null });
    }
  }

  async #record(meter: Meter, status: 'success' | 'cancelled', reservation: Reservation | null, ref = this.ref()): Promise<void> {
    let cost: Nanos | null = null;
    try {
      cost = (await recordAttempt(this.core.gw, this.#ctx(ref), meter, { status, fallbackFrom: null, error: null, throttle: null })).costNanos;
    } finally {
      reservation?.settle(cost);
    }
  }

  #ctx(ref: ModelRef) {
    return { modality: 'realtime' as const, project: this.core.project.id, sessionId: this.core.sessionId, ref };
  }
}
