/**
 * `voicegateway/guardrails`: the guardrail engine for use outside the drop-ins (a custom LLM
 * wrapper, a transcript pipeline, a moderation job). A thin, stable entry over the engine's
 * internals: only what docs/guardrails.md documents is exported here.
 */
export {
  compilePolicy,
  scanText,
  redactText,
  StreamingRedactor,
  GUARDRAIL_CATEGORIES,
  GUARDRAIL_ACTIONS,
  DEFAULT_BLOCK_MESSAGE,
  type CompiledPolicy,
  type Finding,
  type GuardrailAction,
  type GuardrailCategory,
  type GuardrailPolicy,
  type OutputFinding,
  type StreamingRedactorOptions,
} from './index.js';
export { ConfigError } from '../errors.js';
