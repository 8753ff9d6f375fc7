/**
 * Load run: N concurrent simulated calls (microphone audio in real time → STT → LLM → TTS) for a
 * fixed time through the drop-ins (guardrails, budget, SQLite ledger all on) against the mock
 * providers, which run in another process (bench/run.ts hosts them). Reports throughput, errors,
 * what reached the ledger, event-loop delay and the caller-perceived response time under load.
 * `--mode raw` runs the same calls on the raw plugins (the CPU baseline). Prints one JSON document.
 *
 *   VOICEGW_BENCH_MOCKS='{"openai":…}' npx tsx bench/load.ts [--calls 100] [--seconds 60] [--mode dropin|raw]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { argNumber, argString } from './lib/args.js';
import { addStats, staggered } from './lib/call.js';
import { callComponents, closeComponents, type Mode } from './lib/components.js';
import { openBenchGateway } from './lib/gateway.js';
import { mockUrlsFromEnv, quietLogs } from './lib/setup.js';
import { round, summarize } from './lib/stats.js';

const CALLS = argNumber('calls', 100);
const SECONDS = argNumber('seconds', 60);
const MODE = argString('mode', 'dropin') as Mode;

quietLogs();
const urls = mockUrlsFromEnv();
const gateway = MODE === 'dropin' ? await openBenchGateway(urls) : null;
const calls = await Promise.all(Array.from({ length: CALLS }, () => callComponents(MODE, urls, gateway?.gw)));

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const cpu0 = process.cpuUsage();
const started = performance.now();
const stats = addStats(await staggered(calls.length, SECONDS, calls));
const wall = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
loopDelay.disable();
const ledger = gateway ? await ledgerCheck() : null;
await Promise.all(calls.map(closeComponents));
await gateway?.close();

/** what reached the ledger: one row per provider request, every one a success */
async function ledgerCheck() {
  const gw = gateway!.gw;
  await gw.drain();
  const rows = await gw.ledger.exportRows({});
  const byStatus: Record<string, number> = {};
  const byModality: Record<string, number> = {};
  for (const r of rows) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    byModality[r.modality] = (byModality[r.modality] ?? 0) + 1;
  }
  const costs = await gw.costs({ period: 'today' });
  // one STT stream per call, one LLM and one TTS request per turn
  return { rows: rows.length, expectedRows: stats.llmRequests + stats.ttsRequests + CALLS, byStatus, byModality, totalUsd: costs.totalUsd, unpriced: costs.unpriced };
}

const response = summarize(stats.responseMs, 2);
console.log(
  JSON.stringify(
    {
      bench: 'load',
      mode: MODE,
      calls: CALLS,
      seconds: SECONDS,
      wallSeconds: round(wall, 1),
      throughput: {
        turnsPerSecond: round(stats.turns / wall, 1),
        providerRequestsPerSecond: round((stats.llmRequests + stats.ttsRequests + CALLS) / wall, 1),
        audioInSecondsPerSecond: round(stats.audioInSeconds / wall, 1),
        audioOutSecondsPerSecond: round(stats.audioOutSeconds / wall, 1),
      },
      totals: { ...stats, responseMs: undefined, llmMs: undefined, ttsFirstAudioMs: undefined, errors: stats.errors.length },
      firstErrors: [...new Set(stats.errors)].slice(0, 5),
      ledger,
      responseMs: { what: 'final transcript → first audio frame of the answer (LLM + TTS, the mocks answer instantly)', ...response },
      llmAnswerMs: { what: 'chat() → answer collected (its stream ends once its ledger row is durable)', ...summarize(stats.llmMs, 2) },
      ttsFirstAudioMs: { what: 'tts.stream() → first audio frame', ...summarize(stats.ttsFirstAudioMs, 2) },
      eventLoopDelayMs: { p50: round(loopDelay.percentile(50) / 1e6), p99: round(loopDelay.percentile(99) / 1e6), max: round(loopDelay.max / 1e6) },
      cpuSeconds: { user: round(cpu.user / 1e6, 1), system: round(cpu.system / 1e6, 1), ofWall: round((cpu.user + cpu.system) / 1e6 / wall, 2) },
    },
    null,
    2,
  ),
);
process.exit(0);
