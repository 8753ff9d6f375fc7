import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ProjectWriteError } from '../admin.js';
import { UnknownProjectError } from '../errors.js';
import { log } from '../log.js';
import { PeriodError } from '../periods.js';

/** An error the API answers with `{ error: { code, message, field } }` and a 4xx status. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { code: string; message: string; field: string | null };
}

export function errorResponse(c: Context, e: ApiError, headers?: Record<string, string>): Response {
  const body: ErrorBody = { error: { code: e.code, message: e.message, field: e.field } };
  return c.json(body, e.status, headers);
}

const WRITE_STATUS: Record<ProjectWriteError['code'], ContentfulStatusCode> = {
  not_found: 404,
  read_only: 409,
  conflict: 409,
  invalid: 400,
};

/** Maps anything a handler threw to an API error; unexpected errors become a bare 500 with no stack. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof UnknownProjectError) return new ApiError(404, 'not_found', err.message, 'project');
  if (err instanceof ProjectWriteError) return new ApiError(WRITE_STATUS[err.code], err.code, err.message, err.field ?? null);
  if (err instanceof PeriodError) return new ApiError(400, 'invalid_query', `${err.field}: ${err.message}`, err.field);
  if (err instanceof HTTPException) {
    if (err.status === 413) return new ApiError(413, 'payload_too_large', 'Request body is too large (limit 64 KiB)');
    return new ApiError(err.status as ContentfulStatusCode, 'bad_request', err.message || 'Bad request');
  }
  // only the message, never the stack: it may name internals but holds no request data or keys
  log.error(`API handler failed: ${err instanceof Error ? err.message : String(err)}`);
  return new ApiError(500, 'internal', 'Internal error; see the server log');
}
