/**
 * P1 / P2: what the drop-ins add to time-to-first-output, measured against the raw LiveKit plugins
 * in one process, against the same mock servers (no artificial delays), interleaved A/B/B/A so that
 * machine noise hits both sides equally. Prints one JSON document.
 *
 * TTS runs twice: against a mock that streams the audio chunks 2 ms apart (as a provider generating
 * faster than real time does: the first chunk arrives alone), and against one that writes the whole
 * sentence at once (every chunk in one socket read: the worst case for a stream wrapper, whose
 * extra queue hops wait behind the plugin decoding the rest of the burst).
 *
 *   npx tsx bench/latency.ts [--pairs 2000] [--warmup 200] [--context-chars 2000] [--only llm,stt,tts]
 */
import { type llm, stt, tts } from '@livekit/agents';
import * as cartesia from '@livekit/agents-plugin-cartesia';
import * as deepgram from '@livekit/agents-plugin-deepgram';
import * as openai from '@livekit/agents-plugin-openai';
import type { AudioFrame } from '@livekit/rtc-node';
import { inference } from '../src/index.js';
import { sineFrames, startMockCartesia } from '../src/testing/index.js';
import { argNumber, argList } from './lib/args.js';
import { contextChars, conversation } from './lib/conversation.js';
import { compare } from './lib/stats.js';
import { openBenchGateway } from './lib/gateway.js';
import { startBenchMocks } from './lib/mocks.js';
import { quietLogs, RAW_KEYS, SPOKEN } from './lib/setup.js';

const PAIRS = argNumber('pairs', 2000);
const WARMUP = argNumber('warmup', 200);
const CONTEXT_CHARS = argNumber('context-chars', 2000);
const ONLY = argList('only', ['llm', 'stt', 'tts']);

quietLogs();
const mocks = await startBenchMocks();
const { gw, close } = await openBenchGateway(mocks.urls);
const errors = { dropIn: 0, raw: 0 };
const countErrors = (side: keyof typeof errors) => (m: { on(ev: 'error', fn: () => void): unknown }) => void m.on('error', () => errors[side]++);

/** ms from `chat()` to the first content chunk; the stream is read to its end (ledger row written). */
async function llmTtft(model: llm.LLM, chatCtx: llm.ChatContext): Promise<number> {
  const t0 = performance.now();
  let first = -1;
  for await (const chunk of model.chat({ chatCtx })) if (first < 0 && chunk.delta?.content) first = performance.now() - t0;
  return first;
}

/** ms from `stream()` to the first final transcript of an utterance pushed at once and flushed. */
async function sttFirstFinal(model: stt.STT, audio: AudioFrame[]): Promise<number> {
  const t0 = performance.now();
  const s = model.stream();
  for (const f of audio) s.pushFrame(f);
  s.flush();
  let first = -1;
  for await (const ev of s) {
    if (ev.type === stt.SpeechEventType.FINAL_TRANSCRIPT) {
      first = performance.now() - t0;
      break;
    }
  }
  s.close();
  return first;
}

/** ms from `stream()` to the first audio frame of a sentence pushed and flushed; read to the end. */
async function ttsFirstAudio(model: tts.TTS, text: string): Promise<number> {
  const t0 = performance.now();
  const s = model.stream();
  s.pushText(text);
  s.flush();
  s.endInput();
  let first = -1;
  for await (const a of s) {
    if (a === tts.SynthesizeStream.END_OF_STREAM) break;
    if (first < 0) first = performance.now() - t0;
  }
  s.close();
  return first;
}

/** Warm-up, then `pairs` A/B pairs in alternating order; a missing first output is an error, not a sample. */
async function abRun(dropIn: (i: number) => Promise<number>, raw: (i: number) => Promise<number>) {
  const settle = () => gw.drain();
  for (let i = 0; i < WARMUP; i++) {
    await dropIn(-i - 1);
    await raw(-i - 1);
    await settle();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    let x: number, y: number;
    if (i % 2 === 0) {
      x = await dropIn(i);
      y = await raw(i);
    } else {
      y = await raw(i);
      x = await dropIn(i);
    }
    await settle();
    if (x < 0) errors.dropIn++;
    if (y < 0) errors.raw++;
    if (x >= 0 && y >= 0) {
      a.push(x);
      b.push(y);
    }
    if (i % 250 === 0) mocks.reset();
  }
  return compare(a, b);
}

const result: Record<string, unknown> = { bench: 'latency', pairs: PAIRS, warmup: WARMUP };

if (ONLY.includes('llm')) {
  const dropIn = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: 'bench' });
  const raw = new openai.LLM({ model: 'gpt-4.1-mini', apiKey: RAW_KEYS.openai, baseURL: mocks.urls.openai });
  [dropIn, raw].forEach((m, i) => countErrors(i === 0 ? 'dropIn' : 'raw')(m));
  const history = conversation(CONTEXT_CHARS);
  // each turn ends with a new caller utterance, as in a call: the history is the same, the last message is not
  const turn = (i: number) => {
    const ctx = history.copy();
    ctx.addMessage({ role: 'user', content: `Sorry, the line cut out. Could you repeat the time for booking number ${1000 + i}?` });
    return ctx;
  };
  result.llm = {
    what: 'time to first token: chat() → first content chunk (history + a new caller message each turn)',
    context: { chars: contextChars(turn(0)), items: turn(0).items.length },
    dropInSetup: 'guardrails pii+financial redact, prompt_injection block; daily budget (block); SQLite ledger',
    ...(await abRun(
      (i) => llmTtft(dropIn, turn(i)),
      (i) => llmTtft(raw, turn(i)),
    )),
  };
}

if (ONLY.includes('stt')) {
  const dropIn = new inference.STT('deepgram/nova-3:en-US', { gateway: gw, project: 'bench' });
  const raw = new deepgram.STT({ model: 'nova-3', language: 'en-US', apiKey: RAW_KEYS.deepgram, baseUrl: mocks.urls.deepgram });
  [dropIn, raw].forEach((m, i) => countErrors(i === 0 ? 'dropIn' : 'raw')(m));
  const audio = sineFrames(0.5);
  result.stt = {
    what: 'time to first final transcript: stream() + 0.5 s of audio + flush() → first FINAL_TRANSCRIPT (includes the WebSocket connect)',
    ...(await abRun(
      () => sttFirstFinal(dropIn, audio),
      () => sttFirstFinal(raw, audio),
    )),
  };
}

if (ONLY.includes('tts')) {
  const paced = await startMockCartesia({ chunkDelayMs: 2 });
  for (const [key, baseUrl, what] of [
    ['tts', paced.baseUrl, 'audio chunks 2 ms apart'],
    ['ttsBurst', mocks.urls.cartesia, 'the whole sentence written at once'],
  ] as const) {
    const dropIn = new inference.TTS('cartesia/sonic-3', { gateway: gw, project: 'bench', baseURL: baseUrl });
    const raw = new cartesia.TTS({ model: 'sonic-3', sampleRate: 24000, apiKey: RAW_KEYS.cartesia, baseUrl });
    [dropIn, raw].forEach((m, i) => countErrors(i === 0 ? 'dropIn' : 'raw')(m));
    result[key] = {
      what: `time to first audio: stream() + one sentence + flush() → first audio frame (pooled WebSocket; ${what})`,
      text: { chars: SPOKEN.length },
      ...(await abRun(
        () => ttsFirstAudio(dropIn, SPOKEN),
        () => ttsFirstAudio(raw, SPOKEN),
      )),
    };
  }
  await paced.close();
}

result.errors = errors;
await close();
await mocks.close();
console.log(JSON.stringify(result, null, 2));
// the plugins keep pooled sockets and timers; the figures are printed
process.exit(0);
