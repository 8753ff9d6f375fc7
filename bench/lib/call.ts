import { llm, stt, tts } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import { sinePcm } from '../../src/testing/audio.js';

/** Calls start spread over this window, as real calls do (all at once, every turn would coincide). */
export const STAGGER_MS = 2000;

/** Starts `n` calls spread evenly over STAGGER_MS; each lasts `seconds`. */
export function staggered(n: number, seconds: number, components: CallComponents[]): Promise<CallStats[]> {
  return Promise.all(components.slice(0, n).map((c, i) => sleep((i * STAGGER_MS) / n).then(() => simulateCall(c, seconds))));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The three components one call uses (drop-ins or raw plugins). */
export interface CallComponents {
  stt: stt.STT;
  llm: llm.LLM;
  tts: tts.TTS;
}

export interface CallStats {
  turns: number;
  sttFinals: number;
  /** final transcripts that arrived while the agent was still answering (not answered) */
  overlapped: number;
  llmRequests: number;
  ttsRequests: number;
  audioInSeconds: number;
  audioOutSeconds: number;
  /** per turn: ms from the final transcript to the first audio frame of the answer */
  responseMs: number[];
  /** per turn: ms from chat() to the whole answer collected (the stream ends after its ledger row) */
  llmMs: number[];
  /** per turn: ms from tts.stream() to its first audio frame */
  ttsFirstAudioMs: number[];
  errors: string[];
}

const FRAME_MS = 100;
const SAMPLE_RATE = 16000;
const SYSTEM = 'You are a restaurant booking assistant. Keep answers short: they are spoken aloud.';

/**
 * One simulated phone call: the caller's microphone streams a tone in real time (100 ms frames every
 * 100 ms) into one STT stream for the whole call; each final transcript starts a turn (LLM answer on
 * the conversation so far, then the answer spoken through a TTS stream and read to its end).
 */
export async function simulateCall(c: CallComponents, seconds: number): Promise<CallStats> {
  const stats: CallStats = { turns: 0, sttFinals: 0, overlapped: 0, llmRequests: 0, ttsRequests: 0, audioInSeconds: 0, audioOutSeconds: 0, responseMs: [], llmMs: [], ttsFirstAudioMs: [], errors: [] };
  const onError = (e: { error: Error }) => void stats.errors.push(`${e.error.name}: ${e.error.message}`);
  c.stt.on('error', onError);
  c.llm.on('error', onError);
  c.tts.on('error', onError);

  // a new frame each time, as a microphone delivers them (a reused object would hide retained audio)
  const pcm = sinePcm(FRAME_MS / 1000, SAMPLE_RATE);
  const nextFrame = () => new AudioFrame(pcm.slice(), SAMPLE_RATE, 1, pcm.length);
  const chat = llm.ChatContext.empty();
  chat.addMessage({ role: 'system', content: SYSTEM });
  let turn: Promise<void> | null = null;

  const answer = async (text: string) => {
    const heard = performance.now();
    chat.addMessage({ role: 'user', content: text });
    stats.llmRequests++;
    const reply = (await c.llm.chat({ chatCtx: chat }).collect()).text;
    const spoken = performance.now();
    stats.llmMs.push(spoken - heard);
    chat.addMessage({ role: 'assistant', content: reply });
    if (chat.items.length > 13) chat.items.splice(1, 2); // keep the system prompt and the last six exchanges
    stats.ttsRequests++;
    const speech = c.tts.stream();
    speech.pushText(reply);
    speech.flush();
    speech.endInput();
    for await (const a of speech) {
      if (a === tts.SynthesizeStream.END_OF_STREAM) break;
      if (stats.responseMs.length === stats.turns) {
        stats.responseMs.push(performance.now() - heard);
        stats.ttsFirstAudioMs.push(performance.now() - spoken);
      }
      stats.audioOutSeconds += a.frame.samplesPerChannel / a.frame.sampleRate;
    }
    speech.close();
    stats.turns++;
  };

  const listen = c.stt.stream();
  const mic = setInterval(() => {
    listen.pushFrame(nextFrame());
    stats.audioInSeconds += FRAME_MS / 1000;
  }, FRAME_MS);
  const hangUp = new Promise<void>((resolve) =>
    setTimeout(() => {
      clearInterval(mic);
      listen.flush();
      listen.endInput();
      resolve();
    }, seconds * 1000),
  );

  const reading = (async () => {
    for await (const ev of listen) {
      if (ev.type !== stt.SpeechEventType.FINAL_TRANSCRIPT || !ev.alternatives?.[0]?.text) continue;
      stats.sttFinals++;
      if (turn) {
        stats.overlapped++;
        continue;
      }
      turn = answer(ev.alternatives[0].text)
        .catch((e: Error) => void stats.errors.push(`turn: ${e.message}`))
        .finally(() => (turn = null));
    }
  })();

  await hangUp;
  // the provider finalizes what was said last, then the stream ends (bounded: a hung stream is an error)
  const ended = await Promise.race([reading.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
  if (!ended) stats.errors.push('STT stream did not end within 10 s of the end of input');
  listen.close();
  await turn;
  c.stt.off('error', onError);
  c.llm.off('error', onError);
  c.tts.off('error', onError);
  return stats;
}

export function addStats(all: CallStats[]): CallStats {
  const sum = (k: keyof Omit<CallStats, 'errors' | 'responseMs' | 'llmMs' | 'ttsFirstAudioMs'>) => all.reduce((s, x) => s + x[k], 0);
  return {
    turns: sum('turns'),
    sttFinals: sum('sttFinals'),
    overlapped: sum('overlapped'),
    llmRequests: sum('llmRequests'),
    ttsRequests: sum('ttsRequests'),
    audioInSeconds: Math.round(sum('audioInSeconds')),
    audioOutSeconds: Math.round(sum('audioOutSeconds')),
    responseMs: all.flatMap((x) => x.responseMs),
    llmMs: all.flatMap((x) => x.llmMs),
    ttsFirstAudioMs: all.flatMap((x) => x.ttsFirstAudioMs),
    errors: all.flatMap((x) => x.errors),
  };
}
