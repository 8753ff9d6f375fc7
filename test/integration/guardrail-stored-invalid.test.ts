import { afterAll, beforeAll, expect, it } from 'vitest';
import { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { captureLogs } from '../helpers/logs.js';
import { chatCtx, type Mocks, mockProviders, startMocks } from '../helpers/stack.js';
import { tempDir } from '../ledger/helpers.js';

// The call comes first: a stored runtime policy that no longer compiles (an older version wrote it,
// or the YAML defaults it merges with changed) must not fail the project's calls.
let mocks: Mocks;
beforeAll(async () => {
  mocks = await startMocks({ openai: { reply: () => 'Okay, noted.' } });
});
afterAll(async () => {
  await mocks?.close();
});

it('a stored guardrail policy that does not compile falls back to the top-level policy, loudly, and calls are served', async () => {
  const tmp = tempDir();
  const gw = await Gateway.open({
    dbPath: `${tmp.dir}/ledger.db`,
    env: {},
    config: { providers: mockProviders(mocks), guardrails: { enabled: true, categories: { pii: 'redact' } } },
  });
  const logs = captureLogs();
  try {
    const now = Date.now();
    // written straight to the store, as an older version could have: off_topic: block without a topic
    await gw.ledger.upsertProject({
      id: 'legacy', name: 'Legacy', description: '', dailyBudgetUsd: 0, budgetAction: 'warn', tags: [], createdAt: now, updatedAt: now,
      settings: { guardrails: { enabled: true, categories: { off_topic: 'block' } } },
    });
    await gw.reloadProjects();
    const setup = gw.guardrails('legacy');
    expect(setup?.policy.categories).toEqual({ pii: 'redact' });
    expect(logs.lines.filter((l) => l.includes("project 'legacy'") && /do not compile/.test(l))).toHaveLength(1);

    const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: 'legacy' });
    const errors: Error[] = [];
    m.on('error', (e: { error: Error }) => errors.push(e.error));
    const answer = await m.chat({ chatCtx: chatCtx('mail me at jane.doe@example.com') }).collect();
    expect(errors).toEqual([]);
    expect(answer.text).toBe('Okay, noted.');
    const sent = (mocks.openai.requests.at(-1)!.body as { messages: { role: string; content: string }[] }).messages.at(-1)!.content;
    expect(sent).not.toContain('jane.doe@example.com'); // the top-level pii: redact still applies
  } finally {
    logs.restore();
    await gw.close();
    tmp.cleanup();
  }
});
