import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Gateway } from '../gateway.js';
import type { CostBucket } from '../ledger/types.js';
import { nanosToUsd } from '../money.js';

export interface MetricsOptions {
  /** how far back each scrape re-reads rows, to catch attempts recorded after a later one (default 5 min) */
  lookbackMs?: number;
  /** rows read per scrape at most; the rest wait for the next scrape (default 50,000) */
  maxRowsPerScrape?: number;
  /** how often the all-time totals of closed hours are re-read (default 5 min) */
  totalsRefreshMs?: number;
}

const HOUR_MS = 3_600_000;
const PAGE = 5_000;
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

interface Total {
  project: string;
  provider: string;
  model: string;
  costNanos: number;
  requests: number;
  unpriced: number;
}

/**
 * Prometheus metrics built from the ledger on scrape, so `voicegw serve` reports every worker
 * process writing to the same ledger, not just itself:
 * - `voicegw_requests_total`, `voicegw_cost_usd_total`, `voicegw_unpriced_requests_total`
 *   {project, provider, model}: all-time totals from the hourly aggregates (they survive restarts);
 * - `voicegw_request_latency_seconds`, `voicegw_request_ttfb_seconds` histograms and
 *   `voicegw_request_outcomes_total{status}` {modality, provider, model}: attempts recorded since
 *   this server started, read incrementally (with a look-back window, de-duplicated by row id);
 * - `voicegw_budget_*` gauges per project; `voicegw_http_*` for this API itself.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #startedAt: number;
  readonly #lookback: number;
  readonly #maxRows: number;
  readonly #refreshMs: number;
  #lastScan: number;
  readonly #seen = new Map<string, number>();
  #closed: { hour: number; at: number; totals: Map<string, Total> } | null = null;
  #running: Promise<unknown> = Promise.resolve();

  readonly #requests: Counter;
  readonly #cost: Counter;
  readonly #unpriced: Counter;
  readonly #outcomes: Counter;
  readonly #latency: Histogram;
  readonly #ttfb: Histogram;
  readonly #budgetSpent: Gauge;
  readonly #budgetLimit: Gauge;
  readonly #budgetUtil: Gauge;
  readonly #projects: Gauge;
  readonly #providers: Gauge;
  readonly #ledgerDegraded: Gauge;
  readonly #ledgerQueued: Gauge;
  readonly #ledgerLost: Gauge;
  readonly #http: Counter;
  readonly #httpDuration: Histogram;

  constructor(
    private readonly gw: Gateway,
    opts: MetricsOptions = {},
  ) {
    this.#startedAt = gw.clock();
    this.#lastScan = this.#startedAt;
    this.#lookback = opts.lookbackMs ?? 5 * 60_000;
    this.#maxRows = opts.maxRowsPerScrape ?? 50_000;
    this.#refreshMs = opts.totalsRefreshMs ?? 5 * 60_000;
    const registers = [this.registry];
    const usage = ['project', 'provider', 'model'];
    const perModel = ['modality', 'provider', 'model'];
    this.#requests = new Counter({ name: 'voicegw_requests_total', help: 'Provider attempts in the ledger', labelNames: usage, registers });
    this.#cost = new Counter({ name: 'voicegw_cost_usd_total', help: 'Known cost of provider attempts, USD', labelNames: usage, registers });
    this.#unpriced = new Counter({ name: 'voicegw_unpriced_requests_total', help: 'Attempts whose price is unknown (not counted as $0)', labelNames: usage, registers });
    this.#outcomes = new Counter({ name: 'voicegw_request_outcomes_total', help: 'Attempts recorded since this server started, by status', labelNames: [...perModel, 'status'], registers });
    this.#latency = new Histogram({ name: 'voicegw_request_latency_seconds', help: 'Attempt latency (request start to last output)', labelNames: perModel, buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800], registers });
    this.#ttfb = new Histogram({ name: 'voicegw_request_ttfb_seconds', help: 'Time to first byte/token/audio', labelNames: perModel, buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10], registers });
    this.#budgetSpent = new Gauge({ name: 'voicegw_budget_spent_usd', help: "Known spend in the project's current budget day, USD", labelNames: ['project'], registers });
    this.#budgetLimit = new Gauge({ name: 'voicegw_budget_limit_usd', help: 'Daily budget, USD (0 = no limit)', labelNames: ['project'], registers });
    this.#budgetUtil = new Gauge({ name: 'voicegw_budget_utilisation_ratio', help: 'Spent / daily budget (projects with a budget only)', labelNames: ['project'], registers });
    this.#projects = new Gauge({ name: 'voicegw_projects', help: 'Projects by source', labelNames: ['source'], registers });
    this.#providers = new Gauge({ name: 'voicegw_provider_configured', help: '1 when a provider has a key (or needs none)', labelNames: ['provider', 'kind'], registers });
    this.#ledgerDegraded = new Gauge({ name: 'voicegw_ledger_degraded', help: '1 while the ledger cannot be opened or written (calls are served; rows wait in memory)', registers });
    this.#ledgerQueued = new Gauge({ name: 'voicegw_ledger_queued_rows', help: "Rows and events waiting in this process's memory for the ledger", registers });
    this.#ledgerLost = new Gauge({ name: 'voicegw_ledger_lost_rows', help: 'Rows this process could not record since it started (queue full, rejected, closed while degraded)', registers });
    this.#http = new Counter({ name: 'voicegw_http_requests_total', help: 'HTTP requests served by this API', labelNames: ['method', 'route', 'status'], registers });
    this.#httpDuration = new Histogram({ name: 'voicegw_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers });
  }

  /** Counts this API's own requests by matched route pattern (never the raw path: bounded labels). */
  httpMiddleware(): MiddlewareHandler {
    return async (c, next) => {
      const start = performance.now();
      try {
        await next();
      } finally {
        const handler = matchedRoutes(c).findLast((r) => r.method !== 'ALL');
        const route = handler?.path ?? 'unmatched';
        const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : 'OTHER';
        this.#http.inc({ method, route, status: String(c.res.status) });
        this.#httpDuration.observe({ method, route }, (performance.now() - start) / 1000);
      }
    };
  }

  /** Refreshes everything from the ledger and renders the Prometheus text format (one scrape at a time). */
  render(): Promise<string> {
    const run = this.#running.then(async () => {
      await this.gw.ready;
      const ledger = this.gw.ledgerStatus();
      this.#ledgerDegraded.set(ledger.state === 'degraded' ? 1 : 0);
      this.#ledgerQueued.set(ledger.queuedRows);
      this.#ledgerLost.set(ledger.lostRows);
      try {
        await this.#refreshTotals();
        await this.#scan();
      } catch (err) {
        // while the ledger is away the figures read from it keep their last values; the gauges above say why
        if (ledger.state === 'ok') throw err;
      }
      await this.#refreshGauges();
      return this.registry.metrics();
    });
    this.#running = run.catch(() => undefined);
    return run;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** All-time totals = closed hours (cached, re-read every few minutes) + the current hour. */
  async #refreshTotals(): Promise<void> {
    const now = this.gw.clock();
    const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
    if (!this.#closed || this.#closed.hour !== hour || now - this.#closed.at >= this.#refreshMs) {
      this.#closed = { hour, at: now, totals: await this.#totals(undefined, hour) };
    }
    const open = await this.#totals(hour, undefined);
    const all = new Map(this.#closed.totals);
    for (const [key, t] of open) {
      const prev = all.get(key);
      all.set(key, prev ? { ...t, costNanos: prev.costNanos + t.costNanos, requests: prev.requests + t.requests, unpriced: prev.unpriced + t.unpriced } : t);
    }
    this.#requests.reset();
    this.#cost.reset();
    this.#unpriced.reset();
    for (const t of all.values()) {
      const labels = { project: t.project, provider: t.provider, model: t.model };
      this.#requests.inc(labels, t.requests);
      this.#cost.inc(labels, nanosToUsd(t.costNanos));
      this.#unpriced.inc(labels, t.unpriced);
    }
  }

  /** Per project, per provider/model totals in [from, to) (one query per project with rows). */
  async #totals(from: number | undefined, to: number | undefined): Promise<Map<string, Total>> {
    const ledger = this.gw.ledger;
    const out = new Map<string, Total>();
    const overall = await ledger.costs({ from, to });
    for (const p of overall.byProject) {
      const report = await ledger.costs({ project: p.key, from, to });
      for (const b of report.byModel) out.set(`${p.key}\u0000${b.key}`, toTotal(p.key, b));
    }
    return out;
  }

  /** Observes latency/TTFB/status of rows recorded since the last scrape (re-reading the look-back window). */
  async #scan(): Promise<void> {
    const now = this.gw.clock();
    const floor = Math.max(this.#startedAt, this.#lastScan - this.#lookback);
    for (const [id, ts] of this.#seen) if (ts < floor) this.#seen.delete(id);
    let from = floor;
    let read = 0;
    while (read < this.#maxRows) {
      const rows = await this.gw.ledger.exportRows({ from, to: now + 60_000, limit: PAGE });
      read += rows.length;
      for (const r of rows) {
        if (this.#seen.has(r.id)) continue;
        this.#seen.set(r.id, r.ts);
        const labels = { modality: r.modality, provider: r.provider, model: r.model };
        this.#outcomes.inc({ ...labels, status: r.status });
        if (r.latencyMs !== null) this.#latency.observe(labels, r.latencyMs / 1000);
        if (r.ttfbMs !== null) this.#ttfb.observe(labels, r.ttfbMs / 1000);
      }
      const last = rows.at(-1);
      // a full page whose rows all share one timestamp cannot advance: stop rather than spin
      if (rows.length < PAGE || !last || last.ts === from) break;
      from = last.ts;
    }
    this.#lastScan = now;
  }

  async #refreshGauges(): Promise<void> {
    this.#budgetSpent.reset();
    this.#budgetLimit.reset();
    this.#budgetUtil.reset();
    this.#projects.reset();
    for (const p of this.gw.projects()) {
      this.#projects.inc({ source: p.source });
      // a project deleted by a concurrent API call while this loop awaits is skipped, not an error
      const s = await this.gw.budgetStatus(p.id).catch((err: unknown) => {
        if (this.gw.project(p.id)) throw err;
        return null;
      });
      if (!s) continue;
      this.#budgetSpent.set({ project: p.id }, s.spentUsd);
      this.#budgetLimit.set({ project: p.id }, s.budgetUsd);
      if (s.budgetUsd > 0) this.#budgetUtil.set({ project: p.id }, s.spentUsd / s.budgetUsd);
    }
    this.#providers.reset();
    for (const p of this.gw.providerSummary()) this.#providers.set({ provider: p.name, kind: p.kind }, p.configured ? 1 : 0);
  }
}

function toTotal(project: string, b: CostBucket): Total {
  const slash = b.key.indexOf('/');
  return {
    project,
    provider: slash > 0 ? b.key.slice(0, slash) : b.key,
    model: slash > 0 ? b.key.slice(slash + 1) : '',
    costNanos: b.costNanos,
    requests: b.requests,
    unpriced: b.unpriced,
  };
}
