/**
 * A project on `budget_action: throttle` that has spent its daily budget: its STT stream is served
 * by local Whisper (the chain's local entry) instead of Deepgram, and the ledger says so.
 * Runs offline against the bundled mock providers:   npx tsx examples/budget-fallback.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initializeLogger, stt } from '@livekit/agents';
import { dispose } from '@livekit/rtc-node';
import { Gateway, inference } from 'voicegateway';
import { sineFrames, startMockDeepgram, startMockOpenAI } from 'voicegateway/testing';

initializeLogger({ pretty: false, level: 'error' });
const deepgram = await startMockDeepgram({ transcript: 'transcribed by deepgram' });
const whisper = await startMockOpenAI({ transcript: 'transcribed by local whisper' }); // a whisper.cpp server stand-in

const gw = await Gateway.open({
  dbPath: join(mkdtempSync(join(tmpdir(), 'vgw-example-')), 'ledger.db'),
  config: {
    providers: {
      deepgram: { api_key: 'dg-example', base_url: deepgram.baseUrl },
      whisper: { base_url: whisper.baseURL },
    },
    projects: {
      callcenter: {
        name: 'Call center',
        daily_budget: 0.0001, // a tenth of a cent, so the first call exhausts it
        budget_action: 'throttle',
        fallbacks: { stt: ['local/whisper-large-v3'] },
      },
    },
  },
});

async function call(n: number): Promise<void> {
  const model = new inference.STT('deepgram/nova-3', { gateway: gw, project: 'callcenter' });
  const stream = model.stream();
  for (const frame of sineFrames(2)) stream.pushFrame(frame);
  stream.endInput();
  for await (const ev of stream) {
    if (ev.type === stt.SpeechEventType.FINAL_TRANSCRIPT) console.log(`call ${n}: "${ev.alternatives?.[0]?.text}"`);
  }
  await gw.drain();
  const status = await gw.budgetStatus('callcenter');
  const [row] = await gw.reports.logs({ project: 'callcenter', limit: 1 });
  console.log(`  served by ${row!.provider}/${row!.model}, cost $${row!.costUsd}, throttle=${row!.throttle ?? 'none'}; budget ${status.status} ($${status.spentUsd} / $${status.budgetUsd})`);
}

await call(1); // under budget: Deepgram
await call(2); // over budget, throttle: local Whisper, $0
await gw.close();
await Promise.all([deepgram.close(), whisper.close()]);
await dispose();
