import { llm, voice } from '@livekit/agents';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { type Fault, type GeminiLiveUsage, type MockGoogle, startMockGoogle } from '../../src/testing/index.js';
import { expectedRealtimeNanos, speak, startSession } from '../helpers/realtime.js';
import { waitFor } from '../helpers/session.js';
import { openGateway } from '../helpers/stack.js';

// inference.RealtimeModel('google/<live model>') over the real google.realtime.RealtimeModel and
// real WebSockets, against the Google mock's Gemini Live conversations.

const MODEL = 'gemini-2.5-flash-native-audio-preview-12-2025';
let mock: MockGoogle;
let gw: Gateway;
let project = 0;

/** Unhandled rejections and uncaught exceptions while a test runs (vitest's config lets LiveKit API errors pass). */
const escaped: unknown[] = [];
const onEscape = (e: unknown) => escaped.push(e);

beforeAll(async () => {
  mock = await startMockGoogle({ conversation: { replies: ['Hello, how can I help you today?', 'Your order ships tomorrow.'], transcripts: ['hi there', 'where is my order'], cachedPrompt: true } });
  const projects = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`g${i}`, { name: `Gemini ${i}` }]));
  gw = await openGateway({
    providers: { google: { api_key: 'goog-test', base_url: mock.baseURL } },
    projects,
    default_project: 'g0',
  });
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
});
beforeEach(() => {
  escaped.length = 0;
  project++;
  gw.health.ok(`google/${MODEL}`); // a connect failure cools the model down for the next sessions
});
afterEach(() => mock.reset());
afterAll(async () => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
  await gw?.close();
  await mock?.close();
});

/**
 * The plugin connects as soon as the session exists; instructions set after that (AgentSession sets
 * the agent's) reopen the connection unless the model already had them. Tests that aim a fault at
 * the connection that answers give the model the agent's instructions ('Be brief.'): one connection.
 */
function open(opts: ConstructorParameters<typeof inference.RealtimeModel>[1] = {}, model = `google/${MODEL}`) {
  const m = new inference.RealtimeModel(model, { gateway: gw, project: `g${project}`, fallback: [], ...opts, modelOptions: { instructions: 'Be brief.', ...opts.modelOptions } });
  return { model: m, ...startSession(m) };
}

const rows = async () => (await gw.ledger.logs({ project: `g${project}`, modality: 'realtime', limit: 20 })).reverse();

/** The catalog's price of one usageMetadata, each kind of token at its rate. */
function expectedNanos(u: GeminiLiveUsage, model = `google/${MODEL}`): number {
  const of = (d: GeminiLiveUsage['promptTokensDetails'] | undefined, m: string) => d?.find((x) => x.modality === m)?.tokenCount ?? 0;
  return expectedRealtimeNanos(gw, model, {
    text: of(u.promptTokensDetails, 'TEXT'),
    cachedText: of(u.cacheTokensDetails, 'TEXT'),
    audio: of(u.promptTokensDetails, 'AUDIO'),
    cachedAudio: of(u.cacheTokensDetails, 'AUDIO'),
    textOut: 0,
    audioOut: of(u.responseTokensDetails, 'AUDIO'),
  });
}

describe("inference.RealtimeModel('google/…') in a voice.AgentSession against the Gemini Live mock", () => {
  it('runs a scripted two-turn call; rows reconcile with the plugin usage to the token; costs exact; session breakdown shows realtime', async () => {
    const { model, session, mic, speaker, errors, items } = open({}, `google/${MODEL}:Kore`);
    expect(model).toBeInstanceOf(llm.RealtimeModel);
    expect(model.capabilities).toMatchObject({ messageTruncation: false, autoToolReplyGeneration: true, userTranscription: true, audioOutput: true });
    const plugin: { inputTokens: number; outputTokens: number; inputTokenDetails: { cachedTokens: number } }[] = [];
    session.on(voice.AgentSessionEventTypes.MetricsCollected, (ev) => {
      if (ev.metrics.type === 'realtime_model_metrics') plugin.push(ev.metrics);
    });
    await session.start({ agent: new voice.Agent({ instructions: 'You are a shop assistant.' }) });
    await speak(mic);
    await waitFor(() => plugin.length >= 1, 10_000, 'first response');
    await speak(mic);
    await waitFor(() => plugin.length >= 2, 10_000, 'second response');
    await waitFor(() => items.filter((i) => i.startsWith('assistant')).length >= 2, 5000, 'two answers in the conversation');
    expect(items).toEqual(['user: hi there', 'assistant: Hello, how can I help you today?', 'user: where is my order', 'assistant: Your order ships tomorrow.']);
    expect(speaker.frames).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect([model.provider, model.model]).toEqual(['google', MODEL]);
    const live = mock.liveSessions[0]!;
    expect(live.setup).toMatchObject({ model: `models/${MODEL}`, generationConfig: { speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Kore' } } } } });
    expect(mock.requests[0]!.query.key).toBe('goog-test'); // providers.google.api_key, to providers.google.base_url
    await session.close();
    await gw.drain();

    const r = await rows();
    expect(mock.liveUsage).toHaveLength(2);
    expect(r.map((x) => [x.inputUnits, x.outputUnits, x.cachedUnits])).toEqual(mock.liveUsage.map((u) => [u.promptTokenCount, u.responseTokenCount, u.cachedContentTokenCount ?? 0]));
    expect(r.map((x) => [x.inputUnits, x.outputUnits, x.cachedUnits])).toEqual(plugin.map((m) => [m.inputTokens, m.outputTokens, m.inputTokenDetails.cachedTokens]));
    expect(mock.liveUsage[1]!.cachedContentTokenCount).toBeGreaterThan(0); // turn 2 re-reads turn 1
    expect(r.map((x) => x.costNanos)).toEqual(mock.liveUsage.map((u) => expectedNanos(u)));
    expect(r.every((x) => x.pricingSource.startsWith('genai-prices@') && x.status === 'success' && x.provider === 'google' && x.sessionId === r[0]!.sessionId)).toBe(true);
    // audio in at $3 / 1M, out at $12 / 1M, text in at $0.50 / 1M (genai-prices: gemini-live-2.5-flash)
    const e = gw.prices.lookup('realtime', `google/${MODEL}`)!;
    expect([e.inputNanos, e.outputNanos, e.audio!.input, e.audio!.output]).toEqual([500_000_000, 2_000_000_000, 3_000_000_000, 12_000_000_000]);

    const breakdown = await gw.reports.session(r[0]!.sessionId!);
    const total = r.reduce((n, x) => n + x.costNanos!, 0);
    expect(breakdown!.realtime).toBeCloseTo(total / 1e9, 12);
    expect(breakdown).toMatchObject({ stt: 0, llm: 0, tts: 0 });
    expect(breakdown!.total).toBe(breakdown!.realtime);
    expect(escaped).toEqual([]);
  });
});

describe('Gemini Live faults: fallback before the caller hears anything, nothing escapes', () => {
  const answered = (items: string[]) => items.some((i) => i.startsWith('assistant'));

  /** The primary fails once with `fault`; the fallback answers the caller with no error reaching the session. Returns the rows. */
  async function fallsOver(fault: Fault, modelOptions?: Record<string, unknown>) {
    mock.fail({ fault, times: 1 });
    const { session, mic, items, errors, model } = open({ fallback: ['google/gemini-3.1-flash-live-preview'], ...(modelOptions ? { modelOptions } : {}) });
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await speak(mic);
    await waitFor(() => answered(items), 10_000, 'an answer from the fallback');
    expect(model.model).toBe('gemini-3.1-flash-live-preview');
    expect(errors).toEqual([]);
    await session.close();
    await gw.drain();
    return rows();
  }

  for (const [name, fault, error] of [
    ['refused', { kind: 'refuse' } as const, /ECONNREFUSED|socket hang up|ECONNRESET/],
    ['closed with 1011 at connect (a 500)', { kind: 'status', status: 500, message: 'Internal error encountered.' } as const, /Internal error encountered\. \(close code 1011\)/],
    ['HTTP 503 on the upgrade', { kind: 'status', status: 503 } as const, /Gemini Live: HTTP 503 on connect/],
  ] as const) {
    it(`${name}: the next realtime model takes over; an error row for the failed one`, async () => {
      const r = await fallsOver(fault);
      expect(r.map((x) => [x.model, x.status])).toEqual([
        [MODEL, 'error'],
        ['gemini-3.1-flash-live-preview', 'success'],
      ]);
      expect(r[0]!.error).toMatch(error);
      expect(r[1]!.costNanos).toBe(expectedNanos(mock.liveUsage[0]!, 'google/gemini-3.1-flash-live-preview'));
      expect(escaped).toEqual([]);
      mock.heal();
    });
  }

  it('stall at connect: the fallback takes over after connOptions.timeoutMs', async () => {
    const r = await fallsOver({ kind: 'stall' }, { connOptions: { timeoutMs: 500, maxRetry: 0, retryIntervalMs: 100 } });
    expect(r[0]!.error).toContain('no connection within 500 ms');
    expect(escaped).toEqual([]);
  });

  it('every model refused: FallbackExhaustedError ends the session (the raw plugin waits forever)', async () => {
    mock.fail({ kind: 'refuse' });
    const { session, errors } = open();
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await waitFor(() => errors.length > 0, 10_000, 'the failure');
    expect(errors.map((e) => e.error.name)).toEqual(['FallbackExhaustedError']);
    await session.close();
    mock.heal();
    expect(escaped).toEqual([]);
  });

  it('dropped mid-response: the connection is reopened, the lost answer is an error row, the next turn is metered', async () => {
    mock.fail({ fault: { kind: 'drop', afterChunks: 2 }, times: 1 });
    const { session, mic, items, errors } = open();
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await speak(mic);
    await waitFor(() => mock.liveSessions.length === 2, 10_000, 'the reconnect');
    await speak(mic);
    await waitFor(() => mock.liveUsage.length === 1, 10_000, 'an answer on the new connection');
    await waitFor(() => items.filter((i) => i.startsWith('assistant')).length === 2, 5000, 'the cut answer and the next in the history');
    expect(items[1]).toBe('assistant: Hello, '); // the two words heard before the cut
    expect(errors).toEqual([]); // a reconnect the caller does not notice (a warning is logged)
    await session.close();
    await gw.drain();
    const r = await rows();
    expect(r.map((x) => x.status)).toEqual(['error', 'success']);
    expect(r[0]!.error).toContain('connection lost mid-response');
    expect(r[1]!.inputUnits).toBe(mock.liveUsage[0]!.promptTokenCount);
    expect(escaped).toEqual([]);
  });

  it('connection lost and every reconnect refused: the plugin retries as its connOptions say, then the session ends with the error', async () => {
    const { session, mic, items, errors, closed } = open({ modelOptions: { instructions: 'Be brief.', connOptions: { maxRetry: 2, retryIntervalMs: 50, timeoutMs: 1000 } } });
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await speak(mic);
    await waitFor(() => answered(items), 10_000, 'a first answer');
    mock.fail({ kind: 'refuse' }); // the listener closes: the open connection is cut, new ones refused
    await waitFor(closed, 10_000, 'the session to end');
    expect(errors.map((e) => [e.error.name, e.recoverable])).toEqual([['APIConnectionError', false]]);
    expect(errors[0]!.error.message).toMatch(/ECONNREFUSED/);
    await session.close();
    mock.heal();
    expect(escaped).toEqual([]);
  });

  it('malformed server message: skipped and reported (the raw plugin leaks an unhandled SyntaxError); the answer completes', async () => {
    mock.fail({ fault: { kind: 'malformed' }, times: 1 });
    const { session, mic, items, errors } = open();
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await speak(mic);
    await waitFor(() => mock.liveUsage.length === 1, 10_000, 'the response');
    await waitFor(() => answered(items), 5000, 'the answer in the history');
    expect(errors.map((e) => e.error.message)).toEqual([expect.stringContaining('a server message could not be read and was skipped')]);
    await session.close();
    await gw.drain();
    const r = await rows();
    expect(r.map((x) => x.status).sort()).toEqual(['error', 'success']);
    expect(r.find((x) => x.status === 'success')!.inputUnits).toBe(mock.liveUsage[0]!.promptTokenCount);
    expect(escaped).toEqual([]);
  });

  it('stall mid-response: reported after stallTimeoutMs, the connection reopened; the next turn is answered', async () => {
    mock.fail({ fault: { kind: 'stall', afterChunks: 2 }, times: 1 });
    const { session, mic, items, errors } = open({ stallTimeoutMs: 1000 });
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await speak(mic);
    await waitFor(() => errors.length > 0, 10_000, 'the stall to be reported');
    expect(errors[0]!.error.name).toBe('APITimeoutError');
    expect(errors[0]!.error.message).toContain(`Gemini Live: no event from google/${MODEL} for 1000 ms`);
    await waitFor(() => mock.liveSessions.length === 2, 10_000, 'the reconnect');
    await speak(mic);
    await waitFor(() => mock.liveUsage.length === 1, 10_000, 'an answer on the new connection');
    await waitFor(() => items.filter((i) => i.startsWith('assistant')).length === 2, 5000, 'the stalled answer and the next in the history');
    expect(errors).toHaveLength(1);
    await session.close();
    await gw.drain();
    const r = await rows();
    expect(r.map((x) => x.status)).toEqual(['error', 'success']);
    expect(r[0]!.error).toContain('provider stalled mid-response');
    expect(escaped).toEqual([]);
  });
});

describe('guardrails on a Gemini Live session', () => {
  it("output: a pii finding in the model's transcript stops the answer (audio and transcript) with an audit event; Gemini finishes the turn and bills it: a cancelled row at its usage", async () => {
    const paced = await startMockGoogle({ conversation: { replies: ['Sure, write to john.doe@example.com and we will answer within a day or two, thanks.'], wordIntervalMs: 40 } });
    const g = await openGateway({
      providers: { google: { api_key: 'goog-test', base_url: paced.baseURL } },
      projects: { guarded: { name: 'Guarded', guardrails: { enabled: true, categories: { pii: 'redact' } } } },
      default_project: 'guarded',
    });
    try {
      const model = new inference.RealtimeModel(`google/${MODEL}`, { gateway: g, modelOptions: { instructions: 'Be brief.' } });
      const { session, mic, items, speaker } = startSession(model);
      let reported = 0;
      session.on(voice.AgentSessionEventTypes.MetricsCollected, (ev) => void (ev.metrics.type === 'realtime_model_metrics' && reported++));
      await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
      await speak(mic);
      await waitFor(() => reported === 1, 10_000, 'the turn to end and its usage to reach the plugin');
      await waitFor(() => items.some((i) => i.startsWith('assistant')), 5000, 'the answer in the history');
      const answer = items.find((i) => i.startsWith('assistant'))!;
      expect(answer).not.toContain('answer within');
      expect(answer).not.toContain('john.doe');
      // the audio stopped with the transcript (what was buffered before the transcript revealed the address was heard)
      expect(speaker.samples / 24000).toBeLessThan(1.4);
      await session.close();
      await g.drain();
      const events = await g.ledger.guardrailEvents({ project: 'guarded', limit: 5 });
      expect(events.map((e) => [e.category, e.direction])).toContainEqual(['pii', 'out']);
      expect(events.every((e) => !e.excerpt.includes('john.doe@example.com'))).toBe(true);
      const r = await g.ledger.logs({ project: 'guarded', modality: 'realtime', limit: 5 });
      expect(r.map((x) => [x.status, x.outputUnits, x.guardrailFindings > 0])).toEqual([['cancelled', paced.liveUsage[0]!.responseTokenCount, true]]);
      expect(paced.liveUsage[0]!.responseTokenCount).toBe(Math.round(1.4 * 25)); // all 14 words were generated
    } finally {
      await g.close();
      await paced.close();
    }
  });
});

describe("guardrails on the caller's turn in a Gemini Live session", () => {
  it('block on a partial input transcript: the answer to that turn stops, the block message is spoken, a blocked row; the session goes on', async () => {
    const CARD = '4111 1111 1111 1111';
    const BLOCKED = 'I cannot take card details on this line.';
    const answer = 'Great, I will charge that card right now and send you a receipt by email today.';
    const paced = await startMockGoogle({ conversation: { transcripts: [`my card number is ${CARD}`, 'thanks'], replies: [answer, BLOCKED, 'You are welcome.'], wordIntervalMs: 25 } });
    const g = await openGateway({
      providers: { google: { api_key: 'goog-test', base_url: paced.baseURL } },
      projects: { 'guarded-in': { name: 'Guarded', guardrails: { enabled: true, categories: { financial: 'block' }, block_message: BLOCKED } } },
      default_project: 'guarded-in', // a project per test: drop-ins built in one async context share a session, which keeps the policy it first saw
    });
    try {
      const model = new inference.RealtimeModel(`google/${MODEL}`, { gateway: g, modelOptions: { instructions: 'Be brief.' } });
      const { session, mic, items, errors } = startSession(model);
      await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
      await speak(mic);
      await waitFor(() => items.includes(`assistant: ${BLOCKED}`), 10_000, 'the block message');
      expect(items.some((i) => i.includes('receipt'))).toBe(false);
      // the model was asked to say the policy's message (a model turn, then the plugin's '.' user turn)
      const asked = paced.requests[0]!.messages!.filter((x) => (x as { clientContent?: unknown }).clientContent) as { clientContent: { turns: { role: string; parts: { text: string }[] }[] } }[];
      expect(asked.at(-1)!.clientContent.turns[0]!.parts[0]!.text).toContain(BLOCKED);
      await speak(mic);
      await waitFor(() => items.includes('assistant: You are welcome.'), 10_000, 'the session to go on');
      expect(errors).toEqual([]);
      await session.close();
      await g.drain();
      const events = await g.ledger.guardrailEvents({ project: 'guarded-in', limit: 10 });
      expect(events.filter((e) => e.direction === 'in').map((e) => [e.category, e.action])).toEqual([['financial', 'block']]); // once, not per partial transcript
      expect(events.every((e) => !e.excerpt.includes(CARD))).toBe(true);
      const r = (await g.ledger.logs({ project: 'guarded-in', modality: 'realtime', limit: 10 })).reverse();
      expect(r.map((x) => x.status).sort()).toEqual(['blocked', 'cancelled', 'success', 'success']); // blocked and cancelled are written in either order
      expect(r.find((x) => x.status === 'blocked')!.error).toBe('guardrails: financial');
      expect(r.find((x) => x.status === 'cancelled')!.outputUnits).toBe(paced.liveUsage[0]!.responseTokenCount); // Gemini generated (and bills) the whole stopped answer
    } finally {
      await g.close();
      await paced.close();
    }
  });
});
