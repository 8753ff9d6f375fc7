import { overBudgetMessage } from './budget/rule.js';
import { formatUsd, usdToNanos } from './money.js';

/**
 * What a voicegateway server answers on a model provider's path (`/v1/audio/…`, `/v1/chat/…`):
 * a provider `base_url` points at the gateway itself. The drop-ins surface it as it is.
 */
export const NOT_A_PROVIDER =
  'This is a voicegateway server (its HTTP API), not a model provider: a provider base_url points at it. Point providers.<name>.base_url in voicegw.yaml at the model server (e.g. whisper-server, Ollama, Kokoro), not at `voicegw serve`';

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

/** A project id nobody defined: a 404 in the API, exit 1 in the CLI, a tool error in MCP; names the defined projects. */
export class UnknownProjectError extends ConfigError {
  constructor(
    readonly project: string,
    readonly known: readonly string[],
  ) {
    super(
      `Unknown project '${project}'. Defined projects: ${known.join(', ')}. Add it under projects: in voicegw.yaml, or create it at run time (dashboard, MCP, or POST /v1/projects)`,
    );
  }
}

/** A model string that cannot be resolved to a provider and model. */
export class ModelResolutionError extends VoiceGatewayError {}

/**
 * A `block` project refused a request (or stopped a running STT stream): settled spend plus what
 * requests in flight hold (`reservedUsd`) reached the daily budget.
 */
export class BudgetExceededError extends VoiceGatewayError {
  constructor(
    readonly project: string,
    readonly spentUsd: number,
    readonly budgetUsd: number,
    readonly reservedUsd = 0,
  ) {
    super(overBudgetMessage(project, usdToNanos(spentUsd), usdToNanos(reservedUsd), usdToNanos(budgetUsd)));
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
