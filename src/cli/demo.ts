import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initializeLogger, llm, stt, tts } from '@livekit/agents';
import { ConfigError } from '../errors.js';
import { Gateway } from '../gateway.js';
import { inference } from '../index.js';
import type { LogEntry } from '../reports.js';
import { formatUsd } from '../money.js';
import { loadPlugin } from '../providers/plugins.js';
import { packageManifest } from '../version.js';
import { CliError } from './context.js';
import { sineFrames, startMockCartesia, startMockDeepgram, startMockOpenAI } from '../testing/index.js';

const say = (s = '') => process.stdout.write(`${s}\n`);

/**
 * `npm run demo`: a short scripted call through the drop-ins against the bundled mock providers
 * (no keys, no servers), printing what each component did and what it cost.
 */
export async function runDemo(opts: { keepLedger?: boolean } = {}): Promise<void> {
  await requirePlugins();
  initializeLogger({ pretty: false, level: 'error' });
  process.env.VOICEGW_LOG_LEVEL ??= 'error';
  const [openai, deepgram, cartesia] = await Promise.all([
    startMockOpenAI({ reply: (r) => answer(r.messages) }),
    startMockDeepgram({ transcript: 'I would like to check my order status' }),
    startMockCartesia(),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'voicegw-demo-'));
  const gw = await Gateway.open({
    dbPath: join(dir, 'ledger.db'),
    env: {},
    config: {
      providers: {
        openai: { api_key: 'sk-demo', base_url: openai.baseURL },
        groq: { api_key: 'gsk-demo', base_url: openai.baseURL },
        deepgram: { api_key: 'dg-demo', base_url: deepgram.baseUrl },
        cartesia: { api_key: 'ca-demo', base_url: cartesia.baseUrl },
      },
      default_project: 'support',
      projects: {
        support: {
          name: 'Customer Support',
          daily_budget: 5,
          tags: ['prod'],
          guardrails: { enabled: true, categories: { pii: 'redact', financial: 'redact', prompt_injection: 'block' } },
        },
        trial: { name: 'Free trial', daily_budget: 0.000001, budget_action: 'block', budget_block_message: 'Your free minutes are used up for today. Goodbye!' },
      },
      fallbacks: { llm: ['openai/gpt-4.1-mini', 'groq/llama-3.1-8b-instant'] },
      // one attempt per entry, so step 3's failure moves along the chain instead of retrying OpenAI
      routing: { retries: { max_attempts: 1 } },
    },
  });

  try {
    say(`voicegateway demo: mock Deepgram, OpenAI and Cartesia on 127.0.0.1, no keys; ledger ${gw.ledger.location}\n`);
    const sttModel = new inference.STT('deepgram/nova-3', { gateway: gw });
    const llmModel = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw });
    const ttsModel = new inference.TTS('cartesia/sonic-3', { gateway: gw });

    say('1. A voice turn: caller audio → STT → LLM → TTS');
    const heard = await listen(sttModel);
    const reply = await think(llmModel, heard);
    const audio = await speak(ttsModel, reply);
    await gw.drain();
    await show(gw, 3, `heard "${heard}", answered "${reply}", spoke ${audio.toFixed(2)} s of audio`);

    say('\n2. Guardrails: the caller reads out a card number');
    await think(llmModel, 'my card is four one one one one one one one one one one one one one one one');
    const sent = JSON.stringify(openai.requests.at(-1)?.body ?? {});
    say(`   the provider received: ${sent.includes('[CARD]') ? '"my card is [CARD]" (redacted)' : 'the raw number (guardrails off?)'}`);
    const events = await gw.ledger.guardrailEvents({ limit: 5 });
    for (const e of events) say(`   audit: ${e.category}/${e.detector} → ${e.action} (${e.direction}) "${e.excerpt}"`);

    say('\n3. Fallback: OpenAI answers 503, the same turn is served by Groq');
    openai.fail({ fault: { kind: 'status', status: 503 }, times: 1 });
    await think(llmModel, 'are you still there?');
    await gw.drain();
    const attempts = await show(gw, 2, 'two attempts, one answer: the caller heard no error');
    if (!attempts.some((r) => r.status === 'fallback')) throw new CliError('the demo\'s fallback step did not recover: see the attempts above');

    say('\n4. Budgets: a trial project over its daily budget answers with its block message');
    const trial = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: 'trial' });
    say(`   agent: "${await think(trial, 'hello?')}"`);
    say(`   agent: "${await think(trial, 'hello again?')}"`);
    await gw.drain();
    const status = await gw.budgetStatus('trial');
    say(`   trial: spent ${formatUsd(status.spentUsd)} of ${formatUsd(status.budgetUsd)} → ${status.status} (${status.action})`);

    say('\nCosts today by model');
    const costs = await gw.reports.costs({ period: 'today' });
    for (const b of costs.byModel) say(`   ${b.key.padEnd(28)} ${String(b.requests).padStart(3)} req  ${formatUsd(b.costUsd)}`);
    say(`   ${'total'.padEnd(28)} ${String(costs.requests).padStart(3)} req  ${formatUsd(costs.totalUsd)}`);
    const session = await gw.reports.session(llmModel.core.sessionId);
    if (session) say(`\nSession ${session.id}: stt ${formatUsd(session.stt)}, llm ${formatUsd(session.llm)}, tts ${formatUsd(session.tts)}, realtime ${formatUsd(session.realtime)}, total ${formatUsd(session.total)}`);
    say(`\nNext: npx voicegw init, then use inference.STT/LLM/TTS in your LiveKit worker (see examples/agent.ts).`);
  } finally {
    await gw.close();
    await Promise.all([openai.close(), deepgram.close(), cartesia.close()]);
    const { dispose } = await import('@livekit/rtc-node');
    await dispose();
  }
}

function answer(messages: unknown[]): string {
  const last = [...(messages as { role: string; content: string }[])].reverse().find((m) => m.role === 'user')?.content ?? '';
  if (/order/.test(last)) return 'Your order shipped yesterday and arrives on Friday.';
  if (/card/.test(last)) return 'Thanks, I have noted the card ending in 1111.';
  return 'Yes, I am here. How can I help?';
}

async function listen(model: inference.STT): Promise<string> {
  const stream = model.stream();
  for (const f of sineFrames(1.0)) stream.pushFrame(f);
  stream.endInput();
  let text = '';
  for await (const ev of stream) if (ev.type === stt.SpeechEventType.FINAL_TRANSCRIPT) text += ev.alternatives?.[0]?.text ?? '';
  return text;
}

async function think(model: inference.LLM, user: string): Promise<string> {
  const ctx = llm.ChatContext.empty();
  ctx.addMessage({ role: 'system', content: 'You are a helpful support agent.' });
  ctx.addMessage({ role: 'user', content: user });
  return (await model.chat({ chatCtx: ctx }).collect()).text;
}

async function speak(model: inference.TTS, text: string): Promise<number> {
  const stream = model.stream();
  stream.pushText(text);
  stream.endInput();
  let seconds = 0;
  for await (const a of stream) {
    if (a === tts.SynthesizeStream.END_OF_STREAM) break;
    seconds += a.frame.samplesPerChannel / a.frame.sampleRate;
  }
  return seconds;
}

async function show(gw: Gateway, n: number, summary: string): Promise<LogEntry[]> {
  const rows = (await gw.reports.logs({ limit: n })).reverse();
  for (const r of rows) say(`   ${row(r)}`);
  say(`   → ${summary}`);
  return rows;
}

const DEMO_PLUGINS = ['@livekit/agents-plugin-deepgram', '@livekit/agents-plugin-openai', '@livekit/agents-plugin-cartesia'];

/** The demo drives the real plugins: without them it fails up front (exit 1) with the whole install command. */
async function requirePlugins(): Promise<void> {
  const missing: string[] = [];
  for (const pkg of DEMO_PLUGINS) {
    await loadPlugin(pkg).catch((err: unknown) => {
      if (!(err instanceof ConfigError)) throw err;
      missing.push(pkg);
    });
  }
  if (missing.length === 0) return;
  const pinned = packageManifest().devDependencies;
  const specs = missing.map((p) => (pinned[p] ? `${p}@${pinned[p]}` : p)).join(' ');
  throw new CliError(
    `the demo needs the LiveKit plugins it drives; not installed: ${missing.join(', ')}. Install them with: npm install -E ${specs}` +
      (missing.includes('@livekit/agents-plugin-cartesia') ? ` (with "overrides": { "@livekit/agents": "$@livekit/agents" } in your package.json first: the Cartesia plugin pins agents 1.8.1)` : ''),
  );
}

function row(r: LogEntry): string {
  const units = r.modality === 'stt' ? `${r.inputUnits.toFixed(2)} s audio` : r.modality === 'llm' ? `${r.inputUnits}+${r.outputUnits} tokens` : `${r.inputUnits} chars`;
  const extra = r.fallbackFrom ? ` (fallback from ${r.fallbackFrom})` : r.error ? ` (${r.error})` : '';
  return `${r.modality.toUpperCase()} ${`${r.provider}/${r.model}`.padEnd(28)} ${units.padEnd(18)} ${formatUsd(r.costUsd).padStart(9)}  ${r.status}${extra}`;
}
