export { LLM_PRICES } from './llm.js';
export { LOCAL_PROVIDERS, LOCAL_SOURCE } from './local.js';
export { type PricesConfig, pricesSchema } from './schema.js';
export { STT_PRICES } from './stt.js';
export { TTS_PRICES } from './tts.js';
export type { LlmPriceData, SttPriceData, TtsPriceData } from './types.js';
