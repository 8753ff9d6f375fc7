/**
 * P4: budget admit + settle pairs per second, in-process, as every drop-in request runs them:
 *  - `gateway`: the Gateway's BudgetEnforcer with its real policy lookup (project config → policy)
 *    over the real SQLite ledger (read once per cache TTL, never on the hot path);
 *  - `enforcer`: BudgetEnforcer alone with a constant policy and a ledger stub, the floor.
 * Prints one JSON document.
 *
 *   npx tsx bench/budget.ts [--ops 2000000] [--rounds 5]
 */
import { BudgetEnforcer } from '../src/budget/enforcer.js';
import type { Ledger } from '../src/ledger/types.js';
import { argNumber } from './lib/args.js';
import { round } from './lib/stats.js';
import { openBenchGateway } from './lib/gateway.js';
import { quietLogs } from './lib/setup.js';

const OPS = argNumber('ops', 2_000_000);
const ROUNDS = argNumber('rounds', 5);

quietLogs();

/**
 * admit+settle pairs per second: median and worst of `ROUNDS` rounds of `OPS` pairs each.
 * `grow`: each request also grows its reservation once, as a stream does per chunk.
 */
async function measure(enforcer: BudgetEnforcer, project: string, grow = false) {
  const estimate = 2_000; // nano-USD: a small request
  const pass = async (n: number) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) {
      const { reservation } = await enforcer.admit(project, estimate);
      if (grow) await reservation.grow(estimate);
      reservation.settle(estimate - 100);
    }
    return n / ((performance.now() - t) / 1000);
  };
  await pass(Math.min(OPS, 200_000)); // JIT warm-up
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) rates.push(await pass(OPS));
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)]!;
  return { opsPerSecond: Math.round(median), worstRound: Math.round(rates[0]!), nsPerOp: round(1e9 / median, 1), rounds: ROUNDS, opsPerRound: OPS };
}

const ledgerStub = { spend: async () => 0, recordBudgetEvent: async () => {} } as unknown as Ledger;
const policy = { project: 'p', budgetNanos: Number.MAX_SAFE_INTEGER, action: 'block' as const, timeZone: 'UTC' };
const enforcer = await measure(new BudgetEnforcer({ ledger: ledgerStub, policyFor: () => policy }), 'p');

const unreachable = { openai: 'http://127.0.0.1:9/v1', deepgram: 'ws://127.0.0.1:9', cartesia: 'http://127.0.0.1:9' };
const { gw, close } = await openBenchGateway(unreachable);
const gateway = await measure(gw.budget, 'bench');
const gatewayWithGrow = await measure(gw.budget, 'bench', true);
const status = await gw.budgetStatus('bench');
await close();

console.log(
  JSON.stringify(
    {
      bench: 'budget',
      gateway,
      gatewayWithGrow,
      enforcer,
      // settled spend reached the budget state: the loop did real work
      check: { spentUsd: status.spentUsd, reservedUsd: status.reservedUsd },
    },
    null,
    2,
  ),
);
