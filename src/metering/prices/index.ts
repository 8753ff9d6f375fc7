export { GENAI_PRICES_VERSION, GENAI_SOURCE } from './genai.js';
export { LOCAL_PROVIDERS, LOCAL_SOURCE } from './local.js';
export { type PricesConfig, pricesSchema } from './schema.js';
export { STT_PRICES } from './stt.js';
export { TTS_PRICES } from './tts.js';
export type { SttPriceData, TtsPriceData } from './types.js';
