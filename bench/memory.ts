/**
 * P7 (one side): RSS of a process running N concurrent simulated calls, through the drop-ins
 * (`--mode dropin`: Gateway, guardrails, budget, SQLite ledger) or the raw plugins (`--mode raw`).
 * Run both sides in separate processes against the same mock servers (bench/run.ts does) and
 * compare. Needs --expose-gc. Prints one JSON document.
 *
 *   VOICEGW_BENCH_MOCKS='{"openai":…}' node --expose-gc --import tsx bench/memory.ts --mode dropin [--sessions 100] [--seconds 20]
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { argNumber, argString } from './lib/args.js';
import { addStats, type CallComponents, simulateCall, staggered } from './lib/call.js';
import { callComponents, closeComponents, type Mode } from './lib/components.js';
import { round } from './lib/stats.js';
import { mockUrlsFromEnv, quietLogs } from './lib/setup.js';

const mode = argString('mode', 'dropin') as Mode;
const SESSIONS = argNumber('sessions', 100);
const SECONDS = argNumber('seconds', 20);
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const gc = globalThis.gc;

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
/** resident anonymous (heaps, malloc) and file-backed (code, ICU data, libraries) memory and threads, from /proc */
function rssParts(): { anon: number; file: number; threads: number } | null {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN) * 1024;
    return { anon: mb(kb('RssAnon')), file: mb(kb('RssFile')), threads: Number(/Threads:\s+(\d+)/.exec(status)?.[1]) };
  } catch {
    return null; // not Linux
  }
}
/** physical MB per V8 heap space (new space grows with the allocation rate and is resident) */
function heapSpaces(): Record<string, number> {
  return Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, mb(s.physical_space_size)]));
}
function settle(): void {
  for (let i = 0; i < 3; i++) gc();
}

quietLogs();
const urls = mockUrlsFromEnv();
const gateway = mode === 'dropin' ? await (await import('./lib/gateway.js')).openBenchGateway(urls) : null;

// one short warm-up call so both sides have loaded their code paths before the baseline
const warm = await callComponents(mode, urls, gateway?.gw);
await simulateCall(warm, 2.5);
await closeComponents(warm);
settle();
const baseline = process.memoryUsage();
const baselineParts = rssParts();
const baselineSpaces = heapSpaces();

const calls: CallComponents[] = [];
for (let i = 0; i < SESSIONS; i++) calls.push(await callComponents(mode, urls, gateway?.gw));
const samples: number[] = [];
let peak = 0;
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  samples.push(rss);
  peak = Math.max(peak, rss);
}, 200);
// live memory: collected garbage removed, every session connected and mid-call
const live: number[] = [];
const liveJs: number[] = [];
const liveParts: ReturnType<typeof rssParts>[] = [];
const liveSpaces: ReturnType<typeof heapSpaces>[] = [];
const probes = [0.35, 0.55, 0.75].map((at) =>
  setTimeout(() => {
    settle();
    const m = process.memoryUsage();
    live.push(m.rss);
    liveParts.push(rssParts());
    liveSpaces.push(heapSpaces());
    liveJs.push(m.heapUsed + m.external);
  }, at * SECONDS * 1000),
);
const started = performance.now();
const stats = addStats(await staggered(calls.length, SECONDS, calls));
probes.forEach(clearTimeout);
const wallSeconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const heapDuring = process.memoryUsage().heapUsed;
// steady state: the middle of the run (calls connected, turns flowing, before hang-up)
const steady = samples.slice(Math.floor(samples.length * 0.3), Math.floor(samples.length * 0.8)).sort((a, b) => a - b);
const steadyMedian = steady[Math.floor(steady.length / 2)] ?? peak;

await Promise.all(calls.map(closeComponents));
if (gateway) await gateway.close();
settle();
const after = process.memoryUsage();

console.log(
  JSON.stringify(
    {
      bench: 'memory',
      mode,
      sessions: SESSIONS,
      seconds: SECONDS,
      wallSeconds: round(wallSeconds, 1),
      rssMB: {
        baseline: mb(baseline.rss),
        liveAfterGc: mb([...live].sort((a, b) => a - b)[Math.floor(live.length / 2)] ?? Number.NaN),
        steadyMedian: mb(steadyMedian),
        peak: mb(peak),
        afterClose: mb(after.rss),
      },
      rssPartsMB: { baseline: baselineParts, live: liveParts[1] ?? null },
      heapSpacesMB: { baseline: baselineSpaces, live: liveSpaces[1] ?? null },
      heapUsedMB: { baseline: mb(baseline.heapUsed), endOfCalls: mb(heapDuring), afterClose: mb(after.heapUsed) },
      // what JavaScript holds (V8 heap + external buffers such as audio), free of allocator caching
      jsLiveMB: { baseline: mb(baseline.heapUsed + baseline.external), liveAfterGc: mb([...liveJs].sort((a, b) => a - b)[Math.floor(liveJs.length / 2)] ?? Number.NaN) },
      calls: { ...stats, responseMs: undefined, llmMs: undefined, ttsFirstAudioMs: undefined, errors: stats.errors.length, firstErrors: [...new Set(stats.errors)].slice(0, 5) },
    },
    null,
    2,
  ),
);
process.exit(0);
