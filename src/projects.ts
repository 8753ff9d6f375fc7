import { z } from 'zod';
import { type GatewayConfig, type ProjectConfig, projectSettingsShape } from './config/schema.js';
import { log } from './log.js';
import type { StoredProject } from './ledger/types.js';
import type { BudgetStatus } from './budget/enforcer.js';
import type { BudgetAction, BudgetLevel } from './types.js';

export interface Project {
  id: string;
  name: string;
  description: string;
  dailyBudgetUsd: number;
  budgetAction: BudgetAction;
  tags: string[];
  /** yaml: read-only at run time; runtime: created through CLI/API/MCP; auto: the implicit `default` */
  source: 'yaml' | 'runtime' | 'auto';
  config: ProjectConfig;
}

const projectFields = {
  name: z.string().trim().min(1, 'must not be empty').max(200),
  description: z.string().max(2000),
  daily_budget: z.number().finite().min(0, 'must be ≥ 0 (0 = no limit)').max(1_000_000),
  budget_action: z.enum(['warn', 'throttle', 'block']),
  tags: z.array(z.string().trim().min(1).max(50)).max(20),
};

/** What CLI/API/MCP may set on a runtime project (validated the same way everywhere). */
export const projectInputSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1-63 chars of a-z, 0-9, "-" or "_", starting with a letter or digit'),
  name: projectFields.name,
  description: projectFields.description.default(''),
  daily_budget: projectFields.daily_budget.default(0),
  budget_action: projectFields.budget_action.default('warn'),
  tags: projectFields.tags.default([]),
  ...projectSettingsShape,
});
/** A patch changes only the fields it names (no defaults: an omitted field keeps its value). */
export const projectPatchSchema = z.strictObject({ ...projectFields, ...projectSettingsShape }).partial();
export type ProjectSettings = z.infer<typeof projectSettingsSchema>;
const projectSettingsSchema = z.strictObject(projectSettingsShape);
export const PROJECT_SETTINGS = Object.keys(projectSettingsShape) as (keyof ProjectSettings)[];

/** The settings fields of a create/patch body (the part stored as the runtime project's `settings`). */
export function settingsOf(input: Partial<ProjectSettings>): ProjectSettings {
  const out: Record<string, unknown> = {};
  for (const k of PROJECT_SETTINGS) if (input[k] !== undefined) out[k] = input[k];
  return out as ProjectSettings;
}
export type ProjectInput = z.input<typeof projectInputSchema>;
export type ProjectPatch = z.input<typeof projectPatchSchema>;

function fromYaml(id: string, c: ProjectConfig): Project {
  return {
    id,
    name: c.name,
    description: c.description,
    dailyBudgetUsd: c.daily_budget,
    budgetAction: c.budget_action,
    tags: c.tags,
    source: 'yaml',
    config: c,
  };
}

export function fromStored(p: StoredProject): Project {
  const settings = projectSettingsSchema.safeParse(p.settings);
  if (!settings.success) log.once('error', `project-settings:${p.id}:${p.updatedAt}`, `runtime project '${p.id}' has invalid stored settings (${settings.error.issues[0]?.message}); using none`);
  const config: ProjectConfig = {
    name: p.name,
    description: p.description,
    daily_budget: p.dailyBudgetUsd,
    budget_action: p.budgetAction,
    tags: p.tags,
    providers: {},
    default_stack: '',
    ...(settings.success ? settings.data : {}),
  };
  return { ...fromYaml(p.id, config), source: 'runtime' };
}

const AUTO_DEFAULT: ProjectConfig = {
  name: 'Default',
  description: 'Created automatically for requests with no project',
  daily_budget: 0,
  budget_action: 'warn',
  tags: [],
  providers: {},
  default_stack: '',
};

/** YAML projects win over runtime ones with the same id; `default` exists unless something defines it. */
export function mergeProjects(config: GatewayConfig, stored: StoredProject[]): Map<string, Project> {
  const out = new Map<string, Project>();
  for (const [id, c] of Object.entries(config.projects)) out.set(id, fromYaml(id, c));
  for (const p of stored) if (!out.has(p.id)) out.set(p.id, fromStored(p));
  if (!out.has('default')) out.set('default', { ...fromYaml('default', AUTO_DEFAULT), source: 'auto' });
  return out;
}

/** A project as the CLI (--json), the HTTP API and MCP show it: snake_case fields mirroring voicegw.yaml. */
export interface ProjectView {
  id: string;
  name: string;
  description: string;
  tags: string[];
  daily_budget: number;
  budget_action: Project['budgetAction'];
  /** `yaml` and `auto` (the implicit `default`) are read-only at run time */
  source: Project['source'];
  read_only: boolean;
  spent_today: number;
  /** the ledger could not be read: `spent_today` counts only what this process has seen */
  spend_partial: boolean;
  budget_status: BudgetLevel;
  /** `allow_unpriced`: cloud models with no price are served under the budget, counted as unpriced */
  allow_unpriced: boolean;
  /** requests today whose model has no price: served, never part of `spent_today` */
  unpriced_today: number;
}

export function projectView(p: Project, b: BudgetStatus): ProjectView {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    tags: p.tags,
    daily_budget: p.dailyBudgetUsd,
    budget_action: p.budgetAction,
    source: p.source,
    read_only: p.source !== 'runtime',
    spent_today: b.spentUsd,
    spend_partial: b.partial,
    budget_status: b.status,
    allow_unpriced: p.config.allow_unpriced === true,
    unpriced_today: b.unpricedRequests,
  };
}
