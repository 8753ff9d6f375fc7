import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { MODALITIES } from '../../types.js';
import type { Period } from '../../ledger/types.js';
import { formatUsd, nanosToUsd } from '../../money.js';
import type { UsdBucket } from '../../reports.js';
import { defineTool, type ToolContext, ToolError } from '../tool.js';
import {
  budgetStatusView,
  guardrailEventView,
  logEntryView,
  sessionView,
  toBucketView,
  toBudgetView,
  toGuardrailView,
  toLogView,
  toSessionView,
  usdBucketView,
} from '../views.js';

const instant = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date or date-time, e.g. "2025-06-01" or "2025-06-01T12:00:00Z"')
  .describe('ISO 8601 date or date-time (UTC unless it carries an offset)');
const modality = z.enum(MODALITIES as unknown as ['stt', 'llm', 'tts', 'realtime']);
const GROUPS = { provider: 'byProvider', model: 'byModel', modality: 'byModality', project: 'byProject' } as const;

/** `from`/`to` win over `period`; either bound alone is refused so a window is never half-guessed. */
function periodOf(period: Exclude<Period, object>, from?: string, to?: string): Period {
  if (from === undefined && to === undefined) return period;
  if (from === undefined || to === undefined) throw new ToolError('Give both from and to (or neither and use period)');
  const range = { from: Date.parse(from), to: Date.parse(to) };
  if (range.from >= range.to) throw new ToolError(`from (${from}) must be before to (${to})`);
  return range;
}

function top(b: UsdBucket[]): string {
  const best = [...b].sort((x, y) => y.costUsd - x.costUsd)[0];
  return best ? `; largest ${best.key} ${formatUsd(best.costUsd)}` : '';
}

export function registerReportTools(server: McpServer, ctx: ToolContext): void {
  const { gw } = ctx;

  defineTool(
    server,
    ctx,
    'get_costs',
    {
      title: 'Get costs',
      description: 'Spend from the ledger for one project or all, over a period (calendar days in the budget time zone), grouped by provider, model, modality or project.',
      input: z.strictObject({
        project: z.string().min(1).optional().describe('project id (default: all projects)'),
        period: z.enum(['today', 'week', 'month', 'all']).default('today').describe('week = last 7 days, month = last 30 days, including today'),
        from: instant.optional(),
        to: instant.optional(),
        group_by: z.enum(['provider', 'model', 'modality', 'project']).default('provider'),
      }),
      output: z.object({
        project: z.string().nullable(),
        period: z.object({ from: z.string(), to: z.string(), timeZone: z.string() }),
        totalUsd: z.number(),
        requests: z.number(),
        unpriced: z.number().describe('requests with no known price: not counted in totalUsd'),
        groupBy: z.enum(['provider', 'model', 'modality', 'project']),
        groups: z.array(usdBucketView),
      }),
      annotations: { readOnlyHint: true },
    },
    async ({ project, period, from, to, group_by }) => {
      const r = await gw.reports.costs({ project, period: periodOf(period, from, to) });
      const groups = r[GROUPS[group_by]].map(toBucketView);
      const scope = project ? `'${project}'` : 'all projects';
      const when = from ? `${r.period.from} to ${r.period.to}` : period;
      const unpriced = r.unpriced > 0 ? ` (${r.unpriced} unpriced, not counted)` : '';
      return {
        summary: `${scope}, ${when}: ${formatUsd(r.totalUsd)} over ${r.requests} request(s)${unpriced}${top(groups)}`,
        data: { project: r.project, period: r.period, totalUsd: r.totalUsd, requests: r.requests, unpriced: r.unpriced, groupBy: group_by, groups },
      };
    },
  );

  defineTool(
    server,
    ctx,
    'get_budget_status',
    {
      title: 'Get budget status',
      description: "Today's spend against the daily budget (ok < 80% ≤ warning < 100% ≤ exceeded) for one project or all, with recent budget events.",
      input: z.strictObject({ project: z.string().min(1).optional().describe('project id (default: every project)') }),
      output: z.object({
        statuses: z.array(budgetStatusView),
        events: z.array(
          z.object({ time: z.string(), project: z.string(), day: z.string(), kind: z.enum(['warning', 'exceeded', 'throttled', 'blocked']), spentUsd: z.number(), budgetUsd: z.number() }),
        ),
      }),
      annotations: { readOnlyHint: true },
    },
    async ({ project }) => {
      await gw.ready;
      const ids = project ? [ctx.gw.requireProject(project).id] : gw.projects().map((p) => p.id);
      const statuses = (await Promise.all(ids.map((id) => gw.budgetStatus(id)))).map(toBudgetView);
      const events = (await gw.ledger.budgetEvents({ project, limit: 20 })).map((e) => ({
        time: new Date(e.ts).toISOString(),
        project: e.project,
        day: e.day,
        kind: e.kind,
        spentUsd: nanosToUsd(e.spentNanos),
        budgetUsd: nanosToUsd(e.budgetNanos),
      }));
      const line = (s: (typeof statuses)[number]) =>
        s.budgetUsd > 0 ? `${s.project} ${formatUsd(s.spentUsd)} / ${formatUsd(s.budgetUsd)} (${s.percent}%, ${s.status})` : `${s.project} ${formatUsd(s.spentUsd)} (no budget)`;
      return { summary: statuses.map(line).join('; '), data: { statuses, events } };
    },
  );

  defineTool(
    server,
    ctx,
    'get_logs',
    {
      title: 'Get request logs',
      description: 'Recent ledger rows, newest first: one per provider attempt, with units, cost, latency, status and errors.',
      input: z.strictObject({
        project: z.string().min(1).optional(),
        modality: modality.optional(),
        session: z.string().min(1).optional().describe('session id'),
        from: instant.optional(),
        to: instant.optional(),
        limit: z.number().int().min(1).max(500).default(20),
      }),
      output: z.object({ entries: z.array(logEntryView), count: z.number() }),
      annotations: { readOnlyHint: true },
    },
    async ({ project, modality: m, session, from, to, limit }) => {
      const entries = (
        await gw.reports.logs({ project, modality: m, session, from: from ? Date.parse(from) : undefined, to: to ? Date.parse(to) : undefined, limit })
      ).map(toLogView);
      const errors = entries.filter((e) => e.status === 'error').length;
      const cost = entries.reduce((s, e) => s + (e.costUsd ?? 0), 0);
      const newest = entries[0] ? `; newest ${entries[0].time} ${entries[0].provider}/${entries[0].model} ${entries[0].status}` : '';
      return { summary: `${entries.length} request(s), ${errors} error(s), ${formatUsd(cost)}${newest}`, data: { entries, count: entries.length } };
    },
  );

  defineTool(
    server,
    ctx,
    'get_session',
    {
      title: 'Get a session',
      description: 'Cost of one agent session (STT/LLM/TTS split, per minute) and its requests.',
      input: z.strictObject({ id: z.string().min(1).describe('session id (see get_logs sessionId)') }),
      output: z.object({ session: sessionView, requests: z.array(logEntryView) }),
      annotations: { readOnlyHint: true },
    },
    async ({ id }) => {
      const s = await gw.reports.session(id);
      if (!s) throw new ToolError(`No session '${id}' in the ledger. Session ids appear in get_logs (sessionId).`);
      const requests = (await gw.reports.logs({ session: id, limit: 500 })).map(toLogView);
      const perMin = s.perMinute === null ? '' : `, ${formatUsd(s.perMinute)}/min`;
      return {
        summary: `Session ${id} (${s.project}): ${formatUsd(s.total)} over ${s.durationSec.toFixed(1)} s${perMin}; STT ${formatUsd(s.stt)}, LLM ${formatUsd(s.llm)}, TTS ${formatUsd(s.tts)}`,
        data: { session: toSessionView(s), requests },
      };
    },
  );

  defineTool(
    server,
    ctx,
    'get_guardrail_events',
    {
      title: 'Get guardrail events',
      description: 'What the guardrails found (PII, financial, medical, prompt injection, off-topic) and did, newest first. Excerpts never contain the found value.',
      input: z.strictObject({ project: z.string().min(1).optional(), limit: z.number().int().min(1).max(500).default(50) }),
      output: z.object({ events: z.array(guardrailEventView), count: z.number() }),
      annotations: { readOnlyHint: true },
    },
    async ({ project, limit }) => {
      await gw.ready;
      const events = (await gw.ledger.guardrailEvents({ project, limit })).map(toGuardrailView);
      const counts = new Map<string, number>();
      for (const e of events) counts.set(`${e.category} ${e.action}`, (counts.get(`${e.category} ${e.action}`) ?? 0) + 1);
      const breakdown = [...counts].map(([k, n]) => `${k} ×${n}`).join(', ');
      return { summary: `${events.length} guardrail event(s)${breakdown ? `: ${breakdown}` : ''}`, data: { events, count: events.length } };
    },
  );
}
