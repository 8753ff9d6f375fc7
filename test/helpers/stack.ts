import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { llm, stt, tts } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { Gateway, type GatewayOptions } from '../../src/gateway.js';
import type { RequestRecord } from '../../src/ledger/types.js';
import {
  type MockAssemblyAI,
  type MockCartesia,
  type MockDeepgram,
  type MockElevenLabs,
  type MockElevenLabsOptions,
  type MockGoogle,
  type MockGoogleOptions,
  type MockOpenAI,
  type MockOpenAIOptions,
  startMockAssemblyAI,
  startMockCartesia,
  startMockDeepgram,
  startMockElevenLabs,
  startMockGoogle,
  startMockOpenAI,
} from '../../src/testing/index.js';

export interface Mocks {
  openai: MockOpenAI;
  deepgram: MockDeepgram;
  cartesia: MockCartesia;
  elevenlabs: MockElevenLabs;
  assemblyai: MockAssemblyAI;
  google: MockGoogle;
  /** a second OpenAI-compatible server standing in for local Whisper / Ollama / Kokoro */
  local: MockOpenAI;
  close(): Promise<void>;
}

export async function startMocks(o: { openai?: MockOpenAIOptions; local?: MockOpenAIOptions; google?: MockGoogleOptions; elevenlabs?: MockElevenLabsOptions } = {}): Promise<Mocks> {
  const [openai, deepgram, cartesia, elevenlabs, assemblyai, google, local] = await Promise.all([
    startMockOpenAI(o.openai),
    startMockDeepgram(),
    startMockCartesia(),
    startMockElevenLabs({ chunkDelayMs: 5, ...o.elevenlabs }), // paced, so audio reaches the caller before a `drop` cuts
    startMockAssemblyAI(),
    startMockGoogle(o.google),
    startMockOpenAI({ transcript: 'hello from local whisper', reply: 'Hello from the local model.', ...o.local }),
  ]);
  return {
    openai,
    deepgram,
    cartesia,
    elevenlabs,
    assemblyai,
    google,
    local,
    close: async () => void (await Promise.all([openai, deepgram, cartesia, elevenlabs, assemblyai, google, local].map((m) => m.close()))),
  };
}

/** providers: block pointing every provider at the mocks (keys are fake, never needed by mocks). */
export function mockProviders(m: Mocks) {
  return {
    openai: { api_key: 'sk-test-openai', base_url: m.openai.baseURL },
    deepgram: { api_key: 'dg-test', base_url: m.deepgram.baseUrl },
    cartesia: { api_key: 'ca-test', base_url: m.cartesia.baseUrl },
    groq: { api_key: 'gsk-test', base_url: m.openai.baseURL },
    // Anthropic's and xAI's endpoints speak the OpenAI chat-completions protocol the mock serves
    anthropic: { api_key: 'sk-ant-test', base_url: m.openai.baseURL },
    xai: { api_key: 'xai-test', base_url: m.openai.baseURL },
    elevenlabs: { api_key: 'el-test', base_url: m.elevenlabs.baseURL },
    piper: { base_url: m.local.baseURL },
    assemblyai: { api_key: 'aai-test', base_url: m.assemblyai.baseURL },
    google: { api_key: 'goog-test', base_url: m.google.baseURL },
    whisper: { base_url: m.local.baseURL },
    ollama: { base_url: m.local.baseURL },
    kokoro: { base_url: m.local.baseURL },
  };
}

export async function openGateway(config: Record<string, unknown>, extra: Partial<GatewayOptions> = {}): Promise<Gateway> {
  const dir = mkdtempSync(join(tmpdir(), 'vgw-test-'));
  return Gateway.open({ config, dbPath: join(dir, 'ledger.db'), env: {}, ...extra });
}

/** The ledger rows written since `since` (after the gateway drained), oldest first. */
export async function rowsSince(gw: Gateway, since: number, q: { project?: string; modality?: 'stt' | 'llm' | 'tts'; limit?: number } = {}): Promise<RequestRecord[]> {
  await gw.drain();
  return (await gw.ledger.logs({ project: q.project ?? 'p', modality: q.modality, limit: q.limit ?? 20 })).filter((r) => r.ts >= since - 5).reverse();
}

export function chatCtx(...user: string[]): llm.ChatContext {
  const ctx = llm.ChatContext.empty();
  ctx.addMessage({ role: 'system', content: 'You are a test agent.' });
  for (const u of user) ctx.addMessage({ role: 'user', content: u });
  return ctx;
}

type WithErrors = { on(ev: 'error', fn: (e: { error: Error; recoverable: boolean }) => void): unknown };

export function captureErrors(x: WithErrors): { error: Error; recoverable: boolean }[] {
  const errors: { error: Error; recoverable: boolean }[] = [];
  x.on('error', (e) => errors.push(e));
  return errors;
}

export function captureMetrics<M>(x: { on(ev: 'metrics_collected', fn: (m: M) => void): unknown }): M[] {
  const out: M[] = [];
  x.on('metrics_collected', (m) => out.push(m));
  return out;
}

/** Streams frames into an STT and collects events until the stream ends (input ended after the frames). */
export async function transcribe(s: stt.STT, frames: AudioFrame[], timeoutMs = 10_000): Promise<stt.SpeechEvent[]> {
  const stream = s.stream();
  for (const f of frames) stream.pushFrame(f);
  stream.endInput();
  const events: stt.SpeechEvent[] = [];
  const done = (async () => {
    for await (const ev of stream) events.push(ev);
  })();
  await Promise.race([done, new Promise((_, rej) => setTimeout(() => rej(new Error('STT stream did not end')), timeoutMs))]);
  return events;
}

/** Pushes text into a TTS stream and collects audio until END_OF_STREAM. */
export async function synthesize(t: tts.TTS, ...texts: string[]): Promise<{ frames: AudioFrame[]; seconds: number }> {
  const stream = t.stream();
  for (const x of texts) stream.pushText(x);
  stream.endInput();
  const frames: AudioFrame[] = [];
  for await (const a of stream) {
    if (a === tts.SynthesizeStream.END_OF_STREAM) break;
    frames.push(a.frame);
  }
  stream.close();
  return { frames, seconds: frames.reduce((s, f) => s + f.samplesPerChannel / f.sampleRate, 0) };
}
