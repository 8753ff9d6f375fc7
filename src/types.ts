/** `realtime`: speech-to-speech models (OpenAI Realtime), metered per response in audio and text tokens */
export type Modality = 'stt' | 'llm' | 'tts' | 'realtime';
export const MODALITIES: readonly Modality[] = ['stt', 'llm', 'tts', 'realtime'];

export type BudgetAction = 'warn' | 'throttle' | 'block';
export type BudgetLevel = 'ok' | 'warning' | 'exceeded';
