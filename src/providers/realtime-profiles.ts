import type { llm } from '@livekit/agents';

/** What the realtime drop-in needs to know of a provider's speech-to-speech API, outside its plugin. */
export interface RealtimeProfile {
  /** the API as errors name it */
  apiName: string;
  /** audio tokens per second of the caller's and of the model's audio: to reserve ahead (rows use the reported usage) */
  audioTokensPerSecond: { input: number; output: number };
  /** what AgentSession reads before any plugin is loaded, worked out from the model options as the plugin does */
  capabilities(options: Record<string, unknown>): llm.RealtimeCapabilities;
}

/**
 * OpenAI Realtime: the caller's audio is 1 token per 100 ms, the model's 1 per 50 ms (platform docs,
 * "Managing costs"). A server VAD unless `turnDetection: null`, transcription unless
 * `inputAudioTranscription: null`, audio unless `modalities` leaves it out.
 */
export const openAIRealtime: RealtimeProfile = {
  apiName: 'OpenAI Realtime',
  audioTokensPerSecond: { input: 10, output: 20 },
  capabilities(o) {
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
  },
};

/**
 * Gemini Live: 25 tokens per second of audio either way (Gemini API docs, "Token counting"). The
 * server's activity detection unless `realtimeInputConfig.automaticActivityDetection.disabled`,
 * transcription unless `inputAudioTranscription: null`, audio unless `modalities` leaves out 'AUDIO';
 * no truncation, tools answered by the model itself, instructions and context updatable mid-session
 * but not tools.
 */
export const geminiLive: RealtimeProfile = {
  apiName: 'Gemini Live',
  audioTokensPerSecond: { input: 25, output: 25 },
  capabilities(o) {
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
  },
};

/** A provider's realtime profile; OpenAI's for the OpenAI-compatible providers that declare none. */
export function realtimeProfileOf(spec: { realtimeProfile?: RealtimeProfile } | undefined): RealtimeProfile {
  return spec?.realtimeProfile ?? openAIRealtime;
}
