import { ConfigError, ModelResolutionError } from '../errors.js';
import { compilePolicy } from '../guardrails/policy.js';
import { ProviderRegistry } from '../providers/registry.js';
import { MODALITIES } from '../types.js';
import { guardrailPolicyFor } from './guardrails.js';
import type { FallbacksConfig, GatewayConfig, GuardrailsConfig } from './schema.js';

/** One problem found at load: the YAML path and what is wrong there. */
export interface LoadProblem {
  path: string;
  message: string;
}

/**
 * What zod cannot see but a call would hit on its first turn: every chain entry resolves to a
 * provider that serves its modality, and every guardrail policy compiles (off_topic needs a topic,
 * the phone region must be a known country). Throws one ConfigError listing every problem.
 */
export function checkLoadable(config: GatewayConfig, label: string): void {
  const problems = [...chainProblems(config), ...guardrailProblems(config)];
  if (problems.length === 0) return;
  throw new ConfigError(`Invalid configuration in ${label}:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`, problems[0]!.path);
}

function chainProblems(config: GatewayConfig): LoadProblem[] {
  const registry = new ProviderRegistry(config.providers);
  const chains: [string, FallbacksConfig | undefined][] = [
    ['fallbacks', config.fallbacks],
    ...Object.entries(config.projects).map(([id, p]): [string, FallbacksConfig | undefined] => [`projects.${id}.fallbacks`, p.fallbacks]),
  ];
  const problems: LoadProblem[] = [];
  for (const [base, fallbacks] of chains) {
    for (const modality of MODALITIES) {
      (fallbacks?.[modality] ?? []).forEach((entry, i) => {
        const model = typeof entry === 'string' ? entry : entry.model;
        const path = `${base}.${modality}.${i}${typeof entry === 'string' ? '' : '.model'}`;
        try {
          registry.resolve(modality, model);
        } catch (err) {
          if (!(err instanceof ModelResolutionError)) throw err;
          problems.push({ path, message: err.message });
        }
      });
    }
  }
  return problems;
}

/**
 * Compiles the policy the top level and each project with its own `guardrails:` would run with,
 * enabled or not: switching guardrails on must not be what breaks a call.
 */
function guardrailProblems(config: GatewayConfig): LoadProblem[] {
  const on = (g: GuardrailsConfig | undefined) => g && { ...g, enabled: true };
  const scopes: [string, GuardrailsConfig | undefined][] = [['guardrails', undefined]];
  for (const [id, p] of Object.entries(config.projects)) if (p.guardrails) scopes.push([`projects.${id}.guardrails`, p.guardrails]);
  const problems: LoadProblem[] = [];
  for (const [base, own] of scopes) {
    const policy = guardrailPolicyFor(on(config.guardrails), on(own));
    if (!policy) continue;
    try {
      compilePolicy(policy);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      // the policy names its own keys (`guardrails.region`); say which section of the file set them
      const key = (err.path ?? '').replace(/^guardrails\.?/, '');
      problems.push({ path: key ? `${base}.${key}` : base, message: err.message });
    }
  }
  return problems;
}
