import { stt } from '@livekit/agents';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { sineFrames } from '../../src/testing/index.js';
import { captureErrors, type Mocks, mockProviders, openGateway, startMocks, rowsSince as ledgerRowsSince } from '../helpers/stack.js';
import { waitFor } from '../helpers/session.js';

// Defects 4 and 5 of issue #17: an STT failure at connect was held until the next audio frame or
// the attempt deadline, reported as a timeout, and close() then threw "Queue is closed".
let mocks: Mocks;
let gw: Gateway;
const KEY = 'dg-secret-key-0123456789';

beforeAll(async () => {
  mocks = await startMocks();
  gw = await openGateway({
    providers: { ...mockProviders(mocks), deepgram: { api_key: KEY, base_url: mocks.deepgram.baseUrl } },
    projects: { p: { name: 'P' }, f: { name: 'F', fallbacks: { stt: ['local/whisper-large-v3'] } } },
    default_project: 'p',
    routing: { attempt_timeout_ms: 5000, cooldown_ms: 0 },
  });
});
afterAll(async () => {
  await gw?.close();
  await mocks?.close();
});
beforeEach(() => {
  mocks.deepgram.reset();
  mocks.local.reset();
});

const rowsSince = (project: string, since: number) => ledgerRowsSince(gw, since, { project, modality: 'stt', limit: 10 });

describe('STT failure at connect, while the caller is silent (no more audio arrives)', () => {
  it("surfaces at once with its real cause (status 401 and Deepgram's own message, the key masked) in the error and the ledger row; close() does not throw", async () => {
    mocks.deepgram.fail({ kind: 'status', status: 401, message: `Invalid credentials ${KEY}` });
    const model = new inference.STT('deepgram/nova-3', { gateway: gw, fallback: [] });
    const errors = captureErrors(model);
    const since = Date.now();
    const stream = model.stream();
    for (const f of sineFrames(0.3)) stream.pushFrame(f); // then silence: no frame, no flush, no end
    await waitFor(() => errors.length > 0, 2000, 'the STT error event'); // the deadline is 5 s away
    const elapsed = Date.now() - since;
    expect(elapsed).toBeLessThan(2000);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error.message).toMatch(/401/);
    // the plugin drops the refused upgrade's body; Deepgram's message comes from its dg-error header
    const request = mocks.deepgram.requests.at(-1)!;
    expect(errors[0]!.error.message).toMatch(/rejected with status 401: INVALID_AUTH: Invalid credentials \S+ \(request [0-9a-f-]{36}\)/);
    expect(errors[0]!.error.message).not.toContain(KEY);
    expect(errors[0]!.error.name).not.toBe('APITimeoutError');
    expect(() => stream.close()).not.toThrow();
    const rows = await rowsSince('p', since);
    expect(rows.map((r) => r.status)).toEqual(['error']);
    expect(rows[0]!.error).toMatch(/401: INVALID_AUTH: Invalid credentials/);
    expect(rows[0]!.error).not.toMatch(/no output within/);
    expect(rows[0]!.error).not.toContain(KEY);
    expect(request.fault).toBe('status');
    await model.close();
  });

  it('the fallback starts at once and transcribes the audio already sent', async () => {
    mocks.deepgram.fail({ kind: 'status', status: 401 });
    const model = new inference.STT('deepgram/nova-3', { gateway: gw, project: 'f' });
    const errors = captureErrors(model);
    const since = Date.now();
    const stream = model.stream();
    for (const f of sineFrames(1.0)) stream.pushFrame(f);
    // Whisper is VAD-driven: the end of speech is heard without flush or end of input
    const events: stt.SpeechEvent[] = [];
    void (async () => {
      for await (const ev of stream) events.push(ev);
    })();
    for (const f of sineFrames(0.8, 16000, 100, { amplitude: 0 })) stream.pushFrame(f);
    await waitFor(() => mocks.local.requests.length > 0, 2000, 'the fallback request');
    expect(Date.now() - since).toBeLessThan(2000);
    await waitFor(() => events.some((e) => e.type === stt.SpeechEventType.FINAL_TRANSCRIPT), 5000, 'the fallback transcript');
    expect(() => stream.close()).not.toThrow();
    const rows = await rowsSince('f', since);
    expect(rows.map((r) => [r.provider, r.status])).toEqual([
      ['deepgram', 'error'],
      ['whisper', 'fallback'],
    ]);
    expect(rows[0]!.error).toMatch(/401/);
    expect(errors).toEqual([]);
    await model.close();
  });

  it('close() after a failed stream (no fallback, input ended) does not throw "Queue is closed"', async () => {
    mocks.deepgram.fail({ kind: 'status', status: 401 });
    const model = new inference.STT('deepgram/nova-3', { gateway: gw, fallback: [] });
    const errors = captureErrors(model);
    const stream = model.stream();
    for (const f of sineFrames(0.3)) stream.pushFrame(f);
    stream.endInput();
    for await (const _ of stream); // ends after the error
    expect(errors).toHaveLength(1);
    expect(() => stream.close()).not.toThrow();
    await model.close();
  });
});
