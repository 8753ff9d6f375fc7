import type { Context } from 'hono';
import { z } from 'zod';
import { MODALITIES } from '../types.js';
import { ApiError } from './errors.js';

/** Query values arrive as strings: these parse them strictly (no silent coercion of junk). */
export const q = {
  /** a project id as stored (YAML ids are free text, so only length and control characters are checked) */
  project: z
    .string()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters'),
  modality: z.enum(MODALITIES as unknown as ['stt', 'llm', 'tts', 'realtime']),
  limit: (max: number) =>
    z
      .string()
      .regex(/^\d{1,7}$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().min(1, 'must be at least 1').max(max, `must be at most ${max}`)),
  instant: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
};

/** Validates `c.req.query()` against a strict object schema (unknown parameters are refused). */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const raw: Record<string, string> = {};
  const all = c.req.queries();
  for (const [k, values] of Object.entries(all)) {
    if (values.length > 1) throw new ApiError(400, 'invalid_query', `${k}: given ${values.length} times; give it once`, k);
    raw[k] = values[0] ?? '';
  }
  return check(schema, raw, 'invalid_query');
}

/** Reads a JSON object body (Content-Type application/json) and validates it. */
export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json');
  }
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_body', 'The request body must be a JSON object');
  }
  return check(schema, body, 'invalid_body');
}

/** A path parameter: bounded length, no control characters. */
export function pathParam(c: Context, name: string): string {
  const value = c.req.param(name) ?? '';
  const r = q.project.safeParse(value);
  if (!r.success) throw new ApiError(400, 'invalid_path', `${name}: ${r.error.issues[0]!.message}`, name);
  return value;
}

function check<S extends z.ZodType>(schema: S, value: unknown, code: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const field = [...issue.path, ...keys.slice(0, 1)].map(String).join('.');
  const message = issue.code === 'unrecognized_keys' ? `unknown ${code === 'invalid_query' ? 'parameter' : 'field'}` : issue.message;
  throw new ApiError(400, code, `${field || 'body'}: ${message}`, field || null);
}
