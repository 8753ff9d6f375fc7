import { ScanContext } from './context.js';
import { detectFinancial } from './detectors/financial.js';
import { detectMedical } from './detectors/medical.js';
import { detectOffTopic } from './detectors/off-topic.js';
import { detectPii } from './detectors/pii.js';
import { detectPromptInjection } from './detectors/prompt-injection.js';
import type { CompiledPolicy } from './policy.js';
import type { Finding, GuardrailCategory } from './types.js';

const DETECTORS: Record<GuardrailCategory, (ctx: ScanContext) => void> = {
  pii: detectPii,
  financial: detectFinancial,
  medical: detectMedical,
  prompt_injection: detectPromptInjection,
  off_topic: detectOffTopic,
};

/** Findings of the policy's enabled (non-off) categories, sorted by start (longest first on ties). */
export function scanText(text: string, policy: CompiledPolicy): Finding[] {
  return scanCategories(text, policy, policy.active);
}

/** scanText restricted to some categories (the streaming redactor only needs pii / financial). */
export function scanCategories(text: string, policy: CompiledPolicy, categories: readonly GuardrailCategory[]): Finding[] {
  if (!policy.enabled || categories.length === 0 || text.length === 0) return [];
  const ctx = new ScanContext(text, policy);
  for (const category of categories) DETECTORS[category](ctx);
  const findings = ctx.findings;
  if (findings.length > 1) findings.sort((a, b) => a.start - b.start || b.end - a.end);
  return findings;
}

/**
 * Replace every finding's span with its placeholder. Overlapping spans are merged and take the
 * placeholder of the one that starts first (the longest on ties).
 */
export function redactText(text: string, findings: readonly Finding[]): string {
  if (findings.length === 0) return text;
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let cursor = 0;
  for (let i = 0; i < sorted.length; ) {
    const f = sorted[i]!;
    let end = f.end;
    let j = i + 1;
    while (j < sorted.length && sorted[j]!.start < end) end = Math.max(end, sorted[j++]!.end);
    const start = Math.max(f.start, cursor);
    out += text.slice(cursor, start) + f.placeholder;
    cursor = Math.max(cursor, end);
    i = j;
  }
  return out + text.slice(cursor);
}

const LEFTOVER_DIGITS_RE = /\d(?:[ .\-/]?\d){3,}/g;
const LEFTOVER_EMAIL_RE = /[^\s@]+@[^\s@]+/g;

/**
 * A short redacted excerpt around a finding for the audit log: the finding itself (and any `others`
 * in the window) replaced by placeholders, and any leftover 4+ digit run or address masked, so the
 * raw value never reaches the ledger.
 */
export function excerpt(text: string, f: Finding, radius = 24, others: readonly Finding[] = []): string {
  let ws = Math.max(0, f.start - radius);
  let we = Math.min(text.length, f.end + radius);
  const inWindow = [f, ...others.filter((o) => o !== f && o.end > ws && o.start < we)];
  // a span cut by the window edge is taken whole, so no half value is left behind
  for (const o of inWindow) {
    ws = Math.min(ws, o.start);
    we = Math.max(we, o.end);
  }
  const shifted = inWindow.map((o) => ({ ...o, start: o.start - ws, end: o.end - ws }));
  const body = redactText(text.slice(ws, we), shifted)
    .replace(LEFTOVER_EMAIL_RE, '[EMAIL]')
    .replace(LEFTOVER_DIGITS_RE, '####')
    .replace(/\s+/g, ' ')
    .trim();
  return `${ws > 0 ? '…' : ''}${body}${we < text.length ? '…' : ''}`;
}
