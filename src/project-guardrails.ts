import { z } from 'zod';
import { guardrailPolicyFor } from './config/guardrails.js';
import { type GuardrailsConfig, guardrailsSchema } from './config/schema.js';
import { ConfigError } from './errors.js';
import { compilePolicy } from './guardrails/policy.js';
import { GUARDRAIL_ACTIONS, GUARDRAIL_CATEGORIES, type GuardrailAction, type GuardrailCategory } from './guardrails/types.js';
import type { Project } from './projects.js';

/**
 * Operators steer a project's guardrails at run time (CLI `guardrails set|clear`, `PUT
 * /v1/projects/:id/guardrails`, MCP `set_guardrails`, the dashboard) by editing the guardrail
 * settings of a RUNTIME project: the same `settings.guardrails` a create or PATCH writes, so there
 * is one place a project's policy lives. Projects from voicegw.yaml stay read-only (ProjectAdmin).
 */

const category = z.enum(GUARDRAIL_CATEGORIES as unknown as [GuardrailCategory, ...GuardrailCategory[]]);
const action = z.enum(GUARDRAIL_ACTIONS as unknown as [GuardrailAction, ...GuardrailAction[]]);

/** One edit: each named category gets its action (`null`: back to the top-level default); `enabled` optional. */
export const guardrailEditSchema = z
  .strictObject({
    categories: z
      .strictObject(Object.fromEntries(GUARDRAIL_CATEGORIES.map((c) => [c, action.nullable().optional()])) as Record<GuardrailCategory, z.ZodOptional<z.ZodNullable<typeof action>>>)
      .optional(),
    enabled: z.boolean().optional(),
  })
  .refine((e) => e.enabled !== undefined || Object.keys(e.categories ?? {}).length > 0, { message: 'name at least one category under categories, or enabled', path: ['categories'] });
export type GuardrailEdit = z.input<typeof guardrailEditSchema>;

export const isGuardrailCategory = (v: string): v is GuardrailCategory => category.safeParse(v).success;
export const isGuardrailAction = (v: string): v is GuardrailAction => action.safeParse(v).success;

/**
 * The project's own guardrail settings after `edit`: actions set or removed; setting an action
 * (not `null`) turns the project's guardrails on unless the edit says `enabled`. Throws a
 * ConfigError (path relative to the edit body, e.g. `categories.off_topic`) if the resulting
 * policy would not compile, so nothing is stored that a session could not use.
 */
export function applyGuardrailEdit(current: unknown, edit: z.output<typeof guardrailEditSchema>, defaults: GuardrailsConfig | undefined): GuardrailsConfig {
  const own = guardrailsSchema.parse(current ?? {});
  const categories: Record<string, unknown> = { ...own.categories };
  let setsAction = false;
  for (const [c, a] of Object.entries(edit.categories ?? {})) {
    if (a === undefined) continue;
    if (a === null) delete categories[c];
    else {
      // an edit changes the action; options of the rule (prompt_injection's classifier) stay
      const rule = categories[c];
      categories[c] = rule !== null && typeof rule === 'object' ? { ...rule, action: a } : a;
      setsAction = true;
    }
  }
  const next = guardrailsSchema.parse({ ...own, categories, enabled: edit.enabled ?? (setsAction ? true : own.enabled) });
  try {
    checkGuardrailPolicy(next, defaults);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const offTopic = edit.categories?.off_topic;
    throw new ConfigError(err.message, offTopic ? 'categories.off_topic' : err.path?.replace(/^guardrails\./, ''));
  }
  return next;
}

/** Throws the ConfigError a session would meet if the project's guardrails (over the top-level defaults) cannot compile. */
export function checkGuardrailPolicy(own: GuardrailsConfig | undefined, defaults: GuardrailsConfig | undefined): void {
  const policy = guardrailPolicyFor(defaults, own);
  if (policy) compilePolicy(policy);
}

export type CategoryOrigin = 'project' | 'defaults' | 'none';

/** What `voicegw guardrails show --json`, `GET /v1/projects/:id/guardrails` and MCP `get_guardrails` return. */
export interface GuardrailsView {
  project: string;
  /** where the project's own guardrail settings live: `yaml` (voicegw.yaml, read-only), `runtime` (the ledger), `auto` */
  source: Project['source'];
  read_only: boolean;
  /** whether a new session of the project is scanned at all */
  enabled: boolean;
  /** every category: the action a new session gets, and whether the project or the top-level `guardrails:` sets it */
  categories: Record<GuardrailCategory, { action: GuardrailAction; from: CategoryOrigin }>;
  topic: string | null;
  regions: string[];
  stream_holdback: 'word' | 'value';
  /** whether prompt_injection also runs the optional classifier (`prompt_injection: { classifier: true }`) */
  injection_classifier: boolean;
}

export function guardrailsView(p: Project, defaults: GuardrailsConfig | undefined, compiled: { regions: readonly string[]; streamHoldback: 'word' | 'value'; injectionClassifier: boolean; actions: Readonly<Record<GuardrailCategory, GuardrailAction>> } | null): GuardrailsView {
  const own = p.config.guardrails;
  const categories = {} as GuardrailsView['categories'];
  for (const c of GUARDRAIL_CATEGORIES) {
    const mine = ruleAction(own?.categories?.[c]);
    const dflt = ruleAction(defaults?.categories?.[c]);
    categories[c] = mine ? { action: mine, from: 'project' } : dflt ? { action: dflt, from: 'defaults' } : { action: 'off', from: 'none' };
  }
  return {
    project: p.id,
    source: p.source,
    read_only: p.source !== 'runtime',
    enabled: compiled !== null,
    categories,
    topic: own?.topic ?? defaults?.topic ?? null,
    regions: compiled ? [...compiled.regions] : [],
    stream_holdback: compiled?.streamHoldback ?? 'word',
    injection_classifier: compiled !== null && compiled.injectionClassifier && compiled.actions.prompt_injection !== 'off',
  };
}

function ruleAction(rule: unknown): GuardrailAction | null {
  if (typeof rule === 'string') return rule as GuardrailAction;
  if (rule && typeof rule === 'object' && 'action' in rule) return (rule as { action: GuardrailAction }).action;
  return null;
}
