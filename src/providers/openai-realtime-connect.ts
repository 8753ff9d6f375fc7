import { APIConnectionError, APIError, APIStatusError, APITimeoutError } from '@livekit/agents';
import { WebSocket } from 'ws';
import { linkFor } from './realtime-link.js';

type OpenAIPlugin = typeof import('@livekit/agents-plugin-openai');
type RealtimeOptions = ConstructorParameters<OpenAIPlugin['realtime']['RealtimeModel']>[0];

interface PluginOptions {
  baseURL: string;
  model: string;
  apiKey?: string;
  isAzure: boolean;
  connOptions: { timeoutMs: number };
}

/** The connection a session is using now (for its link's `restart`). */
const CURRENT = new WeakMap<object, WebSocket>();

/** Cuts a session's current connection as a network failure would: the plugin reconnects (`session_reconnected` follows). */
function restartConnection(session: object): boolean {
  const ws = CURRENT.get(session);
  if (!ws) return false;
  ws.terminate();
  return true;
}

/**
 * The OpenAI plugin (1.9.0) opens its WebSocket without an 'error' listener: a refused connection
 * or an HTTP 500 on the upgrade is an uncaught exception that kills the worker, and the session
 * dies without an 'error' event. Sessions of this model open the same URL (the plugin's own
 * `processBaseURL`, Bearer key) but report failures as APIConnectionError / APIStatusError /
 * APITimeoutError: the first through the session's link (`realtimeLink`; the drop-in falls back), later ones
 * (reconnects) as a non-recoverable 'error' event. Azure sessions connect as the plugin does.
 */
export function openAIRealtimeModel(oa: OpenAIPlugin, options: RealtimeOptions): InstanceType<OpenAIPlugin['realtime']['RealtimeModel']> {
  const base = oa.realtime.RealtimeSession;
  class GuardedSession extends base {}
  const original = (base.prototype as unknown as { createWsConn(): Promise<WebSocket> }).createWsConn;
  // runs from the base constructor (before any subclass field exists): state lives in FIRST_CONNECT
  Object.defineProperty(GuardedSession.prototype, 'createWsConn', {
    value: function createWsConn(this: InstanceType<typeof base>): Promise<WebSocket> {
      const o = (this as unknown as { _options: PluginOptions })._options;
      if (o.isAzure) return original.call(this);
      const link = linkFor(this, () => restartConnection(this));
      const first = !link.settled;
      const url = oa.realtime.processBaseURL({ baseURL: o.baseURL, model: o.model, isAzure: false });
      const malformed = (e: Error) =>
        this.emit('error', { type: 'realtime_model_error', timestamp: Date.now(), label: 'openai.RealtimeModel', error: new APIError(`OpenAI Realtime: a server event could not be read and was skipped (${e.message})`, { retryable: true }), recoverable: true });
      return connect(url, { 'User-Agent': 'LiveKit-Agents-JS', Authorization: `Bearer ${o.apiKey}` }, o.connOptions.timeoutMs).then(
        (ws) => (guardMessages(ws, malformed, () => (link.lastEventAt = Date.now())), CURRENT.set(this, ws), first && link.resolve(), ws),
        (e: Error) => {
          if (first) link.reject(e);
          else this.emit('error', { type: 'realtime_model_error', timestamp: Date.now(), label: 'openai.RealtimeModel', error: e, recoverable: false });
          throw e;
        },
      );
    },
  });
  class GuardedModel extends oa.realtime.RealtimeModel {
    override session() {
      return new GuardedSession(this);
    }
  }
  return new GuardedModel(options);
}

/**
 * The plugin parses every server event with a bare `JSON.parse` in its `onmessage` handler: one
 * malformed event is an uncaught exception (a dead worker) and leaves the socket's reader stuck, so
 * the answer in progress never ends. Its handler is called here inside a try: a bad event is
 * skipped and reported (a recoverable error), and the events after it are read.
 */
function guardMessages(ws: WebSocket, onBad: (e: Error) => void, onEvent: () => void): void {
  const native = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage')!;
  Object.defineProperty(ws, 'onmessage', {
    configurable: true,
    get: () => native.get!.call(ws),
    set: (fn: ((ev: WebSocket.MessageEvent) => void) | null) =>
      native.set!.call(
        ws,
        fn &&
          ((ev: WebSocket.MessageEvent) => {
            onEvent();
            try {
              fn.call(ws, ev);
            } catch (e) {
              onBad(e instanceof Error ? e : new Error(String(e)));
            }
          }),
      ),
  });
}

function connect(url: string, headers: Record<string, string>, timeoutMs: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const fail = (e: Error) => {
      clearTimeout(timer);
      reject(e);
    };
    const timer = setTimeout(() => {
      ws.terminate();
      fail(new APITimeoutError({ message: `OpenAI Realtime: no connection within ${timeoutMs} ms`, options: { retryable: false } }));
    }, timeoutMs);
    ws.on('error', (e) => fail(new APIConnectionError({ message: `OpenAI Realtime: ${e.message}`, options: { retryable: false } })));
    ws.once('unexpected-response', (req, res) => {
      const status = res.statusCode ?? 0;
      req.destroy();
      fail(new APIStatusError({ message: `OpenAI Realtime: HTTP ${status} on connect`, options: { statusCode: status, retryable: false } }));
    });
    ws.once('open', () => {
      clearTimeout(timer);
      resolve(ws);
    });
  });
}
