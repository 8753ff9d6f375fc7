import { initializeLogger } from '@livekit/agents';

/** Where the three mock providers listen (handed to child processes as JSON in $VOICEGW_BENCH_MOCKS). */
export interface MockUrls {
  openai: string;
  deepgram: string;
  cartesia: string;
}

export const REPLY = 'Sure, I can help with that. Your table for two is booked at seven tonight.';
/** one sentence the agent speaks (83 characters: 0.83 s of mock audio in 9 chunks) */
export const SPOKEN = 'Your table for two is booked at seven tonight, and we will text you a confirmation.';
export const TRANSCRIPT = 'book a table for two at seven tonight';

export const RAW_KEYS = { openai: 'sk-bench-openai', deepgram: 'dg-bench-key', cartesia: 'ca-bench-key' };

/** LiveKit streams need its logger; warnings would only add noise to the timings. */
export function quietLogs(): void {
  initializeLogger({ pretty: false, level: 'error' });
  process.env.VOICEGW_LOG_LEVEL ??= 'error';
}

export function mockUrlsFromEnv(): MockUrls {
  const raw = process.env.VOICEGW_BENCH_MOCKS;
  if (!raw) throw new Error('VOICEGW_BENCH_MOCKS is not set: run this through bench/run.ts, which starts the mock providers');
  return JSON.parse(raw) as MockUrls;
}

/**
 * Everything on, as a production project would run it: guardrails (pii + financial redact, prompt
 * injection block), a daily budget that blocks, and the SQLite ledger.
 */
export function benchConfig(urls: MockUrls) {
  return {
    providers: {
      openai: { api_key: RAW_KEYS.openai, base_url: urls.openai },
      deepgram: { api_key: RAW_KEYS.deepgram, base_url: urls.deepgram },
      cartesia: { api_key: RAW_KEYS.cartesia, base_url: urls.cartesia },
    },
    projects: {
      bench: {
        name: 'Bench',
        daily_budget: 1_000_000,
        budget_action: 'block',
        guardrails: { enabled: true, categories: { pii: 'redact', financial: 'redact', prompt_injection: 'block' } },
      },
    },
    default_project: 'bench',
  };
}
