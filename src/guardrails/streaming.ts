import { holdStart, type HoldRules, type StreamHoldback } from './holdback.js';
import type { CompiledPolicy } from './policy.js';
import { excerpt, scanCategories } from './scan.js';
import type { Finding, GuardrailAction, GuardrailCategory } from './types.js';

export interface StreamingRedactorOptions {
  /** overrides the policy's `stream_holdback` (default `word`: leak-free, one word of delay) */
  holdback?: StreamHoldback;
}

export type OutputFinding = Finding & { action: GuardrailAction; excerpt: string };

/** context before the released text that detectors may need ("card number is …") */
const CONTEXT = 96;
/** a run longer than any finding is released in batches of this many characters, not per delta */
const CAPPED_BATCH = 1024;
/** without whitespace in a delta nothing new can be released; look again after this many characters */
const RECHECK_EVERY = 256;

/**
 * Redacts the LLM's streamed answer before the TTS speaks it. pii / financial set to `redact` (or
 * `block`: an answer already being spoken cannot be blocked, so it is redacted) are replaced by
 * placeholders. The suffix that could still become a match is held back (see holdback.ts); before
 * releasing, the text up to the end is scanned and any finding that reaches past the release
 * point pulls it back, so a value is never split. Only a bounded window is kept and re-scanned,
 * so the work per character is constant. Categories set to `alert` are found on the whole answer
 * at `end()` and only recorded.
 */
export class StreamingRedactor {
  /** every finding in the output; offsets relative to the whole output */
  readonly findings: OutputFinding[] = [];
  readonly #policy: CompiledPolicy;
  readonly #redact: GuardrailCategory[];
  readonly #alert: GuardrailCategory[];
  readonly #rules: HoldRules;
  /** the whole answer, kept only for `alert` categories */
  readonly #all: string[] | null;
  /** text from absolute offset #base on: the held suffix and some context before it */
  #buf = '';
  #base = 0;
  /** deltas not yet appended to #buf, and the length of the whole answer so far */
  readonly #pending: string[] = [];
  #length = 0;
  #emitted = 0;
  #checkedAt = 0;
  #ended = false;

  constructor(policy: CompiledPolicy, options: StreamingRedactorOptions = {}) {
    this.#policy = policy;
    const outputCategories = policy.active.filter((c) => c === 'pii' || c === 'financial');
    this.#redact = outputCategories.filter((c) => policy.actions[c] === 'redact' || policy.actions[c] === 'block');
    this.#alert = outputCategories.filter((c) => policy.actions[c] === 'alert');
    this.#all = this.#alert.length > 0 ? [] : null;
    this.#rules = {
      pii: this.#redact.includes('pii'),
      financial: this.#redact.includes('financial'),
      holdback: options.holdback ?? policy.streamHoldback,
    };
  }

  /** true when nothing is redacted: push() returns every delta unchanged */
  get passThrough(): boolean {
    return this.#redact.length === 0;
  }

  /** Add a delta; returns the text that is safe to emit now (possibly empty). */
  push(delta: string): string {
    if (this.#ended) throw new Error('StreamingRedactor.push() after end()');
    this.#all?.push(delta);
    if (this.passThrough) return delta;
    this.#pending.push(delta);
    this.#length += delta.length;
    // a delta without whitespace only extends the last token, which stays held
    if (!hasSpace(delta) && this.#length - this.#checkedAt < RECHECK_EVERY) return '';
    this.#checkedAt = this.#length;
    this.#buf += this.#pending.join('');
    this.#pending.length = 0;
    const { hold, capped } = holdStart(this.#buf, this.#emitted - this.#base, this.#rules);
    const at = hold + this.#base;
    if (at <= this.#emitted || (capped && at - this.#emitted < CAPPED_BATCH)) return '';
    return this.#release(at, false);
  }

  /** Flush: everything still held, redacted. */
  end(): string {
    if (this.#ended) return '';
    this.#buf += this.#pending.join('');
    const rest = this.passThrough ? '' : this.#release(this.#length, true);
    this.#ended = true;
    if (this.#all) {
      const text = this.#all.join('');
      const found = scanCategories(text, this.#policy, this.#alert);
      for (const f of found) this.findings.push({ ...f, action: 'alert', excerpt: excerpt(text, f, 24, found) });
    }
    return rest;
  }

  /** emit up to absolute offset `upTo` (or less, when a finding reaches past it) */
  #release(upTo: number, final: boolean): string {
    const base = this.#base;
    const text = this.#buf;
    const emitted = this.#emitted - base;
    const scanFrom = contextStart(text, emitted);
    const window = text.slice(scanFrom);
    const found = scanCategories(window, this.#policy, this.#redact);
    let cut = upTo - base - scanFrom;
    if (!final) {
      // a finding that spans the cut, or ends where the text ends (it may still grow), holds it back
      for (let moved = true; moved; ) {
        moved = false;
        for (const f of found) {
          if (f.start < cut && (f.end > cut || f.end === window.length) && f.start >= emitted - scanFrom) {
            cut = f.start;
            moved = true;
          }
        }
      }
      if (cut <= emitted - scanFrom) return '';
    }
    let out = '';
    let cursor = emitted - scanFrom;
    for (const f of found) {
      if (f.start >= cut) break;
      if (f.end <= cursor) continue; // already released earlier (or inside a merged span)
      out += window.slice(cursor, Math.max(f.start, cursor)) + f.placeholder;
      cursor = f.end;
      this.findings.push({ ...f, start: f.start + base + scanFrom, end: f.end + base + scanFrom, action: 'redact', excerpt: excerpt(window, f, 24, found) });
    }
    if (cursor < cut) out += window.slice(cursor, cut);
    this.#emitted = base + scanFrom + Math.max(cut, cursor);
    this.#trim();
    return out;
  }

  /** drop text that no later scan needs: keep CONTEXT characters (from a word start) before the emitted point */
  #trim(): void {
    const keepFrom = contextStart(this.#buf, this.#emitted - this.#base);
    if (keepFrom < CONTEXT) return;
    this.#buf = this.#buf.slice(keepFrom);
    this.#base += keepFrom;
  }
}

function hasSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) return true;
  }
  return false;
}

/** start the re-scan at the first word start in the CONTEXT characters before the released text (a hard cut in a long run) */
function contextStart(text: string, emitted: number): number {
  if (emitted <= CONTEXT) return 0;
  const ws = text.indexOf(' ', emitted - CONTEXT - 1);
  return ws < 0 || ws >= emitted ? emitted - CONTEXT : ws + 1;
}
