import type { GuardrailAction, GuardrailCategory, GuardrailPolicy } from '../guardrails/index.js';
import type { GuardrailsConfig } from './schema.js';

/** Project `guardrails:` over the top-level defaults (categories merge); null when disabled. */
export function guardrailPolicyFor(defaults: GuardrailsConfig | undefined, project: GuardrailsConfig | undefined): GuardrailPolicy | null {
  const enabled = project?.enabled ?? defaults?.enabled ?? false;
  if (!enabled) return null;
  const categories: Partial<Record<GuardrailCategory, GuardrailAction>> = {};
  for (const source of [defaults?.categories, project?.categories]) {
    for (const [cat, rule] of Object.entries(source ?? {})) {
      if (rule !== undefined) categories[cat as GuardrailCategory] = typeof rule === 'string' ? rule : rule.action;
    }
  }
  // like the action, the classifier comes with the rule that wins: a project's rule replaces the default's
  const injectionRule = project?.categories?.prompt_injection ?? defaults?.categories?.prompt_injection;
  const injectionClassifier = typeof injectionRule === 'object' ? injectionRule.classifier : undefined;
  const pick = <K extends keyof GuardrailsConfig>(k: K) => project?.[k] ?? defaults?.[k];
  return {
    enabled: true,
    categories,
    blockMessage: pick('block_message'),
    raiseOnBlock: pick('raise_on_block'),
    topic: pick('topic'),
    allowedTopics: pick('allowed_topics'),
    instructions: pick('instructions'),
    injectionThreshold: pick('injection_threshold'),
    injectionClassifier,
    region: pick('region'),
    regions: pick('regions'),
    streamHoldback: pick('stream_holdback'),
  };
}
