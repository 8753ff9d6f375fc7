import { llm } from '@livekit/agents';
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
    super(capabilitiesOf(providerOf(o.model), o.modelOptions ?? {}));
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

function providerOf(model: string): string {
  return typeof model === 'string' ? model.trim().split('/')[0]! : '';
}

/**
 * What AgentSession reads before any plugin is loaded, worked out from the options as the primary
 * model's plugin does. OpenAI: a server VAD unless `turnDetection: null`, transcription unless
 * `inputAudioTranscription: null`, audio unless `modalities` leaves it out. Google (Gemini Live):
 * the server's activity detection unless `realtimeInputConfig.automaticActivityDetection.disabled`,
 * transcription unless `inputAudioTranscription: null`, audio unless `modalities` leaves out
 * 'AUDIO'; no truncation, tools answered by the model itself, instructions and context updatable
 * mid-session but not tools.
 */
function capabilitiesOf(provider: string, o: Record<string, unknown>): llm.RealtimeCapabilities {
  if (provider === 'google') {
    const vad = (o.realtimeInputConfig as { automaticActivityDetection?: { disabled?: boolean } } | undefined)?.automaticActivityDetection;
    const modalities = o.modalities as string[] | undefined;
    return {
      messageTruncation: false,
      turnDetection: !vad?.disabled,
      userTranscription: o.inputAudioTranscription !== null,
      autoToolReplyGeneration: true,
      audioOutput: modalities ? modalities.includes('AUDIO') : true,
      manualFunctionCalls: false,
      midSessionChatCtxUpdate: true,
      midSessionInstructionsUpdate: true,
      midSessionToolsUpdate: false,
      perResponseToolChoice: false,
    };
  }
  const modalities = (o.modalities as string[] | undefined) ?? ['text', 'audio'];
  return {
    messageTruncation: true,
    turnDetection: o.turnDetection !== null,
    userTranscription: o.inputAudioTranscription !== null,
    autoToolReplyGeneration: false,
    audioOutput: modalities.includes('audio'),
    manualFunctionCalls: true,
    midSessionChatCtxUpdate: true,
    midSessionInstructionsUpdate: true,
    midSessionToolsUpdate: true,
    perResponseToolChoice: true,
  };
}
