import { WebSocketServer } from 'ws';
import { defaultFaultMessage } from './faults.js';
import { RealtimeConnection, type RealtimeScript, type RealtimeUsage, type TranscriptionUsage } from './realtime-connection.js';
import { type MockServer, MockHttpServer, rejectUpgrade, sendJson } from './server.js';
import { openAIErrorBody } from './openai-audio.js';

export type { RealtimeUsage, TranscriptionUsage } from './realtime-connection.js';

export interface MockOpenAIRealtimeOptions {
  /** what the model says, one entry per response in order (the last repeats); default one greeting */
  replies?: string[] | ((turn: number) => string);
  /** what the caller said, one entry per committed user turn (the last repeats) */
  transcripts?: string[] | ((turn: number) => string);
  /** audio per word of a reply, ms (default 100: one response.output_audio.delta per word) */
  msPerWord?: number;
  /** wait between words (default 0: a whole response is written at once) */
  wordIntervalMs?: number;
}

export type MockOpenAIRealtime = MockServer & {
  /** `http://127.0.0.1:PORT/v1`: what `openai.realtime.RealtimeModel({ baseURL })` takes */
  baseURL: string;
  /** every response.done usage sent, in order, for reconciling a ledger with the provider's own figures */
  readonly usage: RealtimeUsage[];
  /** every input-audio transcription usage sent */
  readonly transcriptionUsage: TranscriptionUsage[];
  /** responses the client cancelled (response.cancel) */
  readonly cancelled: string[];
  /** sends a server `error` event on every open connection (`code` e.g. 'rate_limit_exceeded') */
  serverError(code: string, message: string): void;
};

/**
 * OpenAI's Realtime API (WebSocket /v1/realtime?model=…, GA event names). Speaks the events the
 * LiveKit plugin relies on: session.created/updated, input_audio_buffer.* with server VAD on the
 * audio's energy, conversation.item.added/deleted, input transcription with usage, and responses
 * (response.created → output_item/content_part → output_audio_transcript.delta +
 * output_audio.delta per word → *.done → response.done with usage → rate_limits.updated).
 * Usage is computed from what was exchanged (figures in docs/testing.md), so tests can reconcile.
 * Faults per connection: `status` rejects the upgrade with an OpenAI error body, `stall` never
 * completes it, `refuse` resets it, `drop` cuts after N audio deltas, `stall` with `afterChunks` goes silent after N, `malformed` breaks the first audio delta (JSON cut in half).
 */
export async function startMockOpenAIRealtime(opts: MockOpenAIRealtimeOptions = {}): Promise<MockOpenAIRealtime> {
  const wss = new WebSocketServer({ noServer: true });
  const connections = new Set<RealtimeConnection>();
  const usage: RealtimeUsage[] = [];
  const transcriptionUsage: TranscriptionUsage[] = [];
  const cancelled: string[] = [];
  const script: RealtimeScript = {
    reply: pick(opts.replies, 'Hello from the mock realtime model.'),
    transcript: pick(opts.transcripts, 'hello there'),
    msPerWord: opts.msPerWord ?? 100,
    wordIntervalMs: opts.wordIntervalMs ?? 0,
    onUsage: (u) => usage.push(u),
    onTranscriptionUsage: (u) => transcriptionUsage.push(u),
    onCancel: (id) => cancelled.push(id),
  };
  const server: MockHttpServer = new MockHttpServer(
    {
      errorBody: openAIErrorBody,
      request: (ctx) => sendJson(ctx.res, 404, openAIErrorBody(404, `no endpoint at ${ctx.req.method} ${ctx.record.path}: the realtime API is a WebSocket`)),
      upgrade(req, socket, head, record) {
        if (record.path !== '/v1/realtime') return rejectUpgrade(socket, 404, openAIErrorBody(404, `no WebSocket endpoint at ${record.path}`));
        if (!String(req.headers.authorization ?? '').startsWith('Bearer ')) return rejectUpgrade(socket, 401, openAIErrorBody(401, 'Missing bearer authentication in header'));
        const fault = server.faults.take();
        if (fault) record.fault = fault.kind;
        if (fault?.kind === 'stall' && fault.afterChunks === undefined) return;
        if (fault?.kind === 'status') return rejectUpgrade(socket, fault.status, openAIErrorBody(fault.status, fault.message ?? defaultFaultMessage(fault.status)));
        wss.handleUpgrade(req, socket, head, (ws) => {
          const conn = new RealtimeConnection(ws, record, fault, script);
          connections.add(conn);
          ws.on('close', () => connections.delete(conn));
        });
      },
      onClose() {
        for (const client of wss.clients) client.terminate();
        wss.close();
      },
    },
    (origin) => `${origin}/v1`,
  );
  await server.listen();
  const reset = server.reset.bind(server);
  return Object.defineProperties(server, {
    baseURL: { get: () => server.url, enumerable: true },
    usage: { value: usage, enumerable: true },
    transcriptionUsage: { value: transcriptionUsage, enumerable: true },
    cancelled: { value: cancelled, enumerable: true },
    serverError: { value: (code: string, message: string) => connections.forEach((c) => c.serverError(code, message)) },
    reset: {
      value: () => {
        reset();
        usage.length = 0;
        transcriptionUsage.length = 0;
        cancelled.length = 0;
      },
    },
  }) as unknown as MockOpenAIRealtime;
}

function pick(v: string[] | ((turn: number) => string) | undefined, fallback: string): (turn: number) => string {
  if (typeof v === 'function') return v;
  const list = v && v.length > 0 ? v : [fallback];
  return (turn) => list[Math.min(turn, list.length - 1)]!;
}
