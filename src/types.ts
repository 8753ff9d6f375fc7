export type Modality = 'stt' | 'llm' | 'tts';
export const MODALITIES: readonly Modality[] = ['stt', 'llm', 'tts'];

export type BudgetAction = 'warn' | 'throttle' | 'block';
export type BudgetLevel = 'ok' | 'warning' | 'exceeded';
