/**
 * Guardrails engine: deterministic, in-process detectors for pii, financial, medical,
 * prompt_injection and off_topic, the actions on a chat context, and the streaming output redactor.
 * Everything except `chat.ts` is independent of LiveKit.
 */
export {
  type GuardrailCategory,
  type GuardrailAction,
  type Finding,
  type GuardrailPolicy,
  GUARDRAIL_CATEGORIES,
  GUARDRAIL_ACTIONS,
  ACTION_SEVERITY,
  DEFAULT_BLOCK_MESSAGE,
  DEFAULT_INJECTION_THRESHOLD,
} from './types.js';
export { compilePolicy, type CompiledPolicy } from './policy.js';
export { scanText, scanCategories, redactText, excerpt } from './scan.js';
export { guardChatContext, ScanMemo, type ChatGuardResult, type ChatFinding } from './chat.js';
export { StreamingRedactor, type StreamingRedactorOptions, type OutputFinding } from './streaming.js';
export { guardrailInstructions } from './instructions.js';
export { normalizeSpoken, toOriginalSpan, type NormalizedText } from './spoken.js';
