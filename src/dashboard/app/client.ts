import type { BudgetStatus } from '../../budget/enforcer.js';
import type { GuardrailEvent } from '../../ledger/types.js';
import type { ProjectView } from '../../projects.js';
import type { GuardrailsView } from '../../project-guardrails.js';
import type { CostsResult, LogEntry, SessionCost } from '../../reports.js';
import type { BudgetEventView, BudgetSeries } from '../api.js';
import type { PriceCatalog } from '../../metering/catalog-view.js';

export type { BudgetEventView, BudgetSeries, BudgetStatus, CostsResult, GuardrailsView, LogEntry, ProjectView, SessionCost };

export interface ProjectInput {
  id?: string;
  name: string;
  description: string;
  daily_budget: number;
  budget_action: ProjectView['budget_action'];
  tags: string[];
}

export interface TrendDay {
  day: string;
  stt: number;
  llm: number;
  tts: number;
  realtime: number;
}

export type GuardrailEventView = GuardrailEvent & { time: string };
export type Period = 'today' | 'week' | 'month' | 'all';

/** An API error body `{ error: { code, message, field } }`, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'voicegw.token';

export const auth = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY);
  },
  /** `remember` keeps the token across browser restarts; otherwise only for this tab */
  save(token: string, remember: boolean): void {
    this.forget();
    (remember ? localStorage : sessionStorage).setItem(TOKEN_KEY, token);
  },
  forget(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(TOKEN_KEY);
  },
};

/** Called on 401 so the app can ask for a token; the failed call still rejects. */
let onUnauthorized: (e: ApiError) => void = () => {};
export function handleUnauthorized(fn: (e: ApiError) => void): void {
  onUnauthorized = fn;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = auth.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'unreachable', 'Cannot reach the gateway. Is `voicegw serve` still running?');
  }
  const data: unknown = await res.json().catch(() => null);
  if (res.ok) return data as T;
  const err = (data as { error?: { code?: string; message?: string; field?: string | null } } | null)?.error;
  const e = new ApiError(res.status, err?.code ?? 'http_error', err?.message ?? `HTTP ${res.status}`, err?.field ?? null);
  if (res.status === 401) onUnauthorized(e);
  throw e;
}

function qs(params: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

const seg = encodeURIComponent;

/** `/v1/status` → `alerts`: webhook count and recent failed deliveries (every process's, from the ledger). */
export interface AlertStatus {
  webhooks: number;
  failed: { project: string; day: string; event: string; target: string; attempts: number; lastError: string | null }[];
}

export const api = {
  status: () => call<Record<string, unknown> & { alerts?: AlertStatus }>('GET', '/v1/status'),
  projects: () => call<{ projects: ProjectView[] }>('GET', '/v1/projects').then((r) => r.projects),
  project: (id: string) => call<ProjectView & { guardrails: boolean }>('GET', `/v1/projects/${seg(id)}`),
  createProject: (p: ProjectInput) => call<unknown>('POST', '/v1/projects', p),
  updateProject: (id: string, p: Omit<ProjectInput, 'id'>) => call<unknown>('PATCH', `/v1/projects/${seg(id)}`, p),
  deleteProject: (id: string) => call<unknown>('DELETE', `/v1/projects/${seg(id)}`),
  costs: (q: { project?: string; period?: Period }) => call<CostsResult>('GET', `/v1/costs${qs(q)}`),
  logs: (q: { project?: string; modality?: string; limit?: number }) => call<{ logs: LogEntry[] }>('GET', `/v1/logs${qs(q)}`).then((r) => r.logs),
  sessions: (q: { project?: string; limit?: number }) => call<{ sessions: SessionCost[] }>('GET', `/v1/sessions${qs(q)}`).then((r) => r.sessions),
  session: (id: string) => call<SessionCost & { logs: LogEntry[] }>('GET', `/v1/sessions/${seg(id)}`),
  budget: (project: string) => call<BudgetStatus>('GET', `/v1/budget/${seg(project)}`),
  budgetSeries: (project: string) => call<BudgetSeries>('GET', `/v1/budget/${seg(project)}/series`),
  budgetEvents: (project: string, limit = 20) => call<{ events: BudgetEventView[] }>('GET', `/v1/budget/${seg(project)}/events${qs({ limit })}`).then((r) => r.events),
  prices: (q: { modality?: string }) => call<PriceCatalog>('GET', `/v1/prices${qs(q)}`),
  trend: (q: { project?: string; days?: number }) => call<{ days: TrendDay[]; timeZone: string }>('GET', `/v1/trend${qs(q)}`),
  guardrails: (id: string) => call<GuardrailsView>('GET', `/v1/projects/${seg(id)}/guardrails`),
  /** each category named gets its action; null returns it to the top-level default */
  setGuardrails: (id: string, body: { categories: Record<string, string | null> }) => call<GuardrailsView>('PUT', `/v1/projects/${seg(id)}/guardrails`, body),
  clearGuardrails: (id: string) => call<GuardrailsView>('DELETE', `/v1/projects/${seg(id)}/guardrails`),
  guardrailEvents: (q: { project?: string; limit?: number }) => call<{ events: GuardrailEventView[] }>('GET', `/v1/guardrails/events${qs(q)}`).then((r) => r.events),
};
