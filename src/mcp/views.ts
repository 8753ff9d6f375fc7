import { z } from 'zod';
import { MODALITIES } from '../types.js';
import type { BudgetStatus } from '../budget/enforcer.js';
import type { Project } from '../projects.js';
import type { GuardrailEvent } from '../ledger/types.js';
import type { LogEntry, SessionCost, UsdBucket } from '../reports.js';
import { maskConfig } from '../secrets.js';

/** Output shapes of the tools (JSON Schema for clients, checked by the SDK before anything leaves). */

export const projectView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  dailyBudgetUsd: z.number().describe('0 = no limit'),
  budgetAction: z.enum(['warn', 'throttle', 'block']),
  tags: z.array(z.string()),
  source: z.enum(['yaml', 'runtime', 'auto']).describe('yaml and auto projects are read-only at run time'),
  readOnly: z.boolean(),
});
export type ProjectView = z.infer<typeof projectView>;

export function toProjectView(p: Project): ProjectView {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    dailyBudgetUsd: p.dailyBudgetUsd,
    budgetAction: p.budgetAction,
    tags: [...p.tags],
    source: p.source,
    readOnly: p.source !== 'runtime',
  };
}

/** The project's full configuration (fallbacks, guardrails, provider overrides) with keys masked. */
export function maskedProjectConfig(p: Project): Record<string, unknown> {
  return maskConfig(p.config) as Record<string, unknown>;
}

export const budgetStatusView = z.object({
  project: z.string(),
  day: z.string().describe('budget day (YYYY-MM-DD) in the project budget time zone'),
  spentUsd: z.number(),
  reservedUsd: z.number(),
  budgetUsd: z.number().describe('0 = no limit'),
  remainingUsd: z.number().nullable(),
  percent: z.number(),
  status: z.enum(['ok', 'warning', 'exceeded']),
  action: z.enum(['warn', 'throttle', 'block']),
  resetsAt: z.string(),
  unpricedRequests: z.number().describe('requests today to models without a price (allow_unpriced): served, never in spentUsd'),
  partial: z.boolean().describe("true while the ledger cannot be read: spentUsd counts only the serving process's own requests"),
});
export const toBudgetView = (s: BudgetStatus): z.infer<typeof budgetStatusView> => ({ ...s });

export const usdBucketView = z.object({
  key: z.string(),
  costUsd: z.number(),
  requests: z.number(),
  unpriced: z.number().describe('requests with no known price (not counted as $0)'),
});
export const toBucketView = (b: UsdBucket): z.infer<typeof usdBucketView> => ({ ...b });

export const logEntryView = z.object({
  id: z.string(),
  time: z.string(),
  project: z.string(),
  sessionId: z.string().nullable(),
  modality: z.enum(MODALITIES as unknown as ['stt', 'llm', 'tts', 'realtime']),
  provider: z.string(),
  model: z.string(),
  inputUnits: z.number(),
  outputUnits: z.number(),
  cachedUnits: z.number(),
  costUsd: z.number().nullable().describe('null = unknown price'),
  pricingSource: z.string(),
  ttfbMs: z.number().nullable(),
  latencyMs: z.number().nullable(),
  status: z.string(),
  fallbackFrom: z.string().nullable(),
  error: z.string().nullable(),
  throttle: z.string().nullable(),
  guardrailFindings: z.number(),
});
export function toLogView(e: LogEntry): z.infer<typeof logEntryView> {
  return {
    id: e.id,
    time: e.time,
    project: e.project,
    sessionId: e.sessionId,
    modality: e.modality,
    provider: e.provider,
    model: e.model,
    inputUnits: e.inputUnits,
    outputUnits: e.outputUnits,
    cachedUnits: e.cachedUnits,
    costUsd: e.costUsd,
    pricingSource: e.pricingSource,
    ttfbMs: e.ttfbMs,
    latencyMs: e.latencyMs,
    status: e.status,
    fallbackFrom: e.fallbackFrom,
    error: e.error,
    throttle: e.throttle,
    guardrailFindings: e.guardrailFindings,
  };
}

export const sessionView = z.object({
  id: z.string(),
  project: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
  durationSec: z.number(),
  sttUsd: z.number(),
  llmUsd: z.number(),
  ttsUsd: z.number(),
  realtimeUsd: z.number(),
  totalUsd: z.number(),
  perMinuteUsd: z.number().nullable(),
  requests: z.number(),
  unpriced: z.number(),
});
export function toSessionView(s: SessionCost): z.infer<typeof sessionView> {
  return {
    id: s.id,
    project: s.project,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    durationSec: s.durationSec,
    sttUsd: s.stt,
    llmUsd: s.llm,
    ttsUsd: s.tts,
    realtimeUsd: s.realtime,
    totalUsd: s.total,
    perMinuteUsd: s.perMinute,
    requests: s.requests,
    unpriced: s.unpriced,
  };
}

export const guardrailEventView = z.object({
  time: z.string(),
  project: z.string(),
  sessionId: z.string().nullable(),
  requestId: z.string().nullable(),
  category: z.string(),
  detector: z.string(),
  action: z.string(),
  direction: z.enum(['in', 'out']).describe('in = user/context text sent to the LLM, out = the LLM answer'),
  excerpt: z.string().describe('text around the finding, the finding itself replaced by a placeholder'),
});
export function toGuardrailView(e: GuardrailEvent): z.infer<typeof guardrailEventView> {
  return {
    time: new Date(e.ts).toISOString(),
    project: e.project,
    sessionId: e.sessionId,
    requestId: e.requestId,
    category: e.category,
    detector: e.detector,
    action: e.action,
    direction: e.direction,
    excerpt: e.excerpt,
  };
}
