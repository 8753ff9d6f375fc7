import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { redact } from '../secrets.js';

/** Turns zod issues into one ConfigError that names each YAML path, the bad value and what is allowed. */
export function configErrorFromZod(error: z.ZodError, raw: unknown, source: string, schema: z.ZodType): ConfigError {
  const lines = error.issues.map((issue) => describeIssue(issue, raw, schema));
  const first = error.issues[0];
  const path = first ? first.path.join('.') : undefined;
  return new ConfigError(redact(`Invalid configuration in ${source}:\n${lines.map((l) => `  - ${l}`).join('\n')}`), path);
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown, schema: z.ZodType): string {
  const path = issue.path.map(String);
  const where = path.join('.') || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(schema, path);
    return issue.keys
      .map((k) => {
        const hint = closest(k, known);
        const at = [...path, k].join('.');
        return `${at}: unknown key '${k}'${hint ? ` (did you mean '${hint}'?)` : ''}; allowed: ${known.join(', ')}`;
      })
      .join('\n  - ');
  }
  const value = valueAt(raw, path);
  const shown = value === undefined ? 'missing' : JSON.stringify(value);
  if (issue.code === 'invalid_value') {
    return `${where}: ${shown} is not allowed; allowed: ${issue.values.map((v) => String(v)).join(', ')}`;
  }
  if (issue.code === 'invalid_type' && value === undefined) return `${where}: is required (expected ${issue.expected})`;
  if (issue.code === 'invalid_type') return `${where}: expected ${issue.expected}, got ${shown}`;
  return `${where}: ${shown} ${issue.message}`;
}

function valueAt(raw: unknown, path: string[]): unknown {
  let cur: unknown = raw;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Walks a zod schema along a YAML path and lists the keys the object there accepts. */
export function knownKeysAt(schema: z.ZodType, path: string[]): string[] {
  let cur: unknown = schema;
  for (const segment of [...path, null]) {
    cur = unwrap(cur);
    const def = (cur as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return [];
    if (segment === null) break;
    if (def.type === 'object') cur = (def.shape as Record<string, unknown>)[segment];
    else if (def.type === 'record') cur = def.valueType;
    else if (def.type === 'array') cur = def.element;
    else return [];
  }
  const def = (unwrap(cur) as { _zod?: { def?: { type?: string; shape?: Record<string, unknown> } } })._zod?.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(s: unknown): unknown {
  let cur = s as { _zod?: { def?: { type?: string; innerType?: unknown; options?: unknown[] } } };
  for (;;) {
    const def = cur?._zod?.def;
    if (!def) return cur;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') {
      cur = def.innerType as typeof cur;
    } else if (def.type === 'union') {
      // prefer the object member of a union (e.g. string | { model })
      const obj = def.options?.find((o) => (o as typeof cur)?._zod?.def?.type === 'object');
      if (!obj) return cur;
      cur = obj as typeof cur;
    } else return cur;
  }
}

export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) [best, bestDist] = [c, d];
  }
  return best !== undefined && bestDist <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
