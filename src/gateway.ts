import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type BudgetPolicy, BudgetEnforcer, type BudgetStatus } from './budget/enforcer.js';
import { type LoadedConfig, loadConfig, type LoadOptions } from './config/load.js';
import type { GatewayConfig } from './config/schema.js';
import { ConfigError, UnknownProjectError } from './errors.js';
import { guardrailPolicyFor } from './config/guardrails.js';
import { compilePolicy, type CompiledPolicy } from './guardrails/policy.js';
import { excerpt, redactText, scanText } from './guardrails/scan.js';
import type { Finding, GuardrailPolicy } from './guardrails/types.js';

export interface GuardrailSetup {
  policy: GuardrailPolicy;
  compiled: CompiledPolicy;
  /** pii or financial active: the streamed answer goes through a StreamingRedactor (redact/block redact, alert records) */
  redactsOutput: boolean;
}
import { scopedProject } from './inference/context.js';
import { type LedgerStatus, ledgerStatus } from './ledger/status.js';
import { openStore } from './ledger/index.js';
import { resolveTarget } from './ledger/location.js';
import { ResilientLedger } from './ledger/resilient.js';
import { type AlertDelivery, isAtomicBudgetStore, type Ledger } from './ledger/types.js';
import { type PriceCatalog, priceCatalog } from './metering/catalog-view.js';
import { PriceBook } from './metering/pricing.js';
import { log } from './log.js';
import { maskSecret, maskUrls } from './secrets.js';
import { usdToNanos } from './money.js';
import { mergeProjects, type Project } from './projects.js';
import { guardrailsView, type GuardrailsView } from './project-guardrails.js';
import { ProviderRegistry } from './providers/registry.js';
import { HealthTracker } from './routing/health.js';
import { ProjectAdmin } from './admin.js';
import { AlertDispatcher } from './alerts/webhooks.js';
import { Reports } from './reports.js';

export interface ProviderSummary {
  name: string;
  kind: 'cloud' | 'local';
  modalities: string[];
  /** a key is available (or none is needed) */
  configured: boolean;
  keySource: string | null;
  /** `sk-a…1f2b` at most: keys are never returned whole */
  maskedKey: string | null;
  baseURL: string | null;
  plugin: string;
}

export interface GatewayOptions extends LoadOptions {
  /** SQLite file for the ledger (default: `cost_tracking.db_path`, `$VOICEGW_DB_PATH`, or ~/.config/voicegateway/voicegw.db) */
  dbPath?: string;
  /** `postgres://…` ledger for fleets (default: `$VOICEGW_DB_URL` or `cost_tracking.database_url`) */
  databaseUrl?: string;
  /** injectable clock for budgets and reports (tests) */
  clock?: () => number;
}

/**
 * The facade every surface and drop-in goes through: configuration, provider registry, prices,
 * ledger, budgets, routing health and guardrail policies, opened and closed together.
 */
export class Gateway {
  readonly loaded: LoadedConfig;
  readonly registry: ProviderRegistry;
  readonly prices: PriceBook;
  readonly budget: BudgetEnforcer;
  readonly health: HealthTracker;
  readonly clock: () => number;
  readonly reports: Reports;
  readonly admin: ProjectAdmin;
  readonly alerts: AlertDispatcher;
  readonly #ledger: ResilientLedger;
  #projects = new Map<string, Project>();
  #policies = new Map<string, GuardrailSetup | null>();
  /** budget policies built from `#projects`: cleared whenever it is replaced */
  readonly #budgetPolicies = new Map<string, BudgetPolicy>();
  #closed = false;
  #attempted = false;
  /** runtime projects as last read from the ledger (JSON), to notice edits made by other processes */
  #storedProjects = '';
  #refreshTimer: NodeJS.Timeout | null = null;
  readonly #reloads = { started: 0, applied: 0 };
  readonly #inflight = new Set<Promise<unknown>>();
  /**
   * Resolves after the first attempt to open the ledger: open with runtime projects merged, or not
   * (degraded: see `ledgerStatus()`; the gateway keeps retrying and serves calls meanwhile). Never rejects.
   */
  readonly ready: Promise<void>;

  private constructor(loaded: LoadedConfig, readonly options: GatewayOptions) {
    this.loaded = loaded;
    this.clock = options.clock ?? Date.now;
    this.registry = new ProviderRegistry(loaded.config.providers);
    this.prices = new PriceBook(loaded.config.prices, (modality: string, model: string) =>
      log.once('warn', `unpriced:${modality}:${model}`, `No price known for ${modality.toUpperCase()} model '${model}': its cost is recorded as unknown (null). Add it under prices: in voicegw.yaml.`),
    );
    this.alerts = new AlertDispatcher(loaded.config.alerts, () => this.#ledger, this.clock);
    this.health = new HealthTracker(loaded.config.routing.cooldown_ms, this.clock);
    this.budget = new BudgetEnforcer({
      ledger: null,
      clock: this.clock,
      cacheTtlMs: loaded.config.budget.cache_ttl_ms,
      policyFor: (p) => this.budgetPolicy(p),
      onEvent: (ev, policy) => this.alerts.budgetEvent(ev, policy.action),
    });
    this.#projects = mergeProjects(loaded.config, []);
    this.reports = new Reports(this);
    this.admin = new ProjectAdmin(this);
    this.#ledger = this.#createLedger();
    this.ready = this.#ledger.firstAttempt.then(() => void (this.#attempted = true));
  }

  /** Loads the config now and opens the ledger in the background (`await gw.ready`). */
  static create(options: GatewayOptions = {}): Gateway {
    return new Gateway(loadConfig(options), options);
  }

  static async open(options: GatewayOptions = {}): Promise<Gateway> {
    const gw = Gateway.create(options);
    await gw.ready;
    return gw;
  }

  get config(): GatewayConfig {
    return this.loaded.config;
  }

  /**
   * The ledger. Always usable for writes: while its store cannot be opened or written, rows wait
   * in memory and reads reject with the reason (`ledgerStatus()` says what is wrong).
   */
  get ledger(): Ledger {
    if (this.#closed) throw new Error('Gateway is closed');
    return this.#ledger;
  }

  /** Whether the ledger takes writes, what is wrong if not, and how many rows wait or were lost. */
  ledgerStatus(): LedgerStatus {
    return ledgerStatus(this.#ledger);
  }

  /** Opens the store in the background, retrying with back-off while it cannot (degraded mode). */
  #createLedger(): ResilientLedger {
    const env = this.options.env ?? process.env;
    const databaseUrl = this.options.databaseUrl ?? env.VOICEGW_DB_URL ?? this.config.cost_tracking.database_url;
    const target = resolveTarget({ databaseUrl, sqlitePath: databaseUrl ? undefined : this.ledgerPath() });
    return new ResilientLedger(target, () => openStore(target), async (store) => {
      // fleets share one budget through the database; a single SQLite file keeps budgets in-process
      this.budget.attachLedger(this.#ledger, store.kind === 'postgres' && isAtomicBudgetStore(store) ? store : null);
      await this.reloadProjects(store);
      this.#startProjectRefresh();
    });
  }

  /** The first attempt to open the ledger is over (`ready` resolved): runtime projects are known if it opened. */
  get isReady(): boolean {
    return this.#attempted;
  }

  /**
   * Runtime projects created or edited by any process (API, dashboard, MCP, CLI) reach this one
   * within `budget.project_refresh_ms`. Reservations in flight are kept: budgets look policies up live.
   */
  #startProjectRefresh(): void {
    if (this.#closed || this.#refreshTimer) return;
    this.#refreshTimer = setInterval(() => {
      this.reloadProjects().catch((e: Error) => log.once('warn', 'project-refresh', `could not re-read runtime projects (${e.message}); keeping the ones known`));
    }, this.config.budget.project_refresh_ms);
    this.#refreshTimer.unref();
  }

  ledgerPath(): string {
    const env = this.options.env ?? process.env;
    const configured = this.options.dbPath ?? env.VOICEGW_DB_PATH ?? this.config.cost_tracking.db_path;
    const base = this.loaded.source ? dirname(this.loaded.source) : process.cwd();
    if (configured) return resolve(base, configured);
    return join(homedir(), '.config', 'voicegateway', 'voicegw.db');
  }

  /** Re-reads runtime projects from the ledger and merges them under the YAML ones. */
  async reloadProjects(store?: Ledger): Promise<void> {
    const from = store ?? this.#ledger.store;
    if (!from) return; // the store is away: keep the projects known
    const ticket = ++this.#reloads.started;
    const stored = await from.listProjects();
    if (ticket < this.#reloads.applied) return; // a later read already answered (e.g. right after a write)
    this.#reloads.applied = ticket;
    const json = JSON.stringify(stored);
    if (json === this.#storedProjects) return;
    this.#storedProjects = json;
    this.#projects = mergeProjects(this.config, stored);
    this.#policies.clear();
    this.#budgetPolicies.clear();
  }

  projects(): Project[] {
    return [...this.#projects.values()];
  }

  project(id: string): Project | undefined {
    return this.#projects.get(id);
  }

  requireProject(id: string): Project {
    const p = this.#projects.get(id);
    if (!p) throw new UnknownProjectError(id, [...this.#projects.keys()]);
    return p;
  }

  /** `setProject()` in this async context > `$VOICEGW_ACTIVE_PROJECT` > `default_project` > `"default"`. */
  activeProject(explicit?: string): Project {
    return this.requireProject(this.activeProjectId(explicit));
  }

  /** The id `activeProject()` resolves, whether or not the project is known yet. */
  activeProjectId(explicit?: string): string {
    const env = this.options.env ?? process.env;
    return explicit ?? scopedProject() ?? (env.VOICEGW_ACTIVE_PROJECT || undefined) ?? this.config.default_project ?? 'default';
  }

  /** The project's budget as the enforcer applies it; one object per project until projects change (the admission hot path). */
  budgetPolicy(projectId: string): BudgetPolicy {
    const cached = this.#budgetPolicies.get(projectId);
    if (cached) return cached;
    const p = this.requireProject(projectId);
    const policy: BudgetPolicy = Object.freeze({
      project: p.id,
      budgetNanos: usdToNanos(p.dailyBudgetUsd),
      action: p.budgetAction,
      timeZone: p.config.budget_timezone ?? this.config.budget_timezone,
    });
    this.#budgetPolicies.set(projectId, policy);
    return policy;
  }

  /** Spend by provider, model, modality and project over a period (calendar days in `budget_timezone`). */
  costs(q?: Parameters<Reports['costs']>[0]): ReturnType<Reports['costs']> {
    return this.reports.costs(q);
  }

  /** Recent ledger rows, newest first. */
  logs(q?: Parameters<Reports['logs']>[0]): ReturnType<Reports['logs']> {
    return this.reports.logs(q);
  }

  /** One session's cost: `{ stt, llm, tts, realtime, total, perMinute }`. */
  session(id: string): ReturnType<Reports['session']> {
    return this.reports.session(id);
  }

  /** Ledger rows for accounting exports (CSV/JSON), oldest first. */
  exportCosts(q: Parameters<Reports['exportCosts']>[0]): ReturnType<Reports['exportCosts']> {
    return this.reports.exportCosts(q);
  }

  budgetStatus(projectId: string): Promise<BudgetStatus> {
    this.requireProject(projectId);
    return this.budget.status(projectId);
  }

  /**
   * The project's guardrail policy (compiled once), or null when guardrails are off. YAML policies
   * were compiled at load; a stored runtime policy that no longer compiles (written by an older
   * version, or the YAML defaults it merges with changed) must not fail calls: the project gets the
   * top-level policy instead, with an error line saying which project and why.
   */
  guardrails(projectId: string): GuardrailSetup | null {
    if (this.#policies.has(projectId)) return this.#policies.get(projectId)!;
    const project = this.requireProject(projectId);
    let setup: GuardrailSetup | null;
    try {
      setup = guardrailSetup(guardrailPolicyFor(this.config.guardrails, project.config.guardrails));
    } catch (err) {
      log.error(
        `guardrails: project '${projectId}' has stored guardrail settings that do not compile (${(err as Error).message}); ` +
          `its calls use the top-level guardrails until they are fixed (voicegw guardrails set|clear --project ${projectId})`,
      );
      setup = guardrailSetup(guardrailPolicyFor(this.config.guardrails, undefined));
    }
    this.#policies.set(projectId, setup);
    return setup;
  }

  /** Every category's action for a new session of the project and where it is set (CLI/API/MCP/dashboard). */
  guardrailsView(projectId: string): GuardrailsView {
    const p = this.requireProject(projectId);
    return guardrailsView(p, this.config.guardrails, this.guardrails(p.id)?.compiled ?? null);
  }

  /** Scans `text` with a project's policy as a call would (CLI `guardrails dry-run`): findings and the redacted text. */
  guardrailDryRun(projectId: string, text: string): { enabled: boolean; findings: Array<Finding & { action: string; excerpt: string }>; redacted: string } {
    const setup = this.guardrails(projectId);
    if (!setup) return { enabled: false, findings: [], redacted: text };
    const found = scanText(text, setup.compiled);
    const findings = found.map((f) => ({ ...f, action: setup.compiled.actions[f.category], excerpt: excerpt(text, f, 24, found) }));
    return { enabled: true, findings, redacted: redactText(text, found) };
  }

  /** The price catalog as requests are priced (CLI `prices`, dashboard, MCP `list_models`). */
  priceCatalog(o: Parameters<typeof priceCatalog>[1] = {}): PriceCatalog {
    return priceCatalog(this.prices, { now: this.clock(), ...o });
  }

  /** Budget alert webhooks and the deliveries that failed lately (from the ledger: every process's). */
  async alertStatus(): Promise<{ webhooks: number; failed: AlertDelivery[] }> {
    const failed = this.alerts.enabled ? await this.#ledger.alertDeliveries({ status: 'failed', limit: 10 }).catch(() => []) : [];
    return { webhooks: this.config.alerts.webhooks.length, failed };
  }

  /** Configured providers for status screens: kind, modalities, where the key comes from (masked), base URL. */
  providerSummary(): ProviderSummary[] {
    const env = this.options.env ?? process.env;
    return this.registry.list().map((spec) => {
      const cfg = this.config.providers[spec.name];
      const key = cfg?.api_key || (spec.envKey ? env[spec.envKey] : undefined);
      const keySource = cfg?.api_key ? `providers.${spec.name}.api_key` : key ? `$${spec.envKey}` : null;
      return {
        name: spec.name,
        kind: spec.kind,
        modalities: [...spec.modalities],
        configured: spec.kind === 'local' || !!key || Object.values(this.config.projects).some((p) => !!p.providers[spec.name]?.api_key),
        keySource,
        maskedKey: maskSecret(key),
        baseURL: maskUrls(cfg?.base_url ?? spec.defaultBaseURL ?? '') || null,
        plugin: spec.plugin,
      };
    });
  }

  timeZoneOf(projectId?: string): string {
    return (projectId && this.project(projectId)?.config.budget_timezone) || this.config.budget_timezone;
  }

  /** Keeps a request's promise so `drain()`/`close()` wait until its ledger row is written. */
  track<T>(p: Promise<T>): Promise<T> {
    this.#inflight.add(p);
    const forget = () => this.#inflight.delete(p);
    p.then(forget, forget);
    return p;
  }

  /** Waits for every in-flight request to finish and its ledger rows to be in the store (waits while the store is away). */
  async drain(): Promise<void> {
    await this.#settle();
    await this.#ledger.flush();
  }

  async #settle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
    await this.budget.idle(); // budget settlements and the events they cross (alerts) come after the rows
  }

  /** Waits for in-flight requests, gives queued rows a bounded time to reach the store, and closes it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#settle();
    await this.alerts.close(); // a worker that crossed a threshold just before exiting still alerts
    this.#closed = true;
    if (this.#refreshTimer) clearInterval(this.#refreshTimer);
    if (defaultGateway === this) defaultGateway = null;
    await this.#ledger.close();
  }

  get closed(): boolean {
    return this.#closed;
  }
}

let defaultGateway: Gateway | null = null;

/** The process-wide gateway, created on first use from the config search path. */
export function getGateway(): Gateway {
  if (!defaultGateway || defaultGateway.closed) defaultGateway = Gateway.create();
  return defaultGateway;
}

/** Makes `gw` the process-wide gateway (tests, apps that open their own). */
export function setGateway(gw: Gateway | null): void {
  defaultGateway = gw;
}

export { ConfigError };

function outputGuarded(policy: GuardrailPolicy): boolean {
  return (['pii', 'financial'] as const).some((c) => (policy.categories[c] ?? 'off') !== 'off');
}

function guardrailSetup(policy: GuardrailPolicy | null): GuardrailSetup | null {
  return policy ? { policy, compiled: compilePolicy(policy), redactsOutput: outputGuarded(policy) } : null;
}
