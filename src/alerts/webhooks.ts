import { createHash } from 'node:crypto';
import type { AlertEvent, AlertsConfig } from '../config/schema.js';
import type { BudgetEvent, Ledger } from '../ledger/types.js';
import { log } from '../log.js';
import { formatUsd, nanosToUsd } from '../money.js';
import { redact } from '../secrets.js';
import type { BudgetAction } from '../types.js';

/** The JSON body every webhook receives; `text` makes it postable to Slack-style incoming webhooks. */
export interface AlertPayload {
  event: AlertEvent;
  project: string;
  day: string;
  spent_usd: number;
  budget_usd: number;
  percent: number;
  action: BudgetAction;
  text: string;
}

export interface AlertResult {
  target: string;
  ok: boolean;
  attempts: number;
  error: string | null;
}

type Webhook = AlertsConfig['webhooks'][number];

const EVENT_OF: Record<BudgetEvent['kind'], AlertEvent> = {
  warning: 'budget_warning',
  exceeded: 'budget_exceeded',
  throttled: 'budget_throttled',
  blocked: 'budget_blocked',
};

const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 30_000;

/** A webhook as status screens show it: its origin and a digest, never the (secret-bearing) path. */
export function webhookTarget(url: string): string {
  const digest = createHash('sha256').update(url).digest('hex').slice(0, 8);
  let origin = 'invalid-url';
  try {
    origin = new URL(url).origin;
  } catch {
    // validated at load; kept total for safety
  }
  return `${origin} (${digest})`;
}

export function alertPayload(ev: Pick<BudgetEvent, 'kind' | 'project' | 'day' | 'spentNanos' | 'budgetNanos'>, action: BudgetAction): AlertPayload {
  const event = EVENT_OF[ev.kind];
  const percent = ev.budgetNanos > 0 ? Math.round((ev.spentNanos / ev.budgetNanos) * 10000) / 100 : 0;
  const money = `${formatUsd(nanosToUsd(ev.spentNanos))} of ${formatUsd(nanosToUsd(ev.budgetNanos))} (${percent}%)`;
  const what: Record<AlertEvent, string> = {
    budget_warning: `reached 80% of its daily budget: ${money}; action at 100%: ${action}`,
    budget_exceeded: `exceeded its daily budget: ${money}; action: ${action}`,
    budget_throttled: `is over its daily budget and now throttled (local or cheaper models, or slowed): ${money}`,
    budget_blocked: `is over its daily budget and now blocks requests: ${money}`,
  };
  return {
    event,
    project: ev.project,
    day: ev.day,
    spent_usd: nanosToUsd(ev.spentNanos),
    budget_usd: nanosToUsd(ev.budgetNanos),
    percent,
    action,
    text: `voicegateway: project '${ev.project}' ${what[event]} (${ev.day})`,
  };
}

/**
 * Budget alerts to webhooks. Each (project, day, event, webhook) is claimed in the ledger first
 * (insert-if-absent), so across a fleet exactly one process sends it; that process retries with
 * back-off and records the outcome where `voicegw status` and the dashboard read it. Everything
 * runs in the background: a budget event never waits on a webhook.
 */
export class AlertDispatcher {
  readonly #inflight = new Set<Promise<unknown>>();
  /** aborted by close(): no more back-off waits, the attempt in flight is the last */
  readonly #closing = new AbortController();

  constructor(
    private readonly config: AlertsConfig,
    private readonly ledger: () => Ledger | null,
    private readonly clock: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.config.webhooks.length > 0;
  }

  /** Called synchronously where the budget event happens; returns at once. */
  budgetEvent(ev: BudgetEvent, action: BudgetAction): void {
    if (!this.enabled) return;
    const payload = alertPayload(ev, action);
    for (const hook of this.config.webhooks) {
      if (hook.events && !hook.events.includes(payload.event)) continue;
      this.#track(this.#claimAndSend(hook, payload));
    }
  }

  /** `voicegw alerts test`: one sample POST per webhook (no claim, no retries), with the outcome. */
  async sendSample(payload: AlertPayload): Promise<AlertResult[]> {
    return Promise.all(
      this.config.webhooks.map(async (hook) => {
        const error = await this.#post(hook, payload);
        return { target: webhookTarget(hook.url), ok: error === null, attempts: 1, error };
      }),
    );
  }

  /** Stops retrying and waits for the attempts in flight to end and be recorded (bounded), e.g. before a worker exits. */
  async close(maxMs = this.config.timeout_ms + 2000): Promise<void> {
    this.#closing.abort();
    if (this.#inflight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.#inflight]), new Promise((r) => (timer = setTimeout(r, maxMs)))]);
    clearTimeout(timer);
  }

  #track(p: Promise<unknown>): void {
    this.#inflight.add(p);
    void p.finally(() => this.#inflight.delete(p));
  }

  async #claimAndSend(hook: Webhook, payload: AlertPayload): Promise<void> {
    const key = { project: payload.project, day: payload.day, event: payload.event, target: webhookTarget(hook.url) };
    const ledger = this.ledger();
    try {
      if (!ledger || !(await ledger.claimAlert(key, this.clock()))) return; // another process (or an earlier run) has it
    } catch (e) {
      log.warn(`alert ${payload.event} for '${payload.project}' not sent: the ledger could not claim it (${(e as Error).message})`);
      return;
    }
    let attempts = 0;
    let error: string | null = null;
    while (attempts < this.config.max_attempts) {
      attempts++;
      error = await this.#post(hook, payload);
      if (error === null || this.#closing.signal.aborted) break;
      await sleep(Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempts - 1)), this.#closing.signal);
    }
    if (error) log.warn(`alert ${payload.event} for '${payload.project}' to ${key.target} failed after ${attempts} attempt(s): ${error}`);
    await ledger
      .updateAlert({ ...key, status: error ? 'failed' : 'sent', attempts, lastError: error }, this.clock())
      .catch((e: Error) => log.warn(`could not record alert delivery: ${e.message}`));
  }

  /** One POST; null on a 2xx, else what went wrong (redacted). */
  async #post(hook: Webhook, payload: AlertPayload): Promise<string | null> {
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'voicegateway-alerts', ...hook.headers },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.config.timeout_ms),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok ? null : `HTTP ${res.status}`;
    } catch (e) {
      const err = e as Error;
      return redact(err.name === 'TimeoutError' ? `no answer within ${this.config.timeout_ms} ms` : `${err.message}${err.cause ? ` (${(err.cause as Error).message ?? err.cause})` : ''}`);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
