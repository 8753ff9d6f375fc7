import { excerpt, scanCategories, scanText } from '../guardrails/index.js';
import type { GuardrailCategory } from '../guardrails/types.js';
import type { GuardrailSetup } from '../gateway.js';

export interface TranscriptVerdict {
  /** block: cancel the response in flight and say the block message; alert: record only */
  action: 'block' | 'alert' | 'none';
  findings: { category: GuardrailCategory; detector: string; action: string; excerpt: string; start: number; end: number; placeholder: string; score: number }[];
}

/** The caller's transcribed turn, scanned as the chat context of a pipeline LLM is. */
export function guardInput(setup: GuardrailSetup, transcript: string): TranscriptVerdict {
  const found = scanText(transcript, setup.compiled);
  const findings = found.map((f) => ({ ...f, action: setup.compiled.actions[f.category] ?? 'alert', excerpt: excerpt(transcript, f, 24, found) }));
  const action = findings.some((f) => f.action === 'block') ? 'block' : findings.length > 0 ? 'alert' : 'none';
  return { action, findings };
}

/**
 * The model's spoken answer as its transcript streams. Audio cannot be redacted, so a pii/financial
 * finding whose action is redact or block stops the answer (the caller hears what was already played).
 */
export class OutputGuard {
  readonly #categories: GuardrailCategory[];
  #text = '';

  constructor(private readonly setup: GuardrailSetup) {
    this.#categories = setup.compiled.active.filter((c) => (c === 'pii' || c === 'financial') && (setup.compiled.actions[c] === 'redact' || setup.compiled.actions[c] === 'block'));
  }

  get active(): boolean {
    return this.#categories.length > 0;
  }

  /** Adds a transcript delta; returns the findings that must stop the answer (empty: keep going). */
  push(delta: string): TranscriptVerdict['findings'] {
    this.#text += delta;
    const found = scanCategories(this.#text, this.setup.compiled, this.#categories);
    return found.map((f) => ({ ...f, action: this.setup.compiled.actions[f.category] ?? 'redact', excerpt: excerpt(this.#text, f, 24, found) }));
  }
}
