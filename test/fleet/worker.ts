// A LiveKit worker stand-in: N concurrent LLM turns through the drop-ins on a shared PostgreSQL ledger.
import { initializeLogger, llm } from '@livekit/agents';
import { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';

const { databaseUrl, openaiURL, budgetUsd, requests, alerts, action } = JSON.parse(process.argv[2]!) as { databaseUrl: string; openaiURL: string; budgetUsd: number; requests: number; alerts?: unknown; action?: string };
initializeLogger({ pretty: false, level: 'silent' });

const gw = await Gateway.open({
  databaseUrl,
  env: {},
  config: {
    providers: { openai: { api_key: 'sk-fleet', base_url: openaiURL } },
    projects: { fleet: { name: 'Fleet', daily_budget: budgetUsd, budget_action: action ?? 'block' } },
    ...(alerts ? { alerts } : {}),
  },
});
const model = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: 'fleet' });
let blocked = 0;
model.on('error', (e) => void (e.error.name === 'BudgetExceededError' ? blocked++ : console.error(e.error)));
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const answers = await Promise.all(
  Array.from({ length: requests }, async () => {
    const ctx = llm.ChatContext.empty();
    ctx.addMessage({ role: 'system', content: 'You are a test agent.' });
    ctx.addMessage({ role: 'user', content: 'hello' });
    return (await model.chat({ chatCtx: ctx }).collect()).text;
  }),
);
await gw.close();
process.stdout.write(`${JSON.stringify({ served: answers.filter((a) => a.length > 0).length, blocked })}\n`, () => process.exit(0));
