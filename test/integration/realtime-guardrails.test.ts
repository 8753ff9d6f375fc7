import { voice } from '@livekit/agents';
import { afterEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { type MockOpenAIRealtime, MOCK_TOKENS, type MockOpenAIRealtimeOptions, startMockOpenAIRealtime } from '../../src/testing/index.js';
import { speak, startSession } from '../helpers/realtime.js';
import { waitFor } from '../helpers/session.js';
import { openGateway } from '../helpers/stack.js';

const BLOCKED = 'I cannot take card details on this line.';
const CARD = '4111 1111 1111 1111';

let mock: MockOpenAIRealtime | null = null;
/** a project per test: drop-ins built in one async context share a session, which keeps the policy it first saw */
let project = 'guarded';
let tests = 0;
let gw: Gateway | null = null;
afterEach(async () => {
  await gw?.close();
  await mock?.close();
  gw = mock = null;
});

async function stack(script: MockOpenAIRealtimeOptions, guardrails: Record<string, unknown>) {
  project = `guarded-${++tests}`;
  mock = await startMockOpenAIRealtime(script);
  gw = await openGateway({
    providers: { openai: { api_key: 'sk-test-openai', base_url: mock.baseURL } },
    projects: { [project]: { name: 'Guarded', guardrails: { enabled: true, ...guardrails } } },
    default_project: project,
  });
  const model = new inference.RealtimeModel('openai/gpt-realtime', { gateway: gw });
  const s = startSession(model);
  await s.session.start({ agent: new voice.Agent({ instructions: 'You take orders.' }) });
  return { ...s, mock, gw };
}

const rowsOf = async (g: Gateway) => (await g.ledger.logs({ project, modality: 'realtime', limit: 20 })).reverse().filter((r) => !r.model.includes('transcribe'));

describe("guardrails on the caller's transcribed turn", () => {
  it('alert: an audit event is recorded (no raw value) and the session goes on; the answer is whole', async () => {
    const reply = 'Thanks, I have noted it.';
    const { session, mic, items, errors, mock: m, gw: g } = await stack({ transcripts: ['my email is john.doe@example.com'], replies: [reply, 'Anything else?'] }, { categories: { pii: 'alert' } });
    await speak(mic);
    await waitFor(() => items.includes(`assistant: ${reply}`), 10_000, 'the whole answer');
    await speak(mic);
    await waitFor(() => items.includes('assistant: Anything else?'), 10_000, 'the next turn');
    expect(m.cancelled).toEqual([]);
    expect(errors).toEqual([]);
    await session.close();
    await g.drain();
    const events = await g.ledger.guardrailEvents({ project, limit: 10 });
    expect(events.map((e) => [e.category, e.direction, e.action])).toContainEqual(['pii', 'in', 'alert']);
    expect(events.every((e) => !e.excerpt.includes('john.doe@example.com'))).toBe(true);
    expect((await rowsOf(g)).map((r) => r.status)).toEqual(['success', 'success']);
  });

  it('block: the answer in flight is cancelled, the block message is spoken, a blocked row and an audit event; the session goes on', async () => {
    const answer = 'Great, I will charge that card right now and send you a receipt by email today.';
    const { session, mic, items, errors, mock: m, gw: g } = await stack(
      { transcripts: [`my card number is ${CARD}`, 'thanks'], replies: [answer, BLOCKED, 'You are welcome.'], wordIntervalMs: 25 },
      { categories: { financial: 'block' }, block_message: BLOCKED },
    );
    await speak(mic);
    await waitFor(() => items.includes(`assistant: ${BLOCKED}`), 10_000, 'the block message');
    expect(m.cancelled).toHaveLength(1); // response.cancel reached the provider
    expect(m.usage[0]!.output_token_details.audio_tokens).toBeLessThan(Math.ceil((answer.split(' ').length / 10) * MOCK_TOKENS.audioOutPerSecond));
    expect(items.some((i) => i.includes('receipt'))).toBe(false);
    // the model was asked to say the policy's message
    const asked = m.requests[0]!.messages!.filter((x) => (x as { type: string }).type === 'response.create') as { response?: { instructions?: string } }[];
    expect(asked.at(-1)!.response!.instructions).toContain(BLOCKED);
    await speak(mic);
    await waitFor(() => items.includes('assistant: You are welcome.'), 10_000, 'the session to go on');
    expect(errors).toEqual([]);
    await session.close();
    await g.drain();
    const events = await g.ledger.guardrailEvents({ project, limit: 10 });
    expect(events.map((e) => [e.category, e.direction, e.action])).toContainEqual(['financial', 'in', 'block']);
    expect(events.every((e) => !e.excerpt.includes(CARD))).toBe(true);
    const rows = await rowsOf(g);
    // the blocked row (at the transcript) and the stopped answer's (from its start) can share a millisecond or come either way round under load
    expect(rows.map((r) => r.status).sort()).toEqual(['blocked', 'cancelled', 'success', 'success']);
    expect(rows.find((r) => r.status === 'blocked')!.error).toBe('guardrails: financial');
  });
});

describe("guardrails on the model's spoken answer", () => {
  it('financial block: a card number in the streaming transcript cancels the answer before the rest is spoken, with an audit event', async () => {
    const answer = `Sure, the card on file is ${CARD} and it expires next year, anything else for today?`;
    const { session, mic, items, mock: m, gw: g } = await stack({ replies: [answer], wordIntervalMs: 25 }, { categories: { financial: 'block' } });
    await speak(mic);
    await waitFor(() => m.usage.length === 1, 10_000, 'the response to end');
    expect(m.cancelled).toHaveLength(1);
    await waitFor(() => items.some((i) => i.startsWith('assistant')), 5000, 'the answer in the history');
    const said = items.find((i) => i.startsWith('assistant'))!;
    expect(said).not.toContain('expires');
    expect(said).not.toContain(CARD);
    await session.close();
    await g.drain();
    const events = await g.ledger.guardrailEvents({ project, limit: 5 });
    expect(events.map((e) => [e.category, e.direction])).toContainEqual(['financial', 'out']);
    expect(events.every((e) => !e.excerpt.includes(CARD))).toBe(true);
    const rows = await rowsOf(g);
    expect(rows.map((r) => [r.status, r.guardrailFindings > 0])).toEqual([['cancelled', true]]);
  });
});
