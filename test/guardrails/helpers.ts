import { compilePolicy, scanText, type Finding, type GuardrailCategory, type GuardrailPolicy } from '../../src/guardrails/index.js';

/** a policy with the given categories on (alert unless stated) */
export function policy(categories: Partial<Record<GuardrailCategory, 'redact' | 'block' | 'alert'>>, extra: Partial<GuardrailPolicy> = {}) {
  return compilePolicy({ enabled: true, categories, ...extra });
}

/** "detector:matched text" for each finding: compact, readable assertions */
export function found(text: string, categories: GuardrailCategory[] | GuardrailCategory, extra: Partial<GuardrailPolicy> = {}): string[] {
  const cats = Array.isArray(categories) ? categories : [categories];
  const p = policy(Object.fromEntries(cats.map((c) => [c, 'alert'])), extra);
  return scanText(text, p).map((f: Finding) => `${f.detector}:${text.slice(f.start, f.end)}`);
}
