import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FaultState } from '../../src/testing/faults.js';
import { startMockCartesia, startMockDeepgram, startMockOpenAI, wavInfo, pcmToWav, sinePcm } from '../../src/testing/index.js';

describe('FaultState', () => {
  it('applies a rule the given number of times, then clears', () => {
    const state = new FaultState();
    state.set({ fault: { kind: 'status', status: 500 }, times: 2 });
    expect([state.take()?.kind, state.take()?.kind, state.take()?.kind]).toEqual(['status', 'status', undefined]);
  });

  it('keeps a bare fault until cleared, and leaves it alone when a filter declines it', () => {
    const state = new FaultState();
    state.set({ kind: 'malformed' });
    expect(state.take((f) => f.kind === 'stall')).toBeUndefined();
    for (let i = 0; i < 5; i++) expect(state.take()?.kind).toBe('malformed');
    state.clear();
    expect(state.take()).toBeUndefined();
  });

  it('leaves refuse to the connection handler', () => {
    const state = new FaultState();
    state.set({ fault: { kind: 'refuse' }, times: 1 });
    expect(state.take()).toBeUndefined();
    expect(state.take((f) => f.kind === 'refuse')?.kind).toBe('refuse');
    expect(state.active).toBeUndefined();
  });

  it('rejects rules it cannot honour', () => {
    const state = new FaultState();
    expect(() => state.set({ fault: { kind: 'drop', afterChunks: -1 } })).toThrow(RangeError);
    expect(() => state.set({ fault: { kind: 'stall' }, times: 0 })).toThrow(RangeError);
  });
});

describe('mock servers', () => {
  it('report provider-shaped base URLs', async () => {
    const [oa, dg, ca] = await Promise.all([startMockOpenAI(), startMockDeepgram(), startMockCartesia()]);
    try {
      expect(oa.baseURL).toBe(`http://127.0.0.1:${oa.port}/v1`);
      expect(oa.url).toBe(oa.baseURL);
      expect(dg.baseUrl).toBe(`ws://127.0.0.1:${dg.port}`);
      expect(ca.baseUrl).toBe(`http://127.0.0.1:${ca.port}`);
    } finally {
      await Promise.all([oa.close(), dg.close(), ca.close()]);
    }
  });

  it('close() ends stalled requests and open WebSockets at once', async () => {
    const oa = await startMockOpenAI();
    const dg = await startMockDeepgram();
    oa.fail({ kind: 'stall' });
    const stalled = fetch(`${oa.baseURL}/models`).then(
      () => 'answered',
      () => 'cut',
    );
    const ws = new WebSocket(`${dg.baseUrl}/v1/listen`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const closed = new Promise((resolve) => ws.once('close', resolve));
    await new Promise((r) => setTimeout(r, 20)); // the stalled request reaches the server
    await Promise.all([oa.close(), dg.close()]);
    expect(await stalled).toBe('cut');
    await closed;
    expect(oa.requests[0]!.fault).toBe('stall');
  });

  it('answer unknown paths with a provider-shaped 404', async () => {
    const oa = await startMockOpenAI();
    try {
      const res = await fetch(`${oa.baseURL}/embeddings`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    } finally {
      await oa.close();
    }
  });

  it('refuse with times: that many new connections are reset, then service resumes', async () => {
    const oa = await startMockOpenAI();
    try {
      oa.fail({ fault: { kind: 'refuse' }, times: 2 });
      await expect(fetch(`${oa.baseURL}/models`)).rejects.toThrow();
      await expect(fetch(`${oa.baseURL}/models`)).rejects.toThrow();
      expect((await fetch(`${oa.baseURL}/models`)).status).toBe(200);
      expect(oa.requests).toHaveLength(1);
    } finally {
      await oa.close();
    }
  });

  it('replace a refuse fault by another fault, listening again', async () => {
    const oa = await startMockOpenAI();
    try {
      oa.fail({ kind: 'refuse' });
      await expect(fetch(`${oa.baseURL}/models`)).rejects.toThrow();
      oa.fail({ fault: { kind: 'status', status: 502 }, times: 1 });
      expect((await fetch(`${oa.baseURL}/models`)).status).toBe(502);
      expect((await fetch(`${oa.baseURL}/models`)).status).toBe(200);
    } finally {
      await oa.close();
    }
  });
});

describe('audio helpers', () => {
  it('round-trip a WAV header', () => {
    const wav = pcmToWav(sinePcm(0.25, 8000), 8000);
    expect(wavInfo(wav)).toEqual({ sampleRate: 8000, channels: 1, bitsPerSample: 16, dataBytes: 4000, durationSeconds: 0.25 });
    expect(wavInfo(Buffer.from('not a wav file at all'))).toBeUndefined();
  });
});
