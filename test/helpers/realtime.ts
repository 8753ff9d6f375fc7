import { type llm, voice } from '@livekit/agents';
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
  const errors: { error: Error }[] = [];
  // AgentSession wraps the model's realtime_model_error: the Error itself is one level down
  session.on(voice.AgentSessionEventTypes.Error, (e) => errors.push((e as unknown as { error: { error: Error } }).error));
  let closed = false;
  session.on(voice.AgentSessionEventTypes.Close, () => void (closed = true));
  return { session, mic, speaker, errors, items: conversation(session), closed: () => closed };
}
