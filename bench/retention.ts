/**
 * Heap an STT stream keeps per audio frame pushed (prints JSON). LiveKit 1.9's Deepgram plugin races
 * every input frame against one long-lived abort promise, which keeps each frame reachable until the
 * stream closes (livekit/agents-js#1950). This measures it for the raw plugin and for the drop-in
 * (which feeds the same plugin), so an upgrade that fixes it shows here. Needs --expose-gc.
 *
 *   VOICEGW_BENCH_MOCKS='{"deepgram":…}' node --expose-gc --import tsx bench/retention.ts [--frames 20000]
 */
import { AudioFrame } from '@livekit/rtc-node';
import type { stt } from '@livekit/agents';
import { argNumber } from './lib/args.js';
import { callComponents, closeComponents, type Mode } from './lib/components.js';
import { mockUrlsFromEnv, quietLogs } from './lib/setup.js';
import { round } from './lib/stats.js';

const FRAMES = argNumber('frames', 20_000);
const SAMPLE_RATE = 16_000;
const SAMPLES = SAMPLE_RATE / 100; // 10 ms, as a LiveKit room delivers them
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const gc = globalThis.gc;

quietLogs();
const urls = mockUrlsFromEnv();
const gateway = await (await import('./lib/gateway.js')).openBenchGateway(urls);

/** frames pushed faster than real time, yielding now and then so the plugin's send loop keeps up */
async function push(stream: stt.SpeechStream, n: number): Promise<void> {
  const pcm = new Int16Array(SAMPLES);
  for (let i = 0; i < n; i++) {
    stream.pushFrame(new AudioFrame(pcm.slice(), SAMPLE_RATE, 1, SAMPLES));
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 1));
  }
  await new Promise((r) => setTimeout(r, 300));
}

async function bytesPerFrame(mode: Mode): Promise<number> {
  const c = await callComponents(mode, urls, gateway.gw);
  const stream = c.stt.stream();
  void (async () => {
    for await (const _ of stream);
  })();
  await push(stream, 2000); // connected and warm
  gc();
  const before = process.memoryUsage().heapUsed;
  await push(stream, FRAMES);
  gc();
  const retained = process.memoryUsage().heapUsed - before;
  stream.close();
  await closeComponents(c);
  return retained / FRAMES;
}

const raw = await bytesPerFrame('raw');
const dropIn = await bytesPerFrame('dropin');
await gateway.close();
const mbPerHour = (b: number) => round((b * 100 * 3600) / 1e6, 0);
console.log(
  JSON.stringify({
    bench: 'retention',
    frames: FRAMES,
    frameMs: 10,
    bytesPerFrame: { raw: round(raw, 0), dropIn: round(dropIn, 0) },
    mbPerHourOfAudio: { raw: mbPerHour(raw), dropIn: mbPerHour(dropIn) },
  }),
);
process.exit(0);
