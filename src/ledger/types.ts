import type { Nanos } from '../money.js';
import type { BudgetAction, Modality } from '../types.js';
import type { StoreHealth } from './health.js';

/** `success|error|cancelled|fallback` per attempt; `blocked` when budget/guardrails answered instead of a provider. */
export type RequestStatus = 'success' | 'error' | 'cancelled' | 'fallback' | 'blocked';

/**
 * One row per provider attempt. Units: STT input = audio seconds; LLM input/output/cached = tokens;
 * TTS input = characters; realtime = one row per response, input/output/cached = all tokens (text +
 * audio; the cost prices each kind at its own rate).
 */
export interface RequestRecord {
  id: string;
  /** epoch milliseconds */
  ts: number;
  project: string;
  sessionId: string | null;
  modality: Modality;
  provider: string;
  model: string;
  inputUnits: number;
  outputUnits: number;
  cachedUnits: number;
  /** null = no known price (never a silent 0) */
  costNanos: Nanos | null;
  pricingSource: string;
  ttfbMs: number | null;
  latencyMs: number | null;
  status: RequestStatus;
  /** the chain entry this attempt replaced, e.g. `deepgram/nova-3` */
  fallbackFrom: string | null;
  error: string | null;
  /** budget throttle decision on this attempt: `local`, `cheaper`, `delay:1000` */
  throttle: string | null;
  guardrailFindings: number;
}

export type Period = 'today' | 'week' | 'month' | 'all' | { from: number; to: number };

export interface CostQuery {
  project?: string;
  /** resolved by the caller into a [from, to) window of epoch ms */
  from?: number;
  to?: number;
}

export interface CostBucket {
  key: string;
  costNanos: Nanos;
  requests: number;
  /** requests whose price was unknown (cost null): reported, never counted as 0 */
  unpriced: number;
}

export interface CostReport {
  totalNanos: Nanos;
  requests: number;
  unpriced: number;
  byProvider: CostBucket[];
  byModel: CostBucket[];
  byModality: CostBucket[];
  byProject: CostBucket[];
}

export interface LogQuery {
  project?: string;
  modality?: Modality;
  session?: string;
  from?: number;
  to?: number;
  limit?: number;
}

export interface SessionRecord {
  id: string;
  project: string;
  startedAt: number;
  endedAt: number;
  sttNanos: Nanos;
  llmNanos: Nanos;
  ttsNanos: Nanos;
  /** speech-to-speech responses (modality `realtime`) */
  realtimeNanos: Nanos;
  totalNanos: Nanos;
  /** requests with unknown price inside this session */
  unpriced: number;
  requests: number;
}

/** A project created at run time (CLI/API/MCP); YAML projects are never stored here. */
export interface StoredProject {
  id: string;
  name: string;
  description: string;
  dailyBudgetUsd: number;
  budgetAction: BudgetAction;
  tags: string[];
  createdAt: number;
  updatedAt: number;
  /** the other fields a YAML project can set (`budget_block_message`, `fallbacks`, `guardrails` …), validated on write */
  settings: Record<string, unknown>;
}

export interface AuditEvent {
  ts: number;
  actor: string;
  source: 'cli' | 'api' | 'mcp' | 'sdk';
  action: string;
  target: string;
  detail: string;
}

export interface GuardrailEvent {
  ts: number;
  project: string;
  sessionId: string | null;
  requestId: string | null;
  category: string;
  detector: string;
  action: string;
  direction: 'in' | 'out';
  /** text around the finding with the finding itself replaced by its placeholder: never the raw value */
  excerpt: string;
}

export interface BudgetEvent {
  ts: number;
  project: string;
  day: string;
  kind: 'warning' | 'exceeded' | 'throttled' | 'blocked';
  spentNanos: Nanos;
  budgetNanos: Nanos;
}

/** One budget alert to one webhook: claimed once per project-day across the fleet, then delivered. */
export interface AlertDelivery {
  project: string;
  day: string;
  /** `budget_warning` | `budget_exceeded` | `budget_throttled` | `budget_blocked` */
  event: string;
  /** the webhook URL, masked */
  target: string;
  claimedAt: number;
  updatedAt: number;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
}

/** Spend in fixed UTC-aligned buckets; callers fold them into local days (any IANA zone). */
export interface SpendBucket {
  /** bucket start, epoch ms */
  start: number;
  modality: Modality;
  costNanos: Nanos;
  requests: number;
}

/**
 * The only storage door. `record` is called when an attempt completes and makes the row durable
 * before it returns or resolves (kill -9 afterwards loses nothing), unless the store refuses writes
 * (degraded mode, docs/degraded-mode.md): then the row waits in a bounded in-memory queue, `record`
 * resolves without it, and `health()` says so. `record` never throws and never blocks the loop.
 */
export interface Ledger {
  readonly kind: 'sqlite' | 'postgres';
  readonly location: string;
  record(row: RequestRecord): void | Promise<void>;
  /** whether writes reach the store, and how many wait in memory or were lost (degraded mode) */
  health(): StoreHealth;
  /** resolves when every write made so far is in the store (waits while the store is away) */
  flush(): Promise<void>;
  close(): Promise<void>;

  /** sum of known costs for one project in [from, to) */
  spend(project: string, from: number, to: number): Promise<Nanos>;
  costs(q: CostQuery): Promise<CostReport>;
  logs(q: LogQuery): Promise<RequestRecord[]>;
  session(id: string): Promise<SessionRecord | null>;
  sessions(q: { project?: string; limit?: number }): Promise<SessionRecord[]>;
  /** spend grouped by [start, start + bucketMs) UTC buckets and modality, for trends */
  spendSeries(q: { project?: string; from: number; to: number; bucketMs: number }): Promise<SpendBucket[]>;
  exportRows(q: CostQuery & { limit?: number }): Promise<RequestRecord[]>;

  listProjects(): Promise<StoredProject[]>;
  upsertProject(p: StoredProject): Promise<void>;
  deleteProject(id: string): Promise<boolean>;

  audit(e: AuditEvent): Promise<void>;
  auditLog(q: { limit?: number }): Promise<AuditEvent[]>;
  recordGuardrailEvents(e: GuardrailEvent[]): Promise<void>;
  guardrailEvents(q: { project?: string; limit?: number }): Promise<GuardrailEvent[]>;
  recordBudgetEvent(e: BudgetEvent): Promise<void>;
  budgetEvents(q: { project?: string; limit?: number }): Promise<BudgetEvent[]>;
  /** Inserts a `pending` delivery if none exists for its key; true when this call created it (the caller sends). */
  claimAlert(a: Pick<AlertDelivery, 'project' | 'day' | 'event' | 'target'>, ts: number): Promise<boolean>;
  updateAlert(a: Pick<AlertDelivery, 'project' | 'day' | 'event' | 'target' | 'status' | 'attempts' | 'lastError'>, ts: number): Promise<void>;
  /** Most recently updated first. */
  alertDeliveries(q: { status?: AlertDelivery['status']; limit?: number }): Promise<AlertDelivery[]>;
}

/** Spend and open reservations of one project on one budget day, as the database holds them. */
export interface BudgetDayState {
  spentNanos: Nanos;
  reservedNanos: Nanos;
}

/**
 * Fleet-wide budget accounting in the database (table `budget_days`), for several workers sharing
 * one budget. `spent_nanos` is maintained ONLY by `settle` (a reservation moves to spent there);
 * `record()` writes request rows and never touches `budget_days`, so a cost is never counted twice.
 */
export interface AtomicBudgetStore {
  /**
   * One atomic upsert deciding by the admission rule (`admits` in budget/rule.ts) on the figures
   * before it: holds `estimateNanos` when spent + reserved < budget (or `budgetNanos` is 0), or
   * always with `force` (the request runs anyway). Returns the day's figures after the call.
   */
  reserve(project: string, day: string, estimateNanos: Nanos, budgetNanos: Nanos, force?: boolean): Promise<{ admitted: boolean } & BudgetDayState>;
  /** Releases `estimateNanos` of reservation and adds `actualNanos` (null = unknown price: adds 0) to spent. */
  settle(project: string, day: string, estimateNanos: Nanos, actualNanos: Nanos | null): Promise<void>;
  budgetDay(project: string, day: string): Promise<BudgetDayState>;
}

export function isAtomicBudgetStore(ledger: Ledger): ledger is Ledger & AtomicBudgetStore {
  const l = ledger as Partial<AtomicBudgetStore>;
  return typeof l.reserve === 'function' && typeof l.settle === 'function' && typeof l.budgetDay === 'function';
}

/** Where the ledger lives: a `postgres://` URL wins over a SQLite file path. */
export interface LedgerTarget {
  sqlitePath?: string;
  databaseUrl?: string;
  postgres?: PostgresLedgerOptions;
}

export interface PostgresLedgerOptions {
  /** pool size per process (default 4) */
  poolSize?: number;
  /** rows held in memory while the database is unreachable (default 100,000); beyond it new rows are dropped and counted */
  maxQueuedRows?: number;
  /** rows per INSERT (default 500) */
  batchSize?: number;
  /** retry backoff cap while the database is unreachable (default 2,000 ms) */
  maxBackoffMs?: number;
  /** how long `close()` keeps retrying queued rows before reporting them lost (default 5,000 ms) */
  closeTimeoutMs?: number;
}
