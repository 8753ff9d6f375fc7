import { randomUUID } from 'node:crypto';
import type { Gateway } from '../gateway.js';
import type { RequestRecord, RequestStatus } from '../ledger/types.js';
import type { Nanos } from '../money.js';
import type { ModelRef } from '../providers/types.js';
import type { Modality } from '../types.js';
import { redact } from '../secrets.js';

/**
 * Units and timing of one provider attempt, filled in by the drop-in as the stream flows.
 * STT input = audio seconds sent; LLM input/output/cached = tokens; TTS input = characters sent.
 */
export class Meter {
  readonly startedAt = performance.now();

  /** `ts`: wall-clock start (the gateway's clock, injectable in tests) */
  constructor(readonly ts: number = Date.now()) {}

  inputUnits = 0;
  outputUnits = 0;
  cachedUnits = 0;
  /** provider-reported figure (e.g. Deepgram usage seconds); preferred over our own count when present */
  reportedInputUnits: number | null = null;
  /** realtime models: audio tokens, priced at audio rates; the row's units add them to the text tokens above */
  audioInputUnits = 0;
  audioCachedUnits = 0;
  audioOutputUnits = 0;
  firstOutputAt: number | null = null;
  /** STT: the request went the pre-recorded path (`recognize()`), priced at that rate */
  batch = false;
  guardrailFindings = 0;

  markOutput(): void {
    this.firstOutputAt ??= performance.now();
  }

  get ttfbMs(): number | null {
    return this.firstOutputAt === null ? null : round(this.firstOutputAt - this.startedAt);
  }

  latencyMs(): number {
    return round(performance.now() - this.startedAt);
  }

  /**
   * Provider figure when it reported one, reconciled with ours (never more than we sent), unless the
   * provider bills something other than the audio sent (`session`: AssemblyAI's session duration).
   */
  billedInputUnits(session = false): number {
    if (this.reportedInputUnits === null) return this.inputUnits;
    if (session) return this.reportedInputUnits;
    return this.inputUnits > 0 ? Math.min(this.reportedInputUnits, this.inputUnits) : this.reportedInputUnits;
  }
}

export interface AttemptOutcome {
  status: RequestStatus;
  fallbackFrom: string | null;
  error: string | null;
  throttle: string | null;
}

/** Prices an attempt and makes its ledger row durable; returns the cost for budget settlement. */
export async function recordAttempt(
  gw: Gateway,
  ctx: { modality: Modality; project: string; sessionId: string; ref: ModelRef },
  meter: Meter,
  outcome: AttemptOutcome,
): Promise<{ row: RequestRecord; costNanos: Nanos | null }> {
  const { modality, ref } = ctx;
  const billed = meter.billedInputUnits(ref.spec.billsSessionDuration === true);
  const units = { inputUnits: round6(billed), outputUnits: meter.outputUnits, cachedUnits: Math.min(meter.cachedUnits, billed) };
  const audio = { audioInputUnits: meter.audioInputUnits, audioCachedUnits: meter.audioCachedUnits, audioOutputUnits: meter.audioOutputUnits };
  const pricedUnits = { ...units, ...(meter.batch ? { batch: true } : {}), ...(audio.audioInputUnits + audio.audioOutputUnits > 0 ? audio : {}) };
  const priced =
    outcome.status === 'blocked'
      ? { costNanos: 0, source: 'blocked' }
      : ref.spec.kind === 'local'
        ? { costNanos: 0, source: 'local' }
        : gw.prices.price(modality, ref.provider, ref.model, pricedUnits);
  const row: RequestRecord = {
    id: randomUUID(),
    ts: meter.ts,
    project: ctx.project,
    sessionId: ctx.sessionId,
    modality,
    provider: ref.provider,
    model: ref.model,
    inputUnits: units.inputUnits + audio.audioInputUnits,
    outputUnits: units.outputUnits + audio.audioOutputUnits,
    cachedUnits: units.cachedUnits + Math.min(audio.audioCachedUnits, audio.audioInputUnits),
    costNanos: priced.costNanos,
    pricingSource: priced.source,
    ttfbMs: meter.ttfbMs,
    latencyMs: meter.latencyMs(),
    status: outcome.status,
    fallbackFrom: outcome.fallbackFrom,
    error: outcome.error === null ? null : redact(outcome.error),
    throttle: outcome.throttle,
    guardrailFindings: meter.guardrailFindings,
  };
  await gw.ledger.record(row);
  return { row, costNanos: priced.costNanos };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
