import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { startMockOpenAI, type MockOpenAI } from '../../src/testing/index.js';
import { call, connectStdio, makeWorkspace, SECRETS, seedLedger, structured, textOf, type StdioSession } from './helpers.js';

interface Probe {
  ok: boolean;
  model: string;
  modality: string;
  project: string;
  latencyMs: number;
  ttfbMs: number | null;
  sample: string | null;
  error: string | null;
}

let mock: MockOpenAI;
let gw: Gateway;
let s: StdioSession;

beforeAll(async () => {
  mock = await startMockOpenAI({ reply: 'ok' });
  const ws = makeWorkspace({ openaiBaseURL: mock.baseURL });
  gw = await seedLedger(ws);
  s = await connectStdio(ws);
});

afterAll(async () => {
  await s?.close();
  await gw?.close();
  await mock?.close();
});

beforeEach(() => {
  mock.heal();
  mock.reset();
});

describe('test_provider: one tiny real request through the drop-ins', () => {
  it('LLM: answers, with latency, metered under the project, with the project key', async () => {
    const res = await call(s.client, 'test_provider', { model: 'openai/gpt-4.1-mini' });
    const r = structured<Probe>(res);
    expect(r).toMatchObject({ ok: true, modality: 'llm', project: 'support', sample: 'ok', error: null });
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.ttfbMs).not.toBeNull();
    expect(r.ttfbMs!).toBeLessThanOrEqual(r.latencyMs);
    expect(textOf(res)).toMatch(/openai\/gpt-4\.1-mini \(llm\) answered in \d+ ms/);
    const chats = mock.requests.filter((q) => q.path === '/v1/chat/completions');
    expect(chats).toHaveLength(1);
    expect(chats[0]!.headers.authorization).toBe(`Bearer ${SECRETS.projectOpenai}`);
    const rows = await gw.reports.logs({ project: 'support', modality: 'llm', limit: 1 });
    expect(rows[0]).toMatchObject({ provider: 'openai', model: 'gpt-4.1-mini', status: 'success' });
    const audit = await gw.ledger.auditLog({ limit: 5 });
    expect(audit.find((a) => a.action === 'provider.test')).toMatchObject({ source: 'mcp', target: 'openai/gpt-4.1-mini' });
  });

  it('LLM: a provider answering 500 is reported as the error, once, without retries', async () => {
    mock.fail({ kind: 'status', status: 500 });
    const res = await call(s.client, 'test_provider', { model: 'openai/gpt-4.1-mini', project: 'dev' });
    expect(res.isError).toBeFalsy();
    const r = structured<Probe>(res);
    expect(r).toMatchObject({ ok: false, project: 'dev', sample: null });
    expect(r.error).toMatch(/500/);
    expect(textOf(res)).toMatch(/failed after \d+ ms/);
    expect(mock.requests.filter((q) => q.path === '/v1/chat/completions')).toHaveLength(1);
    const rows = await gw.reports.logs({ project: 'dev', limit: 1 });
    expect(rows[0]).toMatchObject({ provider: 'openai', status: 'error' });
  });

  it('TTS: one word synthesized', async () => {
    const r = structured<Probe>(await call(s.client, 'test_provider', { model: 'openai/tts-1:alloy' }));
    expect(r).toMatchObject({ ok: true, modality: 'tts' });
    expect(r.sample).toMatch(/^[1-9]\d* ms of audio$/);
    expect(mock.requests.filter((q) => q.path === '/v1/audio/speech')).toHaveLength(1);
  });

  it('STT: half a second of tone transcribed', async () => {
    const r = structured<Probe>(await call(s.client, 'test_provider', { model: 'openai/whisper-1' }));
    expect(r).toMatchObject({ ok: true, modality: 'stt', sample: 'transcript: "hello from the mock transcriber"' });
    const upload = mock.requests.find((q) => q.path === '/v1/audio/transcriptions');
    expect(upload?.audioBytes).toBeGreaterThan(16000);
  });

  it('a provider without a key, an unknown provider and an ambiguous model are tool errors that say why', async () => {
    const nokey = await call(s.client, 'test_provider', { model: 'groq/llama-3.1-8b-instant' });
    expect(nokey.isError).toBe(true);
    expect(textOf(nokey)).toMatch(/No API key for provider 'groq'/);
    const unknown = await call(s.client, 'test_provider', { model: 'acme/thing' });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/Unknown provider 'acme'/);
    const ambiguous = await call(s.client, 'test_provider', { model: 'openai/not-a-known-model' });
    expect(ambiguous.isError).toBe(true);
    expect(textOf(ambiguous)).toMatch(/pass modality/);
    const project = await call(s.client, 'test_provider', { model: 'openai/gpt-4.1-mini', project: 'nope' });
    expect(project.isError).toBe(true);
    expect(mock.requests).toHaveLength(0);
  });

  it('LiveKit plugins wrote nothing to stdout: every line the client read was protocol', () => {
    expect(s.protocolErrors()).toEqual([]);
  });
});
