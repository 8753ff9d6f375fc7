import type { Gateway } from '../../src/gateway.js';
import type { CallComponents } from './call.js';
import { type MockUrls, RAW_KEYS } from './setup.js';

export type Mode = 'dropin' | 'raw';

/**
 * A fresh STT + LLM + TTS for one call, as an agent worker builds them per session: the drop-ins
 * (project `bench`, everything on) or the raw LiveKit plugins with the same models and endpoints.
 * Imports are lazy so a raw-mode process never loads voicegateway (memory comparisons).
 */
export async function callComponents(mode: Mode, urls: MockUrls, gw?: Gateway): Promise<CallComponents> {
  if (mode === 'dropin') {
    const { inference } = await import('../../src/index.js');
    const o = { gateway: gw, project: 'bench' };
    return inference.withProject('bench', () => {
      inference.startSession(); // one session id for the three, as an AgentSession would share
      return { stt: new inference.STT('deepgram/nova-3:en-US', o), llm: new inference.LLM('openai/gpt-4.1-mini', o), tts: new inference.TTS('cartesia/sonic-3', o) };
    });
  }
  const [deepgram, openai, cartesia] = await Promise.all([
    import('@livekit/agents-plugin-deepgram'),
    import('@livekit/agents-plugin-openai'),
    import('@livekit/agents-plugin-cartesia'),
  ]);
  return {
    stt: new deepgram.STT({ model: 'nova-3', language: 'en-US', apiKey: RAW_KEYS.deepgram, baseUrl: urls.deepgram }),
    llm: new openai.LLM({ model: 'gpt-4.1-mini', apiKey: RAW_KEYS.openai, baseURL: urls.openai }),
    tts: new cartesia.TTS({ model: 'sonic-3', sampleRate: 24000, apiKey: RAW_KEYS.cartesia, baseUrl: urls.cartesia }),
  };
}

/** Closes a call's components (pooled sockets, inner plugins). */
export async function closeComponents(c: CallComponents): Promise<void> {
  await Promise.allSettled([c.stt.close(), c.llm.aclose(), c.tts.close()]);
}
