// A LiveKit worker stand-in taking LLM turns through the drop-in on a PostgreSQL ledger, reporting
// (one JSON line per event) what it served and what its ledger status said along the way.
import { initializeLogger, llm } from '@livekit/agents';
import { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';

const { databaseUrl, openaiURL, calls, lanes, gapMs } = JSON.parse(process.argv[2]!) as { databaseUrl: string; openaiURL: string; calls: number; lanes: number; gapMs: number };
initializeLogger({ pretty: false, level: 'silent' });
const say = (event: string, extra: object) => process.stdout.write(`${JSON.stringify({ event, ...extra, ledger: gw.ledgerStatus() })}\n`);

const gw = await Gateway.open({
  databaseUrl,
  env: {},
  config: {
    providers: { openai: { api_key: 'sk-degraded', base_url: openaiURL } },
    projects: { fleet: { name: 'Fleet', daily_budget: 100, budget_action: 'block' } },
  },
});
const model = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw, project: 'fleet' });
let served = 0;
let failed = 0;
let sawDegraded = false;
const watch = setInterval(() => void (sawDegraded ||= gw.ledgerStatus().state === 'degraded'), 50);
say('ready', {});
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

let next = 0;
await Promise.all(
  Array.from({ length: lanes }, async () => {
    while (next < calls) {
      next++;
      const ctx = llm.ChatContext.empty();
      ctx.addMessage({ role: 'user', content: 'hello' });
      try {
        const text = (await model.chat({ chatCtx: ctx }).collect()).text;
        if (text.length > 0) served++;
        else failed++;
      } catch (err) {
        failed++;
        process.stderr.write(`call failed: ${(err as Error).message}\n`);
      }
      await new Promise((r) => setTimeout(r, gapMs));
    }
  }),
);
clearInterval(watch);
say('calls', { served, failed, sawDegraded });
// the ledger writes what waited once PostgreSQL is back
await gw.drain();
say('drained', { served, failed });
await gw.close();
process.exit(0);
