import { brokenJson } from './faults.js';
import { type HttpContext, sendWhole } from './server.js';

/** OpenAI's error shape: { error: { message, type, param, code } }. */
export function openAIErrorBody(status: number, message: string): unknown {
  const [type, code] =
    status === 401
      ? ['invalid_request_error', 'invalid_api_key']
      : status === 404
        ? ['invalid_request_error', 'model_not_found']
        : status === 429
          ? ['requests', 'rate_limit_exceeded']
          : status >= 500
            ? ['server_error', null]
            : ['invalid_request_error', null];
  return { error: { message, type, param: null, code } };
}

/** A single JSON body; `malformed` cuts the JSON short (see sendWhole for `drop`). */
export async function sendWholeJson(ctx: HttpContext, value: unknown): Promise<void> {
  const text = ctx.fault?.kind === 'malformed' ? brokenJson(value) : JSON.stringify(value);
  await sendWhole(ctx, text, 'application/json');
}
