import { startMockCartesia, startMockDeepgram, startMockOpenAI } from '../../src/testing/index.js';
import { type MockUrls, REPLY, TRANSCRIPT } from './setup.js';

/**
 * The three mock providers with no artificial delays: whatever time is measured is client time
 * plus loopback. `segmentSeconds`: how often the Deepgram mock finalizes continuous speech.
 */
export async function startBenchMocks(o: { segmentSeconds?: number } = {}) {
  const [openai, deepgram, cartesia] = await Promise.all([
    startMockOpenAI({ reply: REPLY, chunkDelayMs: 0, usage: { prompt: 600, completion: 20, cached: 512 } }),
    startMockDeepgram({ transcript: TRANSCRIPT, segmentSeconds: o.segmentSeconds }),
    startMockCartesia({ chunkDelayMs: 0 }),
  ]);
  const all = [openai, deepgram, cartesia];
  const urls: MockUrls = { openai: openai.baseURL, deepgram: deepgram.baseUrl, cartesia: cartesia.baseUrl };
  return {
    urls,
    requests: () => all.reduce((n, m) => n + m.requests.length, 0),
    /** recorded requests grow without bound in long runs */
    reset: () => all.forEach((m) => m.reset()),
    close: async () => void (await Promise.all(all.map((m) => m.close()))),
  };
}

export type BenchMocks = Awaited<ReturnType<typeof startBenchMocks>>;
