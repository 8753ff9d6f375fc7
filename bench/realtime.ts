/**
 * RT: what inference.RealtimeModel adds to time to first audio, against the raw
 * openai.realtime.RealtimeModel, both connected to the same OpenAI Realtime mock (no artificial
 * delays), interleaved A/B/B/A. One session per side; each sample is generateReply() → the first
 * audio frame of the response, read to its end (so the drop-in's ledger row is written). The
 * drop-in runs with guardrails (pii+financial redact: the output transcript is scanned) and a budget.
 * `--provider google`: the same against the raw google.realtime.RealtimeModel on the Google mock's
 * Gemini Live conversations (the drop-in's connection guard parses each server message once more).
 *
 *   npx tsx bench/realtime.ts [--pairs 500] [--warmup 50] [--provider openai|google]
 */
import type { llm } from '@livekit/agents';
import * as google from '@livekit/agents-plugin-google';
import * as openai from '@livekit/agents-plugin-openai';
import { inference } from '../src/index.js';
import { startMockGoogle, startMockOpenAIRealtime } from '../src/testing/index.js';
import { argNumber, argString } from './lib/args.js';
import { openBenchGateway } from './lib/gateway.js';
import { quietLogs, RAW_KEYS, REPLY } from './lib/setup.js';
import { compare } from './lib/stats.js';

const PAIRS = argNumber('pairs', 500);
const WARMUP = argNumber('warmup', 50);

const PROVIDER = argString('provider', 'openai');
const GEMINI = 'gemini-2.5-flash-native-audio-preview-12-2025';

quietLogs();
const mock = PROVIDER === 'google' ? await startMockGoogle({ conversation: { replies: [REPLY] } }) : await startMockOpenAIRealtime({ replies: [REPLY] });
const { gw, close } = await openBenchGateway({ openai: mock.baseURL, deepgram: mock.baseURL, cartesia: mock.baseURL });
const opts = { turnDetection: null, inputAudioTranscription: null };
const gopts = { instructions: 'You book tables.' }; // the model's own instructions: no reconnect when the session sets them
const dropIn =
  PROVIDER === 'google'
    ? new inference.RealtimeModel(`google/${GEMINI}`, { gateway: gw, project: 'bench', baseURL: mock.baseURL, apiKey: 'goog-bench', modelOptions: gopts, fallback: [] })
    : new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw, project: 'bench', baseURL: mock.baseURL, apiKey: RAW_KEYS.openai, modelOptions: opts, fallback: [] });
const raw =
  PROVIDER === 'google'
    ? new google.realtime.RealtimeModel({ model: GEMINI, apiKey: 'goog-bench', httpOptions: { baseUrl: mock.baseURL }, ...gopts })
    : new openai.realtime.RealtimeModel({ model: 'gpt-realtime', apiKey: RAW_KEYS.openai, baseURL: mock.baseURL, ...opts });
const sessions = { dropIn: dropIn.session(), raw: raw.session() };
const errors = { dropIn: 0, raw: 0 };
for (const [side, s] of Object.entries(sessions)) s.on('error', () => errors[side as keyof typeof errors]++);

/** ms from generateReply() to the first audio frame; the response is read to its end */
async function firstAudio(s: llm.RealtimeSession): Promise<number> {
  const t0 = performance.now();
  const ev = await s.generateReply();
  let first = -1;
  for await (const msg of ev.messageStream) {
    const text = (async () => {
      for await (const _ of msg.textStream);
    })();
    for await (const _ of msg.audioStream) if (first < 0) first = performance.now() - t0;
    await text;
  }
  return first;
}

async function pair(i: number): Promise<[number, number]> {
  if (i % 2 === 0) {
    const x = await firstAudio(sessions.dropIn);
    return [x, await firstAudio(sessions.raw)];
  }
  const y = await firstAudio(sessions.raw);
  return [await firstAudio(sessions.dropIn), y];
}

for (let i = 0; i < WARMUP; i++) await pair(i);
const a: number[] = [];
const b: number[] = [];
for (let i = 0; i < PAIRS; i++) {
  const [x, y] = await pair(i);
  await gw.drain();
  if (x >= 0 && y >= 0) a.push(x), b.push(y);
}
const result = {
  bench: 'realtime',
  provider: PROVIDER,
  what: 'time to first audio: generateReply() → first audio frame of the response (one session per side, same mock)',
  dropInSetup: 'guardrails pii+financial redact (output transcript scanned), daily budget, SQLite ledger',
  pairs: PAIRS,
  warmup: WARMUP,
  ...compare(a, b),
  rows: (await gw.ledger.logs({ project: 'bench', modality: 'realtime', limit: 1 })).length,
  errors,
};
// the raw Google plugin logs its own close as an error (code 1005) on stdout, before the JSON: left open (the process exits)
await Promise.all([sessions.dropIn.close(), PROVIDER === 'google' ? null : sessions.raw.close()]);
await close();
await mock.close();
console.log(JSON.stringify(result, null, 2));
process.exit(0);
