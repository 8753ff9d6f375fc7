import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway, type GatewayOptions } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { chatCtx, type Mocks, mockProviders, startMocks } from '../helpers/stack.js';
import { createTestDatabase, PG_REQUIRED, pgAvailability, tempDir } from '../ledger/helpers.js';

/**
 * Operators steer a runtime project's guardrails while calls run (docs/guardrails.md, "Operators"):
 * a worker and an operator process share one ledger; the edit reaches the worker within
 * `budget.project_refresh_ms`; a session already running keeps the policy it started with, a
 * session started afterwards gets the new one. The same on SQLite and PostgreSQL.
 */
const EMAIL = 'jane.doe@example.com';
let mocks: Mocks;

beforeAll(async () => {
  mocks = await startMocks({ openai: { reply: () => 'Okay, noted.' } });
});
afterAll(async () => {
  await mocks?.close();
});

const lastUserMessage = () => {
  const body = mocks.openai.requests.at(-1)!.body as { messages: { role: string; content: string }[] };
  return body.messages.filter((m) => m.role === 'user').at(-1)!.content;
};

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function suite(name: string, store: () => Promise<Partial<GatewayOptions>>) {
  describe(name, () => {
    it('a running session keeps the policy it started with after a runtime edit; a new session gets the new one; bypass leaves one event', { timeout: 60_000 }, async () => {
      const where = await store();
      const config = { providers: mockProviders(mocks) };
      const worker = await Gateway.open({ config, env: {}, ...where });
      const operator = await Gateway.open({ config, env: {}, ...where });
      const id = `edit-${Math.random().toString(36).slice(2, 8)}`;
      try {
        await operator.admin.create({ id, name: 'Edited live', guardrails: { enabled: true, categories: { pii: 'redact' } } }, { name: 'ops', source: 'api' });
        await until('the worker to see the project', () => worker.project(id) !== undefined);

        const ask = (m: inference.LLM) => m.chat({ chatCtx: chatCtx(`mail me at ${EMAIL}`) }).collect();
        let resume!: () => void;
        const resumed = new Promise<void>((r) => (resume = r));
        let firstTurn!: () => void;
        const firstTurnDone = new Promise<void>((r) => (firstTurn = r));
        const seen: string[] = [];
        // session A: one turn before the edit, one after it
        const sessionA = inference.withProject(id, async () => {
          inference.startSession();
          const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: worker, project: id });
          await ask(m);
          seen.push(`A1 ${lastUserMessage()}`);
          firstTurn();
          await resumed;
          await ask(m);
          seen.push(`A2 ${lastUserMessage()}`);
        });
        await firstTurnDone;

        await operator.admin.editGuardrails(id, { categories: { pii: 'off' } }, { name: 'ops', source: 'cli' });
        await until('the edit to reach the worker', () => worker.guardrails(id)?.compiled.actions.pii === 'off');

        resume();
        await sessionA;
        await inference.withProject(id, async () => {
          inference.startSession();
          await ask(new inference.LLM('openai/gpt-4.1-mini', { gateway: worker, project: id }));
          seen.push(`B1 ${lastUserMessage()}`);
        });
        expect(seen).toEqual([`A1 mail me at [EMAIL]`, `A2 mail me at [EMAIL]`, `B1 mail me at ${EMAIL}`]);

        // bypass: back to redact for new sessions, then a bypassed session passes unscanned, audited once
        await operator.admin.editGuardrails(id, { categories: { pii: 'redact' } }, { name: 'ops', source: 'cli' });
        await until('the second edit to reach the worker', () => worker.guardrails(id)?.compiled.actions.pii === 'redact');
        const bypassed = await inference.withProject(id, async () => {
          const sid = inference.startSession({ bypassGuardrails: true });
          const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: worker, project: id });
          await ask(m);
          await ask(m);
          expect(lastUserMessage()).toContain(EMAIL);
          return sid;
        });
        await worker.drain();
        const events = (await operator.ledger.guardrailEvents({ project: id, limit: 100 })).filter((e) => e.sessionId === bypassed);
        expect(events.map((e) => [e.action, e.detector, e.category])).toEqual([['bypassed', 'bypass', 'all']]);

        const audit = (await operator.ledger.auditLog({ limit: 50 })).filter((a) => a.target === id);
        expect(audit.map((a) => `${a.action}:${a.source}`)).toEqual(['project.guardrails:cli', 'project.guardrails:cli', 'project.create:api']);
      } finally {
        await worker.close();
        await operator.close();
      }
    });
  });
}

suite('SQLite', async () => ({ dbPath: `${tempDir().dir}/ledger.db` }));

const pg = await pgAvailability('integration/guardrail-edits');
if (!pg.ok && PG_REQUIRED) throw new Error(pg.reason);
describe.skipIf(!pg.ok)('PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  suite('one database', async () => ({ databaseUrl: db.url }));
});
