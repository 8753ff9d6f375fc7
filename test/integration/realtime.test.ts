import { llm, voice } from '@livekit/agents';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { type MockOpenAIRealtime, type RealtimeUsage, startMockOpenAIRealtime } from '../../src/testing/index.js';
import { expectedRealtimeNanos, speak, startSession } from '../helpers/realtime.js';
import { waitFor } from '../helpers/session.js';
import { openGateway } from '../helpers/stack.js';

let mock: MockOpenAIRealtime;
let gw: Gateway;

beforeAll(async () => {
  mock = await startMockOpenAIRealtime({ replies: ['Hello, how can I help you today?', 'Your order ships tomorrow.'], transcripts: ['hi there', 'where is my order'] });
  gw = await openGateway({
    providers: { openai: { api_key: 'sk-test-openai', base_url: mock.baseURL } },
    projects: { voice: { name: 'Voice' }, capped: { name: 'Capped', daily_budget: 0.000001, budget_action: 'block' } },
    default_project: 'voice',
  });
});
afterEach(() => mock.reset());
afterAll(async () => {
  await gw?.close();
  await mock?.close();
});

/** What the catalog rate makes of one response's usage, in integer nano-USD (half up, once). */
function expectedNanos(u: RealtimeUsage, model = 'openai/gpt-realtime'): number {
  const i = u.input_token_details;
  const cached = i.cached_tokens_details;
  return expectedRealtimeNanos(gw, model, { text: i.text_tokens, cachedText: cached.text_tokens, audio: i.audio_tokens, cachedAudio: cached.audio_tokens, textOut: u.output_token_details.text_tokens, audioOut: u.output_token_details.audio_tokens });
}

describe('inference.RealtimeModel in a voice.AgentSession against the OpenAI Realtime mock', () => {
  it('runs a scripted two-turn call; ledger rows reconcile with the plugin usage to the token; costs exact; session breakdown shows realtime', async () => {
    const model = new inference.RealtimeModel('openai/gpt-realtime:marin', { gateway: gw });
    expect(model).toBeInstanceOf(llm.RealtimeModel);
    const { session, mic, speaker, errors, items } = startSession(model);
    const plugin: { inputTokens: number; outputTokens: number }[] = [];
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
    expect(model.model).toBe('gpt-realtime');
    const sessionUpdate = mock.requests[0]!.messages!.find((m) => (m as { type: string }).type === 'session.update') as { session: { audio: { output: { voice: string } } } };
    expect(sessionUpdate.session.audio.output.voice).toBe('marin');
    await session.close();
    await gw.drain();

    const rows = (await gw.ledger.logs({ project: 'voice', limit: 50 })).filter((r) => r.modality === 'realtime').reverse();
    const responses = rows.filter((r) => r.model === 'gpt-realtime');
    const transcriptions = rows.filter((r) => r.model === 'gpt-4o-mini-transcribe');
    expect(mock.usage).toHaveLength(2);
    expect(responses.map((r) => [r.inputUnits, r.outputUnits, r.cachedUnits])).toEqual(mock.usage.map((u) => [u.input_tokens, u.output_tokens, u.input_token_details.cached_tokens]));
    expect(responses.map((r) => [r.inputUnits, r.outputUnits])).toEqual(plugin.map((m) => [m.inputTokens, m.outputTokens]));
    expect(mock.usage[1]!.input_token_details.cached_tokens).toBeGreaterThan(0); // turn 2 reads turn 1 from the cache
    expect(responses.map((r) => r.costNanos)).toEqual(mock.usage.map((u) => expectedNanos(u)));
    expect(responses.every((r) => r.pricingSource.startsWith('genai-prices@') && r.status === 'success' && r.sessionId === responses[0]!.sessionId)).toBe(true);
    expect(transcriptions.map((r) => [r.inputUnits, r.outputUnits])).toEqual(mock.transcriptionUsage.map((u) => (u.type === 'tokens' ? [u.input_tokens, u.output_tokens] : [])));
    expect(transcriptions.every((r) => r.costNanos! > 0)).toBe(true);

    const breakdown = await gw.reports.session(responses[0]!.sessionId!);
    const total = rows.reduce((n, r) => n + r.costNanos!, 0);
    expect(breakdown!.realtime).toBeCloseTo(total / 1e9, 12);
    expect(breakdown).toMatchObject({ stt: 0, llm: 0, tts: 0 });
    expect(breakdown!.total).toBe(breakdown!.realtime);
  });

  it('whisper-1 input transcription, billed by duration: an stt row of the seconds at its per-minute rate, in the session breakdown', async () => {
    const since = gw.clock();
    const model = new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw, modelOptions: { inputAudioTranscription: { model: 'whisper-1' } } });
    const { session, mic, items } = startSession(model);
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await speak(mic);
    await waitFor(() => items.some((i) => i.startsWith('assistant')), 10_000, 'an answer');
    await session.close();
    await gw.drain();
    expect(mock.transcriptionUsage).toEqual([{ type: 'duration', seconds: 0.7, model: 'whisper-1' }]);
    const rows = await gw.ledger.logs({ project: 'voice', from: since, limit: 10 });
    const stt = rows.filter((r) => r.modality === 'stt');
    expect(stt.map((r) => [r.provider, r.model, r.inputUnits, r.status])).toEqual([['openai', 'whisper-1', 0.7, 'success']]);
    expect(stt[0]!.costNanos).toBe(gw.prices.price('stt', 'openai', 'whisper-1', { inputUnits: 0.7, outputUnits: 0, cachedUnits: 0, batch: true }).costNanos);
    expect(stt[0]!.costNanos).toBe(70_000); // $0.006 a minute
    const breakdown = await gw.reports.session(stt[0]!.sessionId!);
    expect(breakdown!.stt).toBeCloseTo(0.00007, 12);
    expect(breakdown!.realtime).toBeGreaterThan(0);
  });

  it('falls back to the next realtime model when the first one fails to connect (HTTP 500), before the caller hears anything', async () => {
    mock.fail({ fault: { kind: 'status', status: 500 }, times: 1 });
    const model = new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw, fallback: ['openai/gpt-realtime-mini'] });
    const { session, mic, errors, items } = startSession(model);
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await speak(mic);
    await waitFor(() => items.some((i) => i.startsWith('assistant')), 10_000, 'an answer from the fallback');
    expect(model.model).toBe('gpt-realtime-mini');
    expect(mock.requests.map((r) => [r.query.model, r.fault ?? null])).toEqual([
      ['gpt-realtime', 'status'],
      ['gpt-realtime-mini', null],
    ]);
    expect(errors).toEqual([]);
    await session.close();
    await gw.drain();
    const rows = await gw.ledger.logs({ project: 'voice', limit: 10 });
    const failed = rows.find((r) => r.status === 'error' && r.model === 'gpt-realtime')!;
    expect(failed.error).toContain('500');
    expect(rows.some((r) => r.model === 'gpt-realtime-mini' && r.status === 'success' && r.costNanos! > 0)).toBe(true);
  });

  it('a refused connection with nothing to fall back to ends the session with an error (the raw plugin crashes the process)', async () => {
    mock.fail({ kind: 'refuse' });
    const model = new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw, fallback: [] });
    const { session, errors } = startSession(model);
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await waitFor(() => errors.length > 0, 10_000, 'the failure to surface');
    expect(errors.map((e) => e.error.name)).toEqual(['FallbackExhaustedError']);
    expect(errors[0]!.error.message).toMatch(/ECONNREFUSED/);
    await session.close();
    mock.heal();
  });

  it('a connection dropped mid-response: the plugin reconnects, the lost response is an error row, the next turn is metered', async () => {
    const since = gw.clock();
    mock.fail({ fault: { kind: 'drop', afterChunks: 2 }, times: 1 });
    const model = new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw, fallback: [] });
    const { session, mic } = startSession(model);
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await speak(mic);
    await waitFor(() => mock.requests.length === 2, 10_000, 'the plugin to reconnect');
    await speak(mic);
    await waitFor(() => mock.usage.length === 1, 10_000, 'a response on the new connection');
    await session.close();
    await gw.drain();
    const rows = (await gw.ledger.logs({ project: 'voice', modality: 'realtime', from: since, limit: 10 })).filter((r) => r.model === 'gpt-realtime');
    expect(rows.map((r) => r.status).sort()).toEqual(['error', 'success']);
    expect(rows.find((r) => r.status === 'error')!.error).toContain('connection lost mid-response');
    expect(rows.find((r) => r.status === 'success')!.inputUnits).toBe(mock.usage[0]!.input_tokens);
  });

  it('budget block refuses a new session: a blocked row, and the session ends with BudgetExceededError', async () => {
    await gw.ledger.record({ id: 'spent', ts: gw.clock(), project: 'capped', sessionId: null, modality: 'llm', provider: 'openai', model: 'gpt-4.1-mini', inputUnits: 1, outputUnits: 1, cachedUnits: 0, costNanos: 5_000, pricingSource: 'test', ttfbMs: null, latencyMs: null, status: 'success', fallbackFrom: null, error: null, throttle: null, guardrailFindings: 0 });
    gw.budget.invalidate('capped');
    const model = new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw, project: 'capped' });
    const { session, errors } = startSession(model);
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await waitFor(() => errors.length > 0, 10_000, 'the refusal');
    expect(errors[0]!.error.name).toBe('BudgetExceededError');
    await session.close();
    expect(mock.requests).toHaveLength(0); // never connected
    await gw.drain();
    const rows = await gw.ledger.logs({ project: 'capped', modality: 'realtime', limit: 5 });
    expect(rows.map((r) => r.status)).toEqual(['blocked']);
  });
});

describe('guardrails on a realtime session', () => {
  it("output: a pii finding in the model's streaming transcript cancels the response before the rest is spoken, with an audit event", async () => {
    const paced = await startMockOpenAIRealtime({ replies: ['Sure, write to john.doe@example.com and we will answer within a day or two, thanks.'], wordIntervalMs: 15 });
    const g = await openGateway({
      providers: { openai: { api_key: 'sk-test-openai', base_url: paced.baseURL } },
      projects: { guarded: { name: 'Guarded', guardrails: { enabled: true, categories: { pii: 'redact' } } } },
      default_project: 'guarded',
    });
    try {
      const model = new inference.RealtimeModel('openai/gpt-realtime', { gateway: g });
      const { session, mic, items } = startSession(model);
      await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
      await speak(mic);
      await waitFor(() => paced.usage.length === 1, 10_000, 'the response to end');
      expect(paced.cancelled).toHaveLength(1); // response.cancel reached the provider
      expect(paced.usage[0]!.output_token_details.audio_tokens).toBeLessThan(Math.ceil(1.6 * 20)); // fewer than all 16 words
      await waitFor(() => items.some((i) => i.startsWith('assistant')), 5000, 'the answer in the history');
      expect(items.find((i) => i.startsWith('assistant'))).not.toContain('answer within');
      await session.close();
      await g.drain();
      const events = await g.ledger.guardrailEvents({ project: 'guarded', limit: 5 });
      expect(events.map((e) => [e.category, e.direction])).toContainEqual(['pii', 'out']);
      expect(events.every((e) => !e.excerpt.includes('john.doe@example.com'))).toBe(true);
      const rows = await g.ledger.logs({ project: 'guarded', modality: 'realtime', limit: 5 });
      expect(rows.find((r) => r.model === 'gpt-realtime')!.status).toBe('cancelled');
    } finally {
      await g.close();
      await paced.close();
    }
  });
});
