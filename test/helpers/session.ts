import { type llm, voice } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { ReadableStream, type ReadableStreamDefaultController } from 'node:stream/web';

/** Microphone stand-in: frames pushed here reach the AgentSession's STT. */
export class FakeAudioInput extends voice.AudioInput {
  readonly #controller: ReadableStreamDefaultController<AudioFrame>;

  constructor() {
    super();
    let c!: ReadableStreamDefaultController<AudioFrame>;
    this.multiStream.addInputStream(new ReadableStream<AudioFrame>({ start: (ctrl) => void (c = ctrl) }));
    this.#controller = c;
  }

  push(frame: AudioFrame): void {
    this.#controller.enqueue(frame);
  }
}

/** Speaker stand-in: counts the agent's audio and "plays" it instantly. */
export class FakeAudioOutput extends voice.AudioOutput {
  frames = 0;
  samples = 0;

  constructor(sampleRate = 24000) {
    super(sampleRate);
  }

  async captureFrame(frame: AudioFrame): Promise<void> {
    await super.captureFrame(frame);
    if (this.frames === 0) this.onPlaybackStarted(Date.now());
    this.frames++;
    this.samples += frame.samplesPerChannel;
  }

  flush(): void {
    super.flush();
    this.onPlaybackFinished({ playbackPosition: this.samples / (this.sampleRate ?? 24000), interrupted: false });
  }

  clearBuffer(): void {}
}

export function conversation(session: voice.AgentSession): string[] {
  const items: string[] = [];
  session.on(voice.AgentSessionEventTypes.ConversationItemAdded, (ev) => {
    const it = ev.item as llm.ChatMessage;
    if (it.type === 'message') items.push(`${it.role}: ${it.textContent}`);
  });
  return items;
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
