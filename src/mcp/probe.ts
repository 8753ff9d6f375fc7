import { performance } from 'node:perf_hooks';
import { type APIConnectOptions, llm } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import type { Gateway } from '../gateway.js';
import { LLM, STT, TTS } from '../inference/index.js';
import { type Modality, MODALITIES } from '../types.js';
import { ToolError } from './tool.js';

export interface ProbeResult {
  ok: boolean;
  model: string;
  modality: ProbeModality;
  project: string;
  /** from the start of the request to its end (ms) */
  latencyMs: number;
  /** until the first token / audio frame / transcript (ms) */
  ttfbMs: number | null;
  /** the first words of the answer, the transcript, or the audio length */
  sample: string | null;
  error: string | null;
}

/** One attempt, no retries: LiveKit would otherwise retry a failing provider for seconds. */
const ONE_SHOT = (timeoutMs: number): APIConnectOptions => ({ maxRetry: 0, retryIntervalMs: 0, timeoutMs });

/**
 * The modality a model string is tested with: the only one its provider serves, else the one the
 * price catalog knows the model under. `openai/gpt-4.1-mini` → llm, `deepgram/nova-3` → stt.
 */
/** Realtime (speech-to-speech) models are not probed: a probe would open a billed session. */
export type ProbeModality = Exclude<Modality, 'realtime'>;

export function probeModality(gw: Gateway, model: string): ProbeModality {
  const served = MODALITIES.filter((m): m is ProbeModality => m !== 'realtime').filter((m) => {
    try {
      gw.registry.resolve(m, model);
      return true;
    } catch {
      return false;
    }
  });
  if (served.length === 0) gw.registry.resolve('llm', model); // throws the resolver's own explanation
  if (served.length === 1) return served[0]!;
  const priced = served.filter((m) => {
    const entry = gw.prices.lookup(m, model);
    return entry !== null && !entry.model.endsWith('/*');
  });
  if (priced.length === 1) return priced[0]!;
  throw new ToolError(`Cannot tell whether '${model}' is an STT, LLM or TTS model: pass modality ("stt", "llm" or "tts")`);
}

/**
 * Sends one tiny real request through the drop-ins (the same path agents use, metered into the
 * ledger) to this model only, with no fallback: a one-word chat, a four-word synthesis (a single
 * word can be shorter than one audio frame), or half a second of tone to transcribe.
 */
export async function probeModel(gw: Gateway, modality: ProbeModality, model: string, project: string): Promise<ProbeResult> {
  const timeoutMs = gw.config.routing.attempt_timeout_ms;
  const opts = { gateway: gw, project, fallback: [] };
  const started = performance.now();
  let firstAt: number | null = null;
  const first = () => void (firstAt ??= performance.now());
  const errors: Error[] = [];
  const onError = (e: { error: Error }) => void errors.push(e.error);
  let sample: string | null = null;
  let thrown: unknown;

  if (modality === 'llm') {
    const x = new LLM(model, opts);
    x.on('error', onError);
    try {
      const chatCtx = llm.ChatContext.empty();
      chatCtx.addMessage({ role: 'user', content: 'Reply with the single word: ok' });
      let text = '';
      for await (const chunk of x.chat({ chatCtx, connOptions: ONE_SHOT(timeoutMs) })) {
        if (chunk.delta?.content) {
          first();
          text += chunk.delta.content;
        }
      }
      sample = text.slice(0, 200);
    } catch (e) {
      thrown = e;
    } finally {
      await x.aclose().catch(() => {});
    }
  } else if (modality === 'tts') {
    const x = new TTS(model, opts);
    x.on('error', onError);
    try {
      let samples = 0;
      let rate = x.sampleRate;
      for await (const ev of x.synthesize('Testing one two three.', ONE_SHOT(timeoutMs))) {
        first();
        samples += ev.frame.samplesPerChannel;
        rate = ev.frame.sampleRate;
      }
      sample = `${Math.round((samples / rate) * 1000)} ms of audio`;
    } catch (e) {
      thrown = e;
    } finally {
      await x.close().catch(() => {});
    }
  } else {
    const x = new STT(model, opts);
    x.on('error', onError);
    try {
      const ev = await x.recognize(tone(16000, 0.5));
      first();
      sample = `transcript: "${(ev.alternatives?.[0]?.text ?? '').slice(0, 200)}"`;
    } catch (e) {
      thrown = e;
    } finally {
      await x.close().catch(() => {});
    }
  }

  const latencyMs = Math.round(performance.now() - started);
  const failure = errors[0] ?? thrown;
  return {
    ok: failure === undefined,
    model,
    modality,
    project,
    latencyMs,
    ttfbMs: firstAt === null ? null : Math.round(firstAt - started),
    sample: failure === undefined ? sample : null,
    error: failure === undefined ? null : describe(failure),
  };
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const status = (e as { statusCode?: number }).statusCode;
  return `${e.name}${status ? ` ${status}` : ''}: ${e.message}`;
}

/** Half a second of a quiet 440 Hz tone: real audio, so providers that reject silence still answer. */
function tone(sampleRate: number, seconds: number): AudioFrame {
  const n = Math.round(sampleRate * seconds);
  const data = new Int16Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
  return new AudioFrame(data, sampleRate, 1, n);
}
