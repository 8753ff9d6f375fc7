/**
 * `voicegateway/testing`: protocol-faithful mock provider servers with fault injection, for
 * running real LiveKit plugins (and agents built on them) on 127.0.0.1 without API keys.
 */
export type { Fault, FaultKind, FaultRule } from './faults.js';
export type { MockServer, RecordedRequest } from './server.js';
export { startMockOpenAI, type MockChatReply, type MockChatRequest, type MockOpenAI, type MockOpenAIOptions } from './openai.js';
export { startMockDeepgram, type MockDeepgram, type MockDeepgramOptions } from './deepgram.js';
export { startMockOpenAIRealtime, type MockOpenAIRealtime, type MockOpenAIRealtimeOptions, type RealtimeUsage, type TranscriptionUsage } from './openai-realtime.js';
export { MOCK_TOKENS } from './realtime-connection.js';
export { startMockCartesia, type MockCartesia, type MockCartesiaOptions } from './cartesia.js';
export { startMockAssemblyAI, type MockAssemblyAI, type MockAssemblyAIOptions, type MockAssemblySession } from './assemblyai.js';
export type { MockGeminiLiveOptions, MockGeminiLiveSession } from './google-live.js';
export { GEMINI_LIVE_TOKENS, type GeminiLiveUsage, type MockGeminiConversationOptions } from './google-live-conversation.js';
export { GEMINI_AUDIO_TOKENS_PER_SECOND, GEMINI_TTS_SAMPLE_RATE, googleErrorBody, startMockGoogle, type MockGoogle, type MockGoogleOptions } from './google.js';
export { startMockElevenLabs, type MockElevenLabs, type MockElevenLabsOptions } from './elevenlabs.js';
export type { MockScribeOptions, MockScribeSession } from './elevenlabs-stt.js';
export { framesDuration, pcmRms, pcmToWav, silenceFrame, sineFrame, sineFrames, sinePcm, wavInfo, type ToneOptions, type WavInfo } from './audio.js';
