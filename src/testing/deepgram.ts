import { createHash, randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { wavInfo } from './audio.js';
import { ListenSession, MODEL_UUID } from './deepgram-listen.js';
import { defaultFaultMessage } from './faults.js';
import { type HttpContext, type MockServer, MockHttpServer, rejectUpgrade, sendJson, sendWholeJson } from './server.js';

export interface MockDeepgramOptions {
  /** text of every transcribed segment (default 'hello from the mock deepgram') */
  transcript?: string;
  /** send an interim Results before each final one; default: what the client asked (interim_results) */
  interim?: boolean;
  /** seconds of speech after which a segment is transcribed without waiting for Finalize (default 1) */
  segmentSeconds?: number;
}

export type MockDeepgram = MockServer & { baseUrl: string };

const DEFAULT_TRANSCRIPT = 'hello from the mock deepgram';

/**
 * Deepgram's live API (WebSocket /v1/listen) and prerecorded API (POST /v1/listen with audio).
 * Faults apply per connection: `status` rejects the upgrade, `stall` never completes it,
 * `drop` cuts after N Results messages, `malformed` breaks the first message sent.
 */
export async function startMockDeepgram(opts: MockDeepgramOptions = {}): Promise<MockDeepgram> {
  const wss = new WebSocketServer({ noServer: true });
  const listen = { transcript: opts.transcript ?? DEFAULT_TRANSCRIPT, interim: opts.interim, segmentSeconds: opts.segmentSeconds ?? 1 };
  const server: MockHttpServer = new MockHttpServer(
    {
      errorBody: deepgramErrorBody,
      request: (ctx) => prerecorded(ctx, listen.transcript),
      upgrade(req, socket, head, record) {
        if (record.path !== '/v1/listen') return refuse(socket, 404, `no WebSocket endpoint at ${record.path}`);
        const fault = server.faults.take();
        if (fault) record.fault = fault.kind;
        if (fault?.kind === 'stall') return; // the client waits for an upgrade that never comes
        if (fault?.kind === 'status') return refuse(socket, fault.status, fault.message ?? defaultFaultMessage(fault.status));
        wss.handleUpgrade(req, socket, head, (ws) => new ListenSession(ws, record, fault, listen));
      },
      onClose() {
        for (const client of wss.clients) client.terminate();
        wss.close();
      },
    },
    (origin) => origin.replace(/^http/, 'ws'),
  );
  await server.listen();
  return Object.defineProperty(server, 'baseUrl', { get: () => server.url, enumerable: true }) as MockHttpServer & { baseUrl: string };
}

/**
 * A refused upgrade as Deepgram sends it: the error body, and the same JSON in the `dg-error` header
 * with the request id in `dg-request-id` (Deepgram's changelog, 2022-11-08), which a Node client can
 * read even when its WebSocket library drops the body.
 */
function refuse(socket: Duplex, status: number, message: string): void {
  const body = deepgramErrorBody(status, message) as { request_id: string };
  rejectUpgrade(socket, status, body, { 'dg-error': JSON.stringify(body), 'dg-request-id': body.request_id });
}

/** Deepgram's error shape: { err_code, err_msg, request_id }. */
export function deepgramErrorBody(status: number, message: string): unknown {
  const code =
    status === 401 ? 'INVALID_AUTH' : status === 402 ? 'ASR_PAYMENT_REQUIRED' : status === 403 ? 'INSUFFICIENT_PERMISSIONS' : status === 429 ? 'TOO_MANY_REQUESTS' : status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'Bad Request';
  return { err_code: code, err_msg: message, request_id: randomUUID() };
}

/** POST /v1/listen with a WAV body, as deepgram.STT.recognize() sends it. */
async function prerecorded(ctx: HttpContext, transcript: string): Promise<void> {
  if (ctx.req.method !== 'POST' || ctx.record.path !== '/v1/listen') {
    sendJson(ctx.res, 404, deepgramErrorBody(404, `no endpoint at ${ctx.req.method} ${ctx.record.path}`));
    return;
  }
  const info = wavInfo(ctx.raw);
  if (!info) {
    sendJson(ctx.res, 400, deepgramErrorBody(400, 'the mock decodes WAV bodies only (Content-Type audio/wav)'));
    return;
  }
  const duration = Math.round(info.durationSeconds * 1000) / 1000;
  const texts = transcript.split(/\s+/).filter(Boolean);
  const step = texts.length ? duration / texts.length : 0;
  const words = texts.map((w, i) => ({ word: w.toLowerCase().replace(/[^\p{L}\p{N}']/gu, ''), start: i * step, end: (i + 1) * step, confidence: 0.99, punctuated_word: w }));
  const requestId = randomUUID();
  ctx.res.setHeader('dg-request-id', requestId);
  await sendWholeJson(ctx, {
    metadata: {
      transaction_key: 'deprecated',
      request_id: requestId,
      sha256: createHash('sha256').update(ctx.raw).digest('hex'),
      created: new Date().toISOString(),
      duration,
      channels: info.channels,
      models: [MODEL_UUID],
      model_info: { [MODEL_UUID]: { name: '2-general-nova', version: '2024-01-18.26916', arch: 'nova-3' } },
    },
    results: { channels: [{ alternatives: [{ transcript: texts.join(' '), confidence: texts.length ? 0.99 : 0, words }] }] },
  });
}
