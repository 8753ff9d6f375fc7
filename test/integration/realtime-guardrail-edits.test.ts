import { voice } from '@livekit/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { type MockOpenAIRealtime, startMockOpenAIRealtime } from '../../src/testing/index.js';
import { speak, startSession } from '../helpers/realtime.js';
import { waitFor } from '../helpers/session.js';
import { openGateway } from '../helpers/stack.js';

/**
 * A realtime call keeps the guardrail policy it started with, as an LLM session does
 * (docs/guardrails.md): an operator's edit reaches new calls only. Every reply carries an email, so
 * a pii policy cancels it (response.cancel at the provider) and no policy lets it through.
 */
let mock: MockOpenAIRealtime;
let gw: Gateway;
const ID = 'live-voice';

beforeAll(async () => {
  mock = await startMockOpenAIRealtime({ replies: () => 'Sure, write to john.doe@example.com and we will answer within a day or two, thanks.', wordIntervalMs: 15 });
  gw = await openGateway({ providers: { openai: { api_key: 'sk-test-openai', base_url: mock.baseURL } } });
  await gw.admin.create({ id: ID, name: 'Live voice', guardrails: { enabled: true, categories: { pii: 'redact' } } }, { name: 'ops', source: 'api' });
});
afterAll(async () => {
  await gw?.close();
  await mock?.close();
});

describe('runtime guardrail edits and realtime sessions', () => {
  it('a running realtime session keeps its policy after an edit; a session started afterwards gets the new one', { timeout: 60_000 }, async () => {
    const turn = async (mic: Parameters<typeof speak>[0], responses: number) => {
      await speak(mic);
      await waitFor(() => mock.usage.length === responses, 15_000, `response ${responses} to end`);
    };
    let edited!: () => void;
    const editDone = new Promise<void>((r) => (edited = r));
    let firstTurn!: () => void;
    const firstTurnDone = new Promise<void>((r) => (firstTurn = r));

    const callA = inference.withProject(ID, async () => {
      inference.startSession();
      const { session, mic } = startSession(new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw }));
      await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
      await turn(mic, 1);
      expect(mock.cancelled).toHaveLength(1); // pii: redact cancels the answer
      firstTurn();
      await editDone;
      await turn(mic, 2);
      expect(mock.cancelled).toHaveLength(2); // still the policy the call started with
      await session.close();
    });
    await firstTurnDone;
    await gw.admin.editGuardrails(ID, { categories: { pii: 'off' } }, { name: 'ops', source: 'cli' });
    expect(gw.guardrails(ID)?.compiled.actions.pii).toBe('off');
    edited();
    await callA;

    await inference.withProject(ID, async () => {
      inference.startSession();
      const { session, mic } = startSession(new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw }));
      await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
      await turn(mic, 3);
      expect(mock.cancelled).toHaveLength(2); // the new call has the new policy: nothing cancelled
      await session.close();
    });
  });

  it('a realtime session started with bypassGuardrails is not scanned and leaves exactly one bypassed event', { timeout: 60_000 }, async () => {
    await gw.admin.editGuardrails(ID, { categories: { pii: 'redact' } }, { name: 'ops', source: 'cli' });
    const before = mock.cancelled.length;
    const responses = mock.usage.length;
    const sid = await inference.withProject(ID, async () => {
      const id = inference.startSession({ bypassGuardrails: true });
      const { session, mic } = startSession(new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw }));
      await session.start({ agent: new voice.Agent({ instructions: 'Be brief.' }) });
      for (const n of [1, 2]) {
        await speak(mic);
        await waitFor(() => mock.usage.length === responses + n, 15_000, `bypassed response ${n} to end`);
      }
      await session.close();
      return id;
    });
    expect(mock.cancelled).toHaveLength(before);
    await gw.drain();
    const events = (await gw.ledger.guardrailEvents({ project: ID, limit: 100 })).filter((e) => e.sessionId === sid);
    expect(events.map((e) => [e.action, e.detector])).toEqual([['bypassed', 'bypass']]);
  });
});
