/** Public types of the guardrail engine. Pure: nothing here depends on LiveKit. */

export type GuardrailCategory = 'pii' | 'financial' | 'medical' | 'prompt_injection' | 'off_topic';
export type GuardrailAction = 'redact' | 'block' | 'alert' | 'off';

export const GUARDRAIL_CATEGORIES: readonly GuardrailCategory[] = ['pii', 'financial', 'medical', 'prompt_injection', 'off_topic'];
export const GUARDRAIL_ACTIONS: readonly GuardrailAction[] = ['redact', 'block', 'alert', 'off'];

export interface Finding {
  category: GuardrailCategory;
  /** e.g. 'email', 'phone', 'card', 'iban', 'ssn', 'injection.override' */
  detector: string;
  /** offsets in the ORIGINAL text (UTF-16, end exclusive) */
  start: number;
  end: number;
  /** '[EMAIL]', '[CARD]', '[PHONE]' ... */
  placeholder: string;
  /** 0..1 */
  score: number;
}

export interface GuardrailPolicy {
  enabled: boolean;
  categories: Partial<Record<GuardrailCategory, GuardrailAction>>;
  blockMessage?: string;
  raiseOnBlock?: boolean;
  topic?: string;
  allowedTopics?: string[];
  instructions?: boolean;
  injectionThreshold?: number;
  /**
   * also run the optional prompt-injection classifier (shipped weights, in-process, CPU): a text is
   * flagged when the patterns or the classifier flag it. Off by default.
   */
  injectionClassifier?: boolean;
  /** default phone region, ISO 3166 alpha-2, e.g. 'US' */
  region?: string;
  /** more regions whose national phone numbers are recognised (E.164 always is) */
  regions?: string[];
  /** how much of a streamed answer is held back for redaction: 'word' (default, leak-free) or 'value' */
  streamHoldback?: 'word' | 'value';
}

export const DEFAULT_BLOCK_MESSAGE =
  "Sorry, I can't help with that here. For your security, please don't share that kind of information on this call.";

export const DEFAULT_INJECTION_THRESHOLD = 0.5;

/** Higher wins when several findings disagree: block > redact > alert > off. */
export const ACTION_SEVERITY: Readonly<Record<GuardrailAction, number>> = { off: 0, alert: 1, redact: 2, block: 3 };
