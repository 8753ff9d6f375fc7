import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ProjectWriteError } from '../../admin.js';
import { formatUsd } from '../../money.js';
import { type Project, projectInputSchema } from '../../projects.js';
import { defineTool, type ToolContext, ToolError } from '../tool.js';
import { budgetStatusView, maskedProjectConfig, projectView, toBudgetView, toProjectView } from '../views.js';

const projectId = z.string().min(1).describe('project id, e.g. "customer-support"');

/** The create fields, all optional and WITHOUT their defaults: a field left out is left alone. */
const field = projectInputSchema.shape;
const patchInput = z.strictObject({
  id: projectId,
  name: field.name.optional(),
  description: field.description.unwrap().optional(),
  daily_budget: field.daily_budget.unwrap().optional(),
  budget_action: field.budget_action.unwrap().optional(),
  tags: field.tags.unwrap().optional(),
});

function describeBudget(p: { dailyBudgetUsd: number; budgetAction: string }): string {
  return p.dailyBudgetUsd > 0 ? `${formatUsd(p.dailyBudgetUsd)}/day, ${p.budgetAction} when exceeded` : 'no daily budget';
}

export function registerProjectTools(server: McpServer, ctx: ToolContext): void {
  const { gw } = ctx;

  defineTool(
    server,
    ctx,
    'list_projects',
    {
      title: 'List projects',
      description: 'Every project the gateway knows: from voicegw.yaml (read-only), created at run time, and the implicit "default".',
      input: z.strictObject({
        source: z.enum(['yaml', 'runtime', 'auto']).optional().describe('only projects from this source'),
        tag: z.string().optional().describe('only projects carrying this tag'),
      }),
      output: z.object({ projects: z.array(projectView), count: z.number() }),
      annotations: { readOnlyHint: true },
    },
    async ({ source, tag }) => {
      await gw.ready;
      const projects = gw
        .projects()
        .filter((p) => (!source || p.source === source) && (!tag || p.tags.includes(tag)))
        .map(toProjectView);
      const list = projects.map((p) => `${p.id} (${p.source}, ${describeBudget(p)})`).join('; ');
      return { summary: `${projects.length} project(s)${list ? `: ${list}` : ''}`, data: { projects, count: projects.length } };
    },
  );

  defineTool(
    server,
    ctx,
    'get_project',
    {
      title: 'Get a project',
      description: "One project's settings (fallback chains, guardrails, provider overrides with keys masked) and today's budget status.",
      input: z.strictObject({ id: projectId }),
      output: z.object({ project: projectView, budget: budgetStatusView, config: z.record(z.string(), z.unknown()) }),
      annotations: { readOnlyHint: true },
    },
    async ({ id }) => {
      await gw.ready;
      const p = ctx.gw.requireProject(id);
      const budget = await gw.budgetStatus(id);
      return {
        summary: `${p.id} "${p.name}" (${p.source}): ${describeBudget(p)}; spent ${formatUsd(budget.spentUsd)} today (${budget.status})`,
        data: { project: toProjectView(p), budget: toBudgetView(budget), config: maskedProjectConfig(p) },
      };
    },
  );

  defineTool(
    server,
    ctx,
    'create_project',
    {
      title: 'Create a project',
      description: 'Creates a run-time project (stored in the ledger database, audit-logged). Ids already defined in voicegw.yaml are refused.',
      input: projectInputSchema,
      output: z.object({ project: projectView }),
    },
    async (input) => {
      const p = await gw.admin.create(input, ctx.actor);
      return { summary: `Created project '${p.id}' (${describeBudget(p)})`, data: { project: toProjectView(p) } };
    },
  );

  defineTool(
    server,
    ctx,
    'update_project',
    {
      title: 'Update a project',
      description: 'Changes fields of a run-time project (audit-logged). Projects from voicegw.yaml are read-only: edit the YAML instead.',
      input: patchInput,
      output: z.object({ project: projectView, changed: z.array(z.string()) }),
      annotations: { idempotentHint: true },
    },
    async ({ id, ...patch }) => {
      const changed = Object.entries(patch)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k);
      if (changed.length === 0) throw new ToolError('Nothing to change: pass at least one of name, description, daily_budget, budget_action, tags');
      const current = ctx.gw.requireProject(id);
      // a complete patch: fields not given keep their current values whatever defaults the admin layer applies
      const p = await gw.admin.update(
        id,
        {
          name: patch.name ?? current.name,
          description: patch.description ?? current.description,
          daily_budget: patch.daily_budget ?? current.dailyBudgetUsd,
          budget_action: patch.budget_action ?? current.budgetAction,
          tags: patch.tags ?? current.tags,
        },
        ctx.actor,
      );
      return { summary: `Updated project '${p.id}' (${changed.join(', ')}): ${describeBudget(p)}`, data: { project: toProjectView(p), changed } };
    },
  );

  defineTool(
    server,
    ctx,
    'delete_project',
    {
      title: 'Delete a project',
      description:
        'Two-phase: without confirm=true it only returns a preview (what would be deleted, today\'s spend) and changes nothing; call again with confirm=true to delete. Projects from voicegw.yaml cannot be deleted.',
      input: z.strictObject({
        id: projectId,
        confirm: z.boolean().default(false).describe('true = really delete (after reviewing the preview)'),
      }),
      output: z.object({
        deleted: z.boolean(),
        project: projectView,
        todaySpendUsd: z.number(),
        requestsToday: z.number(),
        requestsAllTime: z.number(),
        effects: z.array(z.string()),
      }),
      annotations: { destructiveHint: true },
    },
    async ({ id, confirm }) => {
      await gw.ready;
      const p = writable(ctx.gw.requireProject(id));
      const [today, all] = await Promise.all([gw.reports.costs({ project: id, period: 'today' }), gw.reports.costs({ project: id, period: 'all' })]);
      const effects = [
        `the project definition '${id}' ("${p.name}", ${describeBudget(p)}) is removed`,
        `its ${all.requests} request row(s) stay in the ledger and remain queryable with get_costs/get_logs`,
        `new requests billed to '${id}' are refused as an unknown project`,
      ];
      const facts = { project: toProjectView(p), todaySpendUsd: today.totalUsd, requestsToday: today.requests, requestsAllTime: all.requests, effects };
      if (!confirm) {
        return {
          summary: `Preview only, nothing deleted: '${id}' spent ${formatUsd(today.totalUsd)} today over ${today.requests} request(s). Call delete_project again with confirm: true to delete it.`,
          data: { deleted: false, ...facts },
        };
      }
      await gw.admin.delete(id, ctx.actor);
      return { summary: `Deleted project '${id}' (${today.requests} request(s) today, ${formatUsd(today.totalUsd)}; ledger history kept)`, data: { deleted: true, ...facts } };
    },
  );
}

/** The same refusal ProjectAdmin gives, before the preview shows anything. */
function writable(p: Project): Project {
  if (p.source === 'runtime') return p;
  throw new ProjectWriteError(
    'read_only',
    p.source === 'yaml' ? `Project '${p.id}' is defined in voicegw.yaml and is read-only at run time; edit the YAML instead` : `Project '${p.id}' is built in and cannot be deleted`,
    'id',
  );
}
