import { getGateway } from '../gateway.js';
import type { BudgetStatus } from '../budget/enforcer.js';

export { LLM, type LLMOptions } from './llm.js';
export { RealtimeModel, type RealtimeModelOptions } from './realtime.js';
export { STT, type STTOptions } from './stt.js';
export { TTS, type TTSOptions } from './tts.js';
export { setProject, withProject, startSession, currentSessionId as getSessionId } from './context.js';

/** The project requests made here are billed to: setProject > $VOICEGW_ACTIVE_PROJECT > default_project > "default". */
export function getActiveProject(): string {
  return getGateway().activeProject().id;
}

/**
 * Pre-flight budget check: the status, or `BudgetExceededError` (block) / `BudgetThrottleSignal`
 * (throttle) when the project is over its daily budget. The drop-ins enforce budgets themselves.
 */
export async function checkBudget(project?: string): Promise<BudgetStatus> {
  const gw = getGateway();
  await gw.ready;
  return gw.budget.check(project ?? gw.activeProject().id);
}
