import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { APIStatusError } from '@livekit/agents';
import type { UpgradeErrorHeaders } from './types.js';

/** What a provider answered when it refused a WebSocket upgrade. */
export interface HandshakeRejection {
  status: number;
  /** the provider's own message (Deepgram: the `dg-error` header, e.g. `INVALID_AUTH: Invalid credentials.`) */
  message: string | null;
  /** the provider's id for the refused request (Deepgram: `dg-request-id`), for its support */
  requestId: string | null;
}

/** The refused upgrades of one provider stream: the last one, read from the provider's headers. */
class Notes {
  last: HandshakeRejection | null = null;
  constructor(readonly headers: UpgradeErrorHeaders) {}
}

const context = new AsyncLocalStorage<Notes>();
const notesOf = new WeakMap<object, Notes>();
let subscribed = false;

/**
 * Opens a provider stream so that a refused WebSocket upgrade is noted with the provider's message,
 * read from `headers` (a provider without them: the stream is opened as it is).
 *
 * LiveKit's `waitForWebSocketOpen` turns a refused upgrade into `APIStatusError` with the status
 * only: it drains the response without reading its headers or body. Deepgram puts its error in the
 * `dg-error` header of that response (documented since 2022-11). Node publishes every HTTP client
 * response on the `http.client.response.finish` diagnostics channel before handing it to `ws`, in
 * the async context of the request: the context of the stream whose connect made it, since the
 * plugin connects from the task its stream starts. So the message is read there, with no patch of
 * the plugin or of `ws`, and kept for this stream only (`rejectionOf`). Only providers that declare
 * such headers open their streams in this context: every async resource created in an
 * AsyncLocalStorage context carries its store, a cost the other providers' streams need not pay.
 */
export function openNoted<S extends object>(headers: UpgradeErrorHeaders | undefined, open: () => S): S {
  if (!headers) return open();
  if (!subscribed) {
    dc.subscribe('http.client.response.finish', onResponse);
    subscribed = true;
  }
  const notes = new Notes(headers);
  const stream = context.run(notes, open);
  notesOf.set(stream, notes);
  return stream;
}

/** The last refused upgrade of a stream opened with `openNoted`, if any. */
export function rejectionOf(stream: object): HandshakeRejection | null {
  return notesOf.get(stream)?.last ?? null;
}

/**
 * `error` with the provider's own message when it is the status error of that refused upgrade (same
 * status): `Deepgram WebSocket connection rejected with status 401: INVALID_AUTH: Invalid credentials.
 * (request 5b7…)`. Secrets are masked where errors are surfaced and recorded, as for every error.
 */
export function withProviderMessage(error: unknown, rejection: HandshakeRejection | null): unknown {
  if (!rejection?.message || !(error instanceof APIStatusError) || error.statusCode !== rejection.status) return error;
  const request = rejection.requestId ? ` (request ${rejection.requestId})` : '';
  return new APIStatusError({
    message: `${error.message}: ${rejection.message}${request}`,
    options: { statusCode: error.statusCode, requestId: rejection.requestId ?? error.requestId, body: error.body, retryable: error.retryable },
  });
}

function onResponse(message: unknown): void {
  const notes = context.getStore();
  if (!notes) return;
  const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
  const status = response.statusCode ?? 0;
  if (status < 400 || String(request.getHeader('upgrade') ?? '').toLowerCase() !== 'websocket') return;
  const { message: messageHeader, requestId } = notes.headers;
  notes.last = { status, message: providerMessage(response.headers[messageHeader]), requestId: requestId ? one(response.headers[requestId]) : null };
}

/** The provider's error header: its JSON error body (Deepgram: `err_code`, `err_msg`), or plain text. */
function providerMessage(header: IncomingHttpHeaders[string]): string | null {
  const raw = one(header);
  if (!raw) return null;
  try {
    const body = JSON.parse(raw) as { err_code?: unknown; err_msg?: unknown; message?: unknown };
    const text = typeof body.err_msg === 'string' ? body.err_msg : typeof body.message === 'string' ? body.message : null;
    if (text) return typeof body.err_code === 'string' ? `${body.err_code}: ${text}` : text;
  } catch {
    /* not JSON: the text itself */
  }
  return raw.slice(0, 500);
}

function one(v: string | string[] | undefined): string | null {
  return (Array.isArray(v) ? v[0] : v) || null;
}
