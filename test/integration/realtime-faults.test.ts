import { voice } from '@livekit/agents';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { type MockOpenAIRealtime, startMockOpenAIRealtime } from '../../src/testing/index.js';
import { speak, startSession } from '../helpers/realtime.js';
import { waitFor } from '../helpers/session.js';
import { openGateway } from '../helpers/stack.js';

let mock: MockOpenAIRealtime;
let gw: Gateway;
let project = 0;

/** Unhandled rejections and uncaught exceptions while a test runs (vitest's config lets LiveKit API errors pass). */
const escaped: unknown[] = [];
const onEscape = (e: unknown) => escaped.push(e);

beforeAll(async () => {
  mock = await startMockOpenAIRealtime({ replies: ['Hello, how can I help you today?', 'Your order ships tomorrow.'], transcripts: ['hi there', 'where is my order'] });
  const projects = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, { name: `Faults ${i}` }]));
  gw = await openGateway({ providers: { openai: { api_key: 'sk-test-openai', base_url: mock.baseURL } }, projects, default_project: 'f0' });
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
});
beforeEach(() => {
  escaped.length = 0;
  project++;
});
afterEach(() => mock.reset());
afterAll(async () => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
  await gw?.close();
  await mock?.close();
});

function open(opts: ConstructorParameters<typeof inference.RealtimeModel>[1] = {}) {
  const model = new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw, project: `f${project}`, fallback: [], ...opts });
  return { model, ...startSession(model) };
}

const rows = async () => (await gw.ledger.logs({ project: `f${project}`, modality: 'realtime', limit: 20 })).reverse().filter((r) => !r.model.includes('transcribe'));

describe('realtime faults: the call is not frozen, the failure is surfaced, a ledger row exists, nothing escapes', () => {
  it('stall at connect: the next realtime model takes over after the connect timeout', async () => {
    mock.fail({ fault: { kind: 'stall' }, times: 1 });
    const { session, mic, items, errors, model } = open({ fallback: ['openai/gpt-realtime-mini'], modelOptions: { connOptions: { timeoutMs: 500, maxRetry: 0, retryIntervalMs: 100 } } });
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await speak(mic);
    await waitFor(() => items.some((i) => i.startsWith('assistant')), 10_000, 'an answer from the fallback');
    expect(model.model).toBe('gpt-realtime-mini');
    expect(errors).toEqual([]);
    await session.close();
    await gw.drain();
    const r = await rows();
    expect(r.map((x) => [x.model, x.status])).toEqual([
      ['gpt-realtime', 'error'],
      ['gpt-realtime-mini', 'success'],
    ]);
    expect(r[0]!.error).toContain('no connection within 500 ms');
    expect(escaped).toEqual([]);
  });

  it('stall mid-response (no events): reported after stallTimeoutMs, the connection restarted, the answer ends; the next turn is answered', async () => {
    mock.fail({ fault: { kind: 'stall', afterChunks: 2 }, times: 1 });
    const { session, mic, items, errors } = open({ stallTimeoutMs: 1000 });
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await speak(mic);
    await waitFor(() => errors.length > 0, 10_000, 'the stall to be reported');
    expect(errors[0]!.error.name).toBe('APITimeoutError');
    expect(errors[0]!.error.message).toContain('no event from openai/gpt-realtime for 1000 ms');
    await waitFor(() => mock.requests.length === 2, 10_000, 'the plugin to reconnect');
    await speak(mic);
    await waitFor(() => mock.usage.length === 1, 10_000, 'an answer on the new connection');
    await waitFor(() => items.filter((i) => i.startsWith('assistant')).length >= 1, 5000, 'the answer in the history');
    await session.close();
    await gw.drain();
    const r = await rows();
    expect(r.map((x) => x.status)).toEqual(['error', 'success']);
    expect(r[0]!.error).toContain('provider stalled mid-response');
    expect(escaped).toEqual([]);
  });

  it('malformed JSON event: skipped and reported (the raw plugin throws it as an uncaught exception and the answer never ends); the answer completes', async () => {
    mock.fail({ fault: { kind: 'malformed' }, times: 1 });
    const { session, mic, items, errors } = open();
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await speak(mic);
    await waitFor(() => mock.usage.length === 1, 10_000, 'the response');
    await waitFor(() => items.some((i) => i.startsWith('assistant')), 5000, 'the answer in the history');
    expect(errors.map((e) => e.error.message)).toEqual([expect.stringContaining('a server event could not be read and was skipped')]);
    await session.close();
    await gw.drain();
    const r = await rows();
    expect(r.map((x) => x.status).sort()).toEqual(['error', 'success']);
    expect(r.find((x) => x.status === 'error')!.error).toContain('could not be read');
    expect(r.find((x) => x.status === 'success')!.inputUnits).toBe(mock.usage[0]!.input_tokens);
    expect(escaped).toEqual([]);
  });

  it('error event from the server: surfaced as a recoverable error and an error row; the session goes on', async () => {
    const { session, mic, items, errors } = open();
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await waitFor(() => mock.requests.length === 1, 10_000, 'the connection');
    await waitFor(() => (mock.requests[0]!.messages ?? []).length > 0, 10_000, 'the session update');
    mock.serverError('server_error', 'The server had an error while processing your request.');
    await waitFor(() => errors.length > 0, 10_000, 'the error event');
    expect(errors[0]!.error.message).toBe('The server had an error while processing your request.');
    await speak(mic);
    await waitFor(() => items.some((i) => i.startsWith('assistant')), 10_000, 'an answer after the error');
    await session.close();
    await gw.drain();
    const r = await rows();
    expect(r.map((x) => [x.status, x.error])).toEqual([
      ['error', 'provider error event: The server had an error while processing your request.'],
      ['success', null],
    ]);
    expect(escaped).toEqual([]);
  });

  it('a fatal error event (insufficient_quota): the session ends with the error, an error row', async () => {
    const { session, errors, closed } = open();
    await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
    await waitFor(() => (mock.requests[0]?.messages ?? []).length > 0, 10_000, 'the connection');
    mock.serverError('insufficient_quota', 'You exceeded your current quota.');
    await waitFor(closed, 10_000, 'the session to end');
    expect(errors.some((e) => e.error.message === 'You exceeded your current quota.')).toBe(true);
    await session.close();
    await gw.drain();
    const r = await rows();
    expect(r.some((x) => x.status === 'error' && x.error === 'provider error event: You exceeded your current quota.')).toBe(true);
    expect(escaped).toEqual([]);
  });
});
