import { type llm, voice } from '@livekit/agents';
import type { Gateway } from '../../src/gateway.js';
import { silenceFrame, sineFrames } from '../../src/testing/index.js';
import { conversation, FakeAudioInput, FakeAudioOutput } from './session.js';

/** One caller turn: half a second of speech then silence (the mock's server VAD ends the turn). */
export async function speak(mic: FakeAudioInput): Promise<void> {
  for (const f of [...sineFrames(0.5, 24000), silenceFrame(0.3, 24000)]) {
    mic.push(f);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A headless AgentSession on a realtime model: fake microphone and speaker, its errors and conversation. */
export function startSession(model: llm.RealtimeModel) {
  const session = new voice.AgentSession({ llm: model, vad: null });
  const mic = new FakeAudioInput();
  const speaker = new FakeAudioOutput();
  session.input.audio = mic;
  session.output.audio = speaker;
  const errors: { error: Error; recoverable: boolean }[] = [];
  // AgentSession wraps the model's realtime_model_error: the Error itself is one level down
  session.on(voice.AgentSessionEventTypes.Error, (e) => errors.push((e as unknown as { error: { error: Error; recoverable: boolean } }).error));
  let closed = false;
  session.on(voice.AgentSessionEventTypes.Close, () => void (closed = true));
  return { session, mic, speaker, errors, items: conversation(session), closed: () => closed };
}

/** One response's tokens by kind (cached ones are part of the text / audio input). */
export interface TokenSplit {
  text: number;
  cachedText: number;
  audio: number;
  cachedAudio: number;
  textOut: number;
  audioOut: number;
}

/** What the catalog rate makes of one response, in integer nano-USD (each kind at its rate, rounded once, half up). */
export function expectedRealtimeNanos(gw: Gateway, model: string, t: TokenSplit): number {
  const e = gw.prices.lookup('realtime', model)!;
  const scaled =
    BigInt(t.text - t.cachedText) * BigInt(e.inputNanos) +
    BigInt(t.cachedText) * BigInt(e.cachedNanos) +
    BigInt(t.textOut) * BigInt(e.outputNanos) +
    BigInt(t.audio - t.cachedAudio) * BigInt(e.audio!.input) +
    BigInt(t.cachedAudio) * BigInt(e.audio!.cached) +
    BigInt(t.audioOut) * BigInt(e.audio!.output);
  return Number((scaled + 500_000n) / 1_000_000n);
}
