/**
 * AssemblyAI Universal-Streaming v3 (`wss://streaming.assemblyai.com/v3/ws`), as documented at
 * assemblyai.com/docs/speech-to-text/universal-streaming: the client sends binary PCM16 audio and
 * JSON `ForceEndpoint` / `Terminate`; the server answers Begin, Turn (partial, then end_of_turn)
 * and Termination with the durations it bills. Shared by the plugin and its mock.
 */
export interface BeginMessage {
  type: 'Begin';
  id: string;
  expires_at: number;
}

export interface TurnWord {
  text: string;
  /** milliseconds from the session start */
  start: number;
  end: number;
  confidence: number;
  word_is_final: boolean;
}

export interface TurnMessage {
  type: 'Turn';
  turn_order: number;
  turn_is_formatted: boolean;
  end_of_turn: boolean;
  transcript: string;
  end_of_turn_confidence: number;
  words: TurnWord[];
  language_code?: string;
}

export interface TerminationMessage {
  type: 'Termination';
  audio_duration_seconds: number;
  session_duration_seconds: number;
}

export type ServerMessage = BeginMessage | TurnMessage | TerminationMessage;

export interface StreamingParams {
  baseURL: string;
  model: string;
  sampleRate: number;
  formatTurns: boolean;
  endOfTurnConfidenceThreshold?: number;
  minEndOfTurnSilenceWhenConfidentMs?: number;
  maxTurnSilenceMs?: number;
}

export function streamingUrl(p: StreamingParams): string {
  const q = new URLSearchParams({ sample_rate: String(p.sampleRate), encoding: 'pcm_s16le', format_turns: String(p.formatTurns), speech_model: p.model });
  if (p.endOfTurnConfidenceThreshold !== undefined) q.set('end_of_turn_confidence_threshold', String(p.endOfTurnConfidenceThreshold));
  if (p.minEndOfTurnSilenceWhenConfidentMs !== undefined) q.set('min_end_of_turn_silence_when_confident', String(p.minEndOfTurnSilenceWhenConfidentMs));
  if (p.maxTurnSilenceMs !== undefined) q.set('max_turn_silence', String(p.maxTurnSilenceMs));
  return `${p.baseURL.replace(/^http/, 'ws').replace(/\/+$/, '')}/v3/ws?${q}`;
}
