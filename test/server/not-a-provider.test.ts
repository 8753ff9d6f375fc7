import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PROVIDERS } from '../../src/providers/catalog.js';
import { configSchema } from '../../src/config/schema.js';
import { inference } from '../../src/index.js';
import { sineFrames } from '../../src/testing/index.js';
import { captureErrors, chatCtx, openGateway, transcribe } from '../helpers/stack.js';
import { type Running, serve, tempSetup, type TempSetup, TOKENS, yamlConfig } from './helpers.js';

describe('a provider base_url pointing at a voicegateway server', () => {
  let setup: TempSetup;
  let api: Running;

  beforeAll(async () => {
    // auth on: the provider client's own key must not turn into a misleading "invalid bearer token"
    setup = tempSetup(yamlConfig({ withAuth: true }));
    api = await serve(setup.configPath, {}, { dashboard: true });
  });
  afterAll(async () => {
    await api?.close();
    setup?.cleanup();
  });

  it('no local provider defaults to the port `voicegw serve` uses', () => {
    const gatewayPort = configSchema.parse({}).server.port;
    for (const spec of Object.values(BUILTIN_PROVIDERS)) {
      if (!spec.defaultBaseURL) continue;
      const url = new URL(spec.defaultBaseURL);
      if (url.hostname === 'localhost' || url.hostname === '127.0.0.1') expect(Number(url.port), spec.name).not.toBe(gatewayPort);
    }
  });

  it('is answered with a recognisable not_a_provider error on provider paths, before auth', async () => {
    for (const path of ['/v1/audio/transcriptions', '/v1/chat/completions', '/v1/audio/speech', '/v1/listen', '/tts/bytes']) {
      const res = await fetch(api.url + path, { method: 'POST', headers: { authorization: 'Bearer sk-provider-key', 'content-type': 'application/json' }, body: '{}' });
      expect(res.status, path).toBe(404);
      expect(res.headers.get('x-voicegateway')).toMatch(/^\d+\.\d+\.\d+/);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('not_a_provider');
      expect(body.error.message).toMatch(/This is a voicegateway server/);
    }
    // the API itself is unchanged
    expect((await fetch(`${api.url}/v1/status`, { headers: { authorization: `Bearer ${TOKENS.read}` } })).status).toBe(200);
  });

  it('makes the drop-in fail with a message saying so (LLM error event, STT error event, ledger row)', async () => {
    const base = `${api.url}/v1`;
    const gw = await openGateway({ providers: { ollama: { base_url: base }, whisper: { base_url: base } } });
    try {
      const m = new inference.LLM('ollama/qwen2.5:3b', { gateway: gw });
      const llmErrors = captureErrors(m);
      await m.chat({ chatCtx: chatCtx('hello') }).collect().catch(() => {});
      expect(llmErrors.length).toBeGreaterThan(0);
      expect(llmErrors[0]!.error.message).toMatch(/This is a voicegateway server/);

      const s = new inference.STT('local/whisper-large-v3', { gateway: gw });
      const sttErrors = captureErrors(s);
      await transcribe(s, sineFrames(1.0)).catch(() => {});
      expect(sttErrors.length).toBeGreaterThan(0);
      expect(sttErrors[0]!.error.message).toMatch(/This is a voicegateway server/);

      await gw.drain();
      const rows = await gw.ledger.logs({});
      expect(rows.map((r) => r.status)).toEqual(['error', 'error']);
      for (const r of rows) expect(r.error).toMatch(/This is a voicegateway server/);
    } finally {
      await gw.close();
    }
  });
});
