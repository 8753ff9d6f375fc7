import { ReadableStream, type ReadableStreamDefaultReader } from 'node:stream/web';
import type { llm } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import type { auditFindings } from './guard-audit.js';
import type { OutputGuard } from './realtime-guard.js';

/** The findings that stopped an answer, per guard (read when its audit event is written). */
export const lastFindings = new WeakMap<OutputGuard, Parameters<typeof auditFindings>[1]>();

/** The audio of one message until it ends or the response is stopped; marks the first frame. */
export function until(stream: ReadableStream<AudioFrame>, stopped: Promise<string>, first: () => void, played: (ms: number) => void = () => {}, ended: () => void = () => {}): ReadableStream<AudioFrame> {
  const reader = stream.getReader();
  let marked = false;
  let done = false;
  void stopped.then(() => {
    done = true;
    discard(reader);
  });
  return new ReadableStream<AudioFrame>({
    async pull(out) {
      const r = done ? { done: true as const, value: undefined } : await reader.read();
      if (r.done || done) return (ended(), out.close());
      if (!marked) (marked = true), first();
      out.enqueue(r.value); // the frame goes on first; counting it is not on the audio path
      played((r.value.samplesPerChannel / r.value.sampleRate) * 1000);
    },
    cancel: () => discard(reader),
  });
}

/**
 * Reads a plugin stream to its end without forwarding it. Cancelling it instead would make the
 * plugin's next write reject (with no reason), an unhandled rejection inside the plugin.
 */
function discard<T>(reader: ReadableStreamDefaultReader<T>): void {
  void (async () => {
    for (;;) if ((await reader.read()).done) return;
  })().catch(() => {});
}

/** The transcript of one message until the response is stopped, scanned as it streams; a finding stops the response. */
export function watchText<T extends string | { text?: string }>(stream: ReadableStream<T>, stopped: Promise<string>, guard: OutputGuard | null, stop: (why: string) => void): ReadableStream<T> {
  const reader = stream.getReader();
  let done = false;
  void stopped.then(() => {
    done = true;
    discard(reader);
  });
  return new ReadableStream<T>({
    async pull(out) {
      const r = done ? { done: true as const, value: undefined } : await reader.read();
      if (r.done || done) return out.close();
      const findings = guard?.active ? guard.push(typeof r.value === 'string' ? r.value : (r.value.text ?? '')) : [];
      if (guard && findings.length > 0) {
        lastFindings.set(guard, findings);
        stop('guardrails');
        return out.close();
      }
      out.enqueue(r.value);
    },
    cancel: () => discard(reader),
  });
}


/** The messages of a response, each mapped as it arrives (the plugin's message stream, read once). */
export function mapMessages(stream: ReadableStream<llm.MessageGeneration>, map: (m: llm.MessageGeneration) => llm.MessageGeneration): ReadableStream<llm.MessageGeneration> {
  const reader = stream.getReader();
  return new ReadableStream<llm.MessageGeneration>({
    async pull(out) {
      const r = await reader.read();
      if (r.done) return out.close();
      out.enqueue(map(r.value));
    },
    cancel: () => discard(reader),
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}
