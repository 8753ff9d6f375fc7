import type { APIConnectOptions, AudioBuffer, stt, VAD } from '@livekit/agents';
import type * as ElevenLabs from '@livekit/agents-plugin-elevenlabs';
import type { WebSocket } from 'ws';
import { loadPlugin } from './plugins.js';
import type { ProviderSpec } from './types.js';

const PKG = '@livekit/agents-plugin-elevenlabs';

/** The drop-in retries and falls back itself: one plugin attempt per `recognize()`. */
const ONE_ATTEMPT: APIConnectOptions = { maxRetry: 0, retryIntervalMs: 0, timeoutMs: 10_000 };

/**
 * `elevenlabs/<model>[:voice_id]` TTS: multi-context WebSocket for stream(), HTTP for synthesize().
 * `elevenlabs/<scribe model>[:language]` STT: `scribe_v2_realtime` streams over the realtime
 * WebSocket; `scribe_v1` / `scribe_v2` transcribe VAD-cut utterances over `POST /v1/speech-to-text`.
 */
/**
 * The realtime socket's connect, for the plugin's `httpSession.wsConnect`. The plugin's own connect
 * closes a still-connecting socket when the stream is aborted (a stalled handshake past the attempt
 * timeout) after removing its 'error' listener, so `ws` throws an uncaught exception; this one
 * terminates it with a listener in place.
 */
async function connectWs(url: string, o: { headers: Record<string, string>; signal?: AbortSignal; timeoutMs?: number }): Promise<WebSocket> {
  const { WebSocket } = await import('ws');
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: o.headers });
    ws.on('error', () => undefined); // the plugin adds its own listener once connected
    const fail = (error: Error) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      ws.terminate();
      reject(error);
    };
    const onAbort = () => fail(new Error('aborted'));
    const timer = setTimeout(() => fail(new Error('connect timeout')), o.timeoutMs ?? 10_000);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    ws.once('open', () => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      resolve(ws);
    });
    ws.once('unexpected-response', (_req, res) => fail(new Error(`WebSocket upgrade answered ${res.statusCode}`)));
    ws.once('close', (code) => fail(new Error(`WebSocket returned ${code}`)));
    ws.once('error', (error) => fail(error));
    if (o.signal?.aborted) onAbort();
  });
}

export const elevenlabs: ProviderSpec = {
  name: 'elevenlabs',
  kind: 'cloud',
  modalities: ['stt', 'tts'],
  envKey: 'ELEVEN_API_KEY',
  plugin: PKG,
  streamingSTT: true,
  // the plugin's realtime stream keeps its socket open after the input ends (ElevenLabs never closes it)
  sttStreamOutlivesInput: true,
  ttsSampleRate: 24000,
  async stt({ model, variant, apiKey, baseURL, options }) {
    const el = await loadPlugin<typeof ElevenLabs>(PKG);
    const { vad, ...rest } = options as { vad?: VAD };
    const httpSession = { wsConnect: connectWs };
    // realtime: ElevenLabs commits turns itself (commit_strategy=vad) unless `serverVad: null` asks for
    // manual commits; a voice agent never flushes its STT, so manual commits would never end a turn
    const serverVad = model === 'scribe_v2_realtime' && !('serverVad' in rest) ? { serverVad: {} } : {};
    const inner = new el.STT({ httpSession, ...serverVad, ...rest, model, ...(variant ? { languageCode: variant } : {}), apiKey, ...(baseURL ? { baseURL } : {}) } as never);
    if (inner.capabilities.streaming) return inner;
    // batch Scribe: the plugin's recognize() retries 3× with 2 s pauses by default and emits its
    // own 'error' before throwing (which throws again with no listener): one attempt, thrown error only
    const recognize = inner.recognize.bind(inner) as (b: AudioBuffer, o: { abortSignal?: AbortSignal; connOptions: APIConnectOptions }) => Promise<stt.SpeechEvent>;
    inner.recognize = ((buffer: AudioBuffer, abortSignal?: AbortSignal) => recognize(buffer, { abortSignal, connOptions: ONE_ATTEMPT })) as typeof inner.recognize;
    inner.on('error', () => undefined);
    const [{ UtteranceStreamAdapter }, { EnergyVAD }] = await Promise.all([import('./stream-adapter.js'), import('./energy-vad.js')]);
    return new UtteranceStreamAdapter(inner, vad ?? new EnergyVAD());
  },
  async tts({ model, variant, apiKey, baseURL, options }) {
    const el = await loadPlugin<typeof ElevenLabs>(PKG);
    const inner = new el.TTS({
      ...options,
      model,
      ...(variant ? { voiceId: variant } : {}),
      encoding: 'pcm_24000' as never, // ElevenLabs serves pcm_24000; the plugin's type list omits it
      apiKey,
      ...(baseURL ? { baseURL } : {}),
    } as never);
    // elevenlabs 1.9's synthesize(text) takes neither connOptions nor an abort signal: its stream
    // retries 3 times (2 s apart) and goes on after the drop-in gave the attempt up. Hand both over
    // (the base ChunkedStream reads `_connOptions` when its task starts, after the constructor).
    const synthesize = inner.synthesize.bind(inner);
    inner.synthesize = ((text: string, connOptions?: APIConnectOptions, abortSignal?: AbortSignal) => {
      const stream = synthesize(text);
      if (connOptions) (stream as unknown as { _connOptions: APIConnectOptions })._connOptions = connOptions;
      abortSignal?.addEventListener('abort', () => stream.close(), { once: true });
      return stream;
    }) as typeof inner.synthesize;
    return inner;
  },
};
