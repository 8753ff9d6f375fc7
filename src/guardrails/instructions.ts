import type { CompiledPolicy } from './policy.js';

/**
 * Optional prompt layer (`guardrails.instructions: true`): a short system instruction for the two
 * categories a detector can only approximate, medical and off_topic. The detectors still run; this
 * only tells the model how to behave when the conversation drifts there.
 */
export function guardrailInstructions(policy: Pick<CompiledPolicy, 'enabled' | 'actions' | 'topic' | 'source'>): string | undefined {
  if (!policy.enabled) return undefined;
  const lines: string[] = [];
  const medical = policy.actions.medical;
  if (medical !== 'off') {
    lines.push(
      medical === 'block'
        ? 'Do not discuss medical conditions, medications or diagnoses. If the caller brings them up, say briefly that you cannot help with medical matters here and suggest a medical professional.'
        : 'Do not ask for, repeat or note medical details (conditions, medications, diagnoses). If the caller shares them, acknowledge briefly without repeating them, and do not give medical advice.',
    );
  }
  const offTopic = policy.actions.off_topic;
  if (offTopic !== 'off') {
    const allowed = policy.source.allowedTopics?.length ? ` (allowed topics: ${policy.source.allowedTopics.join(', ')})` : '';
    const topic = policy.source.topic ?? policy.topic?.label ?? 'the service you provide';
    lines.push(`Stay on the topic of ${topic}${allowed}. If the caller asks about something else, politely say you can only help with that topic and steer back.`);
  }
  return lines.length ? lines.join('\n') : undefined;
}
