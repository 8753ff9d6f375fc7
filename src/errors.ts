import { formatUsd } from './money.js';

/** Base class so callers can catch everything voicegateway throws with one `instanceof`. */
export class VoiceGatewayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad or missing configuration. `path` is the YAML path (e.g. `projects.support.budget_action`). */
export class ConfigError extends VoiceGatewayError {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** A model string that cannot be resolved to a provider and model. */
export class ModelResolutionError extends VoiceGatewayError {}

export class BudgetExceededError extends VoiceGatewayError {
  constructor(
    readonly project: string,
    readonly spentUsd: number,
    readonly budgetUsd: number,
  ) {
    super(`Project '${project}' exceeded daily budget: ${formatUsd(spentUsd)} / ${formatUsd(budgetUsd)}`);
  }
}

/** Raised by `checkBudget()` for a `throttle` project over budget; the drop-ins act on it themselves. */
export class BudgetThrottleSignal extends VoiceGatewayError {
  constructor(
    readonly project: string,
    readonly spentUsd: number,
    readonly budgetUsd: number,
  ) {
    super(`Project '${project}' is over its daily budget (${formatUsd(spentUsd)} / ${formatUsd(budgetUsd)}): requests are throttled`);
  }
}

export class GuardrailBlockedError extends VoiceGatewayError {
  constructor(
    readonly project: string,
    readonly categories: string[],
  ) {
    super(`Guardrails blocked a request in project '${project}' (${categories.join(', ')})`);
  }
}

export class FallbackExhaustedError extends VoiceGatewayError {
  constructor(
    readonly modality: string,
    readonly attempts: { model: string; error: string }[],
  ) {
    super(
      `Every ${modality.toUpperCase()} provider in the chain failed: ` +
        attempts.map((a) => `${a.model} (${a.error})`).join('; '),
    );
  }
}
