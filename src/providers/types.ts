import type { llm, stt, tts } from '@livekit/agents';
import type { Modality } from '../types.js';
import type { RealtimeProfile } from './realtime-profiles.js';

/** Response headers naming why a provider refused a WebSocket upgrade: its message (JSON error body or text) and request id. */
export interface UpgradeErrorHeaders {
  message: string;
  requestId?: string;
}

/** Everything a provider needs to build one LiveKit plugin instance. */
export interface BuildOptions {
  /** model without provider prefix or variant, e.g. `nova-3` */
  model: string;
  /** STT: language, TTS and realtime: voice (the `:variant` of the model string or the explicit option) */
  variant?: string;
  apiKey?: string;
  baseURL?: string;
  /** provider-specific plugin options (`modelOptions` and `providers.<name>` extras) */
  options: Record<string, unknown>;
  /** called with the delay a failed HTTP response asked for (`Retry-After`), where the provider can see it */
  onRetryAfter?(ms: number): void;
}

export interface ProviderSpec {
  name: string;
  kind: 'cloud' | 'local';
  modalities: readonly Modality[];
  /** conventional env var for the key, read at request time (never at import time) */
  envKey?: string;
  defaultBaseURL?: string;
  /** npm package that serves this provider, named in the "install …" error */
  plugin: string;
  /** STT: whether the plugin streams natively (else it is wrapped in stt.StreamAdapter + VAD) */
  streamingSTT?: boolean;
  /** STT: the provider bills the session's length (its usage report), not the audio sent (AssemblyAI) */
  billsSessionDuration?: boolean;
  /**
   * STT: the plugin's stream does not end after `endInput()` (its socket stays open until the
   * provider closes it, which ElevenLabs' realtime API never does): once the final transcript of
   * the last flush is in, the drop-in closes the stream instead of waiting for its end.
   */
  sttStreamOutlivesInput?: boolean;
  /**
   * STT: response headers in which the provider explains a refused WebSocket upgrade, whose body the
   * plugin drops (Deepgram: `dg-error`, `dg-request-id`); the drop-in puts them in the error and the row
   */
  upgradeErrorHeaders?: UpgradeErrorHeaders;
  /** TTS sample rate the plugin produces (the drop-in must declare it before the plugin loads) */
  ttsSampleRate?: number;
  stt?(o: BuildOptions): Promise<stt.STT>;
  llm?(o: BuildOptions): Promise<llm.LLM>;
  tts?(o: BuildOptions): Promise<tts.TTS>;
  /** speech-to-speech model (variant = voice) */
  realtime?(o: BuildOptions): Promise<llm.RealtimeModel>;
  /** with `realtime`: its API's name, audio token rates and capabilities */
  realtimeProfile?: RealtimeProfile;
}

/** A parsed chain entry. `id` is what the user wrote; `provider/model` identifies price and metrics. */
export interface ModelRef {
  id: string;
  provider: string;
  model: string;
  variant?: string;
  spec: ProviderSpec;
  /** extra plugin options from an object-form fallback entry */
  options: Record<string, unknown>;
}
