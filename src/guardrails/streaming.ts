import { holdStart, type HoldRules } from './holdback.js';
import type { CompiledPolicy } from './policy.js';
import { excerpt, scanCategories } from './scan.js';
import type { Finding, GuardrailAction, GuardrailCategory } from './types.js';

export interface StreamingRedactorOptions {
  /**
   * Also hold the last, unfinished word of every delta (one token of delay) so a one-word email
   * local part ("john" + "@example.com") cannot be spoken before its '@' arrives. Off by default:
   * plain prose then streams with zero hold-back and such an address comes out as "john[EMAIL]".
   */
  holdTrailingWord?: boolean;
}

export type OutputFinding = Finding & { action: GuardrailAction; excerpt: string };

/** context before the released text that detectors may need ("card number is …") */
const CONTEXT = 96;

/**
 * Redacts the LLM's streamed answer before the TTS speaks it. pii / financial set to `redact` (or
 * `block`: an answer already being spoken cannot be blocked, so it is redacted) are replaced by
 * placeholders. Only a suffix that could still become a match is held back (a run of digits or
 * number words, a half-written address, an email in progress); everything before it is returned
 * at once. Categories set to `alert` are found on the whole answer at `end()` and only recorded.
 */
export class StreamingRedactor {
  /** every finding in the output; offsets relative to the whole output */
  readonly findings: OutputFinding[] = [];
  readonly #policy: CompiledPolicy;
  readonly #redact: GuardrailCategory[];
  readonly #alert: GuardrailCategory[];
  readonly #rules: HoldRules;
  #text = '';
  #emitted = 0;
  #ended = false;

  constructor(policy: CompiledPolicy, options: StreamingRedactorOptions = {}) {
    this.#policy = policy;
    const outputCategories = policy.active.filter((c) => c === 'pii' || c === 'financial');
    this.#redact = outputCategories.filter((c) => policy.actions[c] === 'redact' || policy.actions[c] === 'block');
    this.#alert = outputCategories.filter((c) => policy.actions[c] === 'alert');
    this.#rules = {
      pii: this.#redact.includes('pii'),
      financial: this.#redact.includes('financial'),
      trailingWord: options.holdTrailingWord === true,
    };
  }

  /** true when nothing is redacted: push() returns every delta unchanged */
  get passThrough(): boolean {
    return this.#redact.length === 0;
  }

  /** Add a delta; returns the text that is safe to emit now (possibly empty). */
  push(delta: string): string {
    if (this.#ended) throw new Error('StreamingRedactor.push() after end()');
    this.#text += delta;
    if (this.passThrough) {
      this.#emitted = this.#text.length;
      return delta;
    }
    const hold = holdStart(this.#text, this.#emitted, this.#rules);
    return hold > this.#emitted ? this.#release(hold) : '';
  }

  /** Flush: everything still held, redacted. */
  end(): string {
    if (this.#ended) return '';
    const rest = this.passThrough ? '' : this.#release(this.#text.length);
    this.#ended = true;
    if (this.#alert.length > 0) {
      const found = scanCategories(this.#text, this.#policy, this.#alert);
      for (const f of found) this.findings.push({ ...f, action: 'alert', excerpt: excerpt(this.#text, f, 24, found) });
    }
    return rest;
  }

  #release(upTo: number): string {
    const text = this.#text;
    const emitted = this.#emitted;
    const scanFrom = contextStart(text, emitted);
    const window = text.slice(scanFrom, upTo);
    const found = scanCategories(window, this.#policy, this.#redact).map((f) => ({ ...f, start: f.start + scanFrom, end: f.end + scanFrom }));
    let out = '';
    let cursor = emitted;
    for (const f of found) {
      if (f.end <= cursor) continue; // already released earlier (or inside a merged span)
      const start = Math.max(f.start, cursor);
      out += text.slice(cursor, start) + f.placeholder;
      cursor = f.end;
      this.findings.push({ ...f, action: 'redact', excerpt: excerpt(text.slice(0, upTo), f, 24, found) });
    }
    this.#emitted = upTo;
    return out + text.slice(cursor, upTo);
  }
}

/** start the re-scan at a word boundary some context before the released text */
function contextStart(text: string, emitted: number): number {
  if (emitted <= CONTEXT) return 0;
  const ws = text.lastIndexOf(' ', emitted - CONTEXT);
  return ws < 0 ? 0 : ws + 1;
}
