import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { GUARDRAIL_ACTIONS, GUARDRAIL_CATEGORIES, type GuardrailCategory } from '../../guardrails/types.js';
import type { GuardrailsView } from '../../project-guardrails.js';
import { defineTool, type ToolContext } from '../tool.js';

const project = z.string().min(1).describe('project id, e.g. "customer-support"');
const action = z.enum(GUARDRAIL_ACTIONS as unknown as [string, ...string[]]);
const categoryRule = z.object({ action, from: z.enum(['project', 'defaults', 'none']) });
const guardrailsView = z.object({
  project: z.string(),
  source: z.enum(['yaml', 'runtime', 'auto']),
  read_only: z.boolean(),
  enabled: z.boolean(),
  categories: z.object(Object.fromEntries(GUARDRAIL_CATEGORIES.map((c) => [c, categoryRule])) as Record<GuardrailCategory, typeof categoryRule>),
  topic: z.string().nullable(),
  regions: z.array(z.string()),
  stream_holdback: z.enum(['word', 'value']),
  injection_classifier: z.boolean(),
});

function describe(v: GuardrailsView): string {
  if (!v.enabled) return `guardrails are off for ${v.project} (${v.source}${v.read_only ? ', read-only' : ''})`;
  const actions = Object.entries(v.categories)
    .filter(([, r]) => r.action !== 'off')
    .map(([c, r]) => `${c}=${r.action}${c === 'prompt_injection' && v.injection_classifier ? '+classifier' : ''}${r.from === 'defaults' ? ' (default)' : ''}`);
  return `${v.project} (${v.source}${v.read_only ? ', read-only' : ''}): ${actions.join(', ') || 'every category off'}`;
}

/** A project's guardrails: read them, steer a runtime project's (new sessions get the change; running ones keep theirs). */
export function registerGuardrailTools(server: McpServer, ctx: ToolContext): void {
  const { gw } = ctx;

  defineTool(
    server,
    ctx,
    'get_guardrails',
    {
      title: 'Get guardrails',
      description: "A project's guardrail policy as a new session gets it: every category's action (redact, block, alert, off) and whether the project or the top-level defaults set it.",
      input: z.strictObject({ project }),
      output: guardrailsView,
      annotations: { readOnlyHint: true },
    },
    async ({ project: id }) => {
      await gw.ready;
      const view = gw.guardrailsView(id);
      return { summary: describe(view), data: view };
    },
  );

  defineTool(
    server,
    ctx,
    'set_guardrails',
    {
      title: 'Set guardrails',
      description:
        "Sets guardrail actions on a run-time project (audit-logged): each category named gets its action, null returns it to the top-level default, others keep theirs. Setting an action turns the project's guardrails on unless enabled is given. New sessions get the policy within about a second; sessions already running keep the one they started with. Projects from voicegw.yaml are read-only: edit the YAML instead.",
      input: z.strictObject({
        project,
        categories: z
          .strictObject(Object.fromEntries(GUARDRAIL_CATEGORIES.map((c) => [c, action.nullable().optional()])))
          .optional()
          .describe('category → action (redact | block | alert | off), or null to clear'),
        enabled: z.boolean().optional().describe("turn the project's guardrails on or off"),
      }),
      output: guardrailsView,
      annotations: { idempotentHint: true },
    },
    async ({ project: id, categories, enabled }) => {
      await gw.admin.editGuardrails(id, { categories: categories as never, enabled }, ctx.actor);
      const view = gw.guardrailsView(id);
      return { summary: `Updated: ${describe(view)}`, data: view };
    },
  );

  defineTool(
    server,
    ctx,
    'clear_guardrails',
    {
      title: 'Clear guardrails',
      description: "Removes a run-time project's own guardrail settings (audit-logged): the top-level guardrails apply to its new sessions again.",
      input: z.strictObject({ project }),
      output: guardrailsView,
      annotations: { idempotentHint: true },
    },
    async ({ project: id }) => {
      await gw.admin.clearGuardrails(id, ctx.actor);
      const view = gw.guardrailsView(id);
      return { summary: `Cleared: ${describe(view)}`, data: view };
    },
  );
}
