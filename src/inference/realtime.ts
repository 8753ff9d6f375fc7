import { llm } from '@livekit/agents';
import { BUILTIN_PROVIDERS } from '../providers/catalog.js';
import { type RealtimeProfile, realtimeProfileOf } from '../providers/realtime-profiles.js';
import type { ModelRef } from '../providers/types.js';
import { DropInCore, type DropInOptions } from './drop-in.js';
import { GatewayRealtimeSession } from './realtime-session.js';

/** Options of `inference.RealtimeModel`; `modelOptions` go to the plugin (turnDetection, inputAudioTranscription, …). */
export type RealtimeModelOptions = DropInOptions & {
  /** a response with no event from the provider for this long is a stall: reported, and the connection restarted (default 15000) */
  stallTimeoutMs?: number;
};

/**
 * A LiveKit `llm.RealtimeModel` (speech-to-speech) that routes `provider/model[:voice]` to the real
 * plugin (`openai/gpt-realtime:marin` → `openai.realtime.RealtimeModel`), with a ledger row per
 * response (modality `realtime`), budgets at session open and per response, guardrails on the
 * caller's and the model's transcripts, and fallback to the next realtime model when connecting fails.
 * Use it where the raw model goes: `new voice.AgentSession({ llm: new inference.RealtimeModel('openai/gpt-realtime') })`.
 */
export class RealtimeModel extends llm.RealtimeModel {
  readonly core: DropInCore<llm.RealtimeModel>;
  readonly stallTimeoutMs: number;

  constructor(model: string | RealtimeModelOptions, opts: Omit<RealtimeModelOptions, 'model'> = {}) {
    const o = typeof model === 'string' ? { ...opts, model } : model;
    super(profileOf(o.model).capabilities(o.modelOptions ?? {}));
    this.core = new DropInCore<llm.RealtimeModel>('realtime', o, (ref, ep) => buildRealtime(ref, ep));
    this.stallTimeoutMs = o.stallTimeoutMs ?? 15_000;
  }

  get model(): string {
    return this.core.active.model;
  }

  get provider(): string {
    return this.core.active.provider;
  }

  label(): string {
    return 'voicegateway.RealtimeModel';
  }

  session(): llm.RealtimeSession {
    return new GatewayRealtimeSession(this);
  }

  async close(): Promise<void> {
    await this.core.closeInners();
  }
}

function buildRealtime(ref: ModelRef, ep: { apiKey?: string; baseURL?: string; options: Record<string, unknown> }): Promise<llm.RealtimeModel> {
  return ref.spec.realtime!({ model: ref.model, variant: ref.variant, ...ep });
}

/** The realtime profile of the model string's provider (one not built in is served as OpenAI-compatible). */
function profileOf(model: string): RealtimeProfile {
  return realtimeProfileOf(BUILTIN_PROVIDERS[typeof model === 'string' ? model.trim().split('/')[0]! : '']);
}
