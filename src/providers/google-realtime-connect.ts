import { APIConnectionError, APIError, APIStatusError, APITimeoutError } from '@livekit/agents';
import type * as Google from '@livekit/agents-plugin-google';
import { log } from '../log.js';
import { linkFor } from './realtime-link.js';

type GooglePlugin = typeof Google;
type RealtimeOptions = ConstructorParameters<GooglePlugin['realtime']['RealtimeModel']>[0];

/** What the guard reads of the plugin's session: TypeScript-private members, plain properties at run time. */
interface PluginSession {
  options: { connOptions: { timeoutMs: number; maxRetry: number } };
  numRetries: number;
  markRestartNeeded(): void;
  emit(name: string, ev: unknown): boolean;
}

/** @google/genai's WebSocket layer (NodeWebSocketFactory / NodeWebSocket, node build). */
interface WsEvents {
  onopen(): void;
  onmessage(ev: { data: unknown }): void;
  onerror(ev: { message?: string; error?: Error }): void;
  onclose(ev: { code: number; reason: string }): void;
}
interface Conn {
  ws?: { terminate(): void };
  connect(): void;
  close(): void;
}
interface Factory {
  create(url: string, headers: Record<string, string>, callbacks: WsEvents): Conn;
}
interface LiveLike {
  webSocketFactory: Factory;
}
type Connect = (this: LiveLike, params: { config?: object }) => Promise<unknown>;

/** One connection attempt of a plugin session and, once it opened, that connection. */
interface Attempt {
  session: PluginSession;
  conn: Conn | null;
  established: boolean;
  settled: boolean;
  /** the plugin closed it (a restart it chose, the session's end) */
  clientClosing: boolean;
  /** the drop-in cut it (a stalled provider): the drop-in reports that itself */
  restarting: boolean;
  lastError: string | undefined;
  fail(e: Error): void;
}

/** Connect configs built by guarded sessions → their session (the config object is what live.connect receives). */
const CONFIGS = new WeakMap<object, PluginSession>();
/** The attempt a Live instance is making now (each plugin session has its own GoogleGenAI client). */
const PENDING = new WeakMap<LiveLike, Attempt>();
const WRAPPED = new WeakSet<LiveLike>();
/** The open connection of each session, and whether it was lost (a reconnect follows). */
const CURRENT = new WeakMap<object, Attempt>();
const LOST = new WeakSet<object>();
/** Close codes after which the connection is reopened (the plugin's own session resumption handle and chat context go with it). */
const TRANSIENT = new Set([1000, 1001, 1006, 1011, 1012, 1013, 1014]);
const LABEL = 'google.RealtimeModel';

let installed: Connect | null = null;

/**
 * The Google plugin (1.9.0) connects through @google/genai's `live.connect`, which waits for the
 * socket to open and for `setupComplete` with no timeout and no failure path: a refused
 * connection, an HTTP error on the upgrade or a close before `setupComplete` leaves the plugin's
 * connect loop waiting forever (after one non-recoverable error event), a malformed server message
 * is an unhandled rejection, and a connection the server drops mid-call is never reopened (the
 * plugin goes on writing to the dead socket). Sessions of this model are guarded:
 * - the first connection reports through the session's link (`realtimeLink`): the drop-in falls
 *   back to the next realtime model; a failed reconnect is retried by the plugin (its connOptions)
 *   and, after the last retry, is one non-recoverable error event;
 * - connecting times out after `connOptions.timeoutMs` (the plugin passes it to HTTP requests only);
 * - an unreadable server message is skipped and reported (recoverable);
 * - a connection lost mid-call is reopened (a warning, then `session_reconnected`, as the OpenAI plugin does).
 * `live.connect` of other clients is untouched: the guard acts only on configs these sessions built.
 */
export function googleRealtimeModel(g: GooglePlugin, options: RealtimeOptions): InstanceType<GooglePlugin['realtime']['RealtimeModel']> {
  install(g);
  class GuardedModel extends g.realtime.RealtimeModel {
    override session() {
      const s = super.session();
      const plugin = s as unknown as PluginSession & { buildConnectConfig(): object };
      // the plugin calls buildConnectConfig() right before each live.connect (after a turn of the
      // loop, so this own method is in place): the config it returns names the session to the guard
      const build = Object.getPrototypeOf(s).buildConnectConfig as () => object;
      Object.defineProperty(s, 'buildConnectConfig', {
        value: function buildConnectConfig(this: PluginSession) {
          const config = build.call(this);
          CONFIGS.set(config, this);
          return config;
        },
      });
      linkFor(s, () => restart(plugin));
      return s;
    }
  }
  return new GuardedModel(options);
}

/**
 * Wraps `Live.prototype.connect` of the @google/genai copy the plugin uses (found through the
 * plugin's beta TTS, whose client is public), once per process.
 */
function install(g: GooglePlugin): void {
  if (installed) return;
  const live = new g.beta.TTS({ apiKey: 'unused', vertexai: false } as never).client.live as unknown as LiveLike;
  const proto = Object.getPrototypeOf(live) as { connect: Connect };
  const original = proto.connect;
  installed = original;
  proto.connect = function connect(this: LiveLike, params: { config?: object }): Promise<unknown> {
    const session = params.config ? CONFIGS.get(params.config) : undefined;
    if (!session) return original.call(this, params);
    return guarded(this, session, () => original.call(this, params));
  };
}

function guarded(live: LiveLike, session: PluginSession, connect: () => Promise<unknown>): Promise<unknown> {
  wrapFactory(live);
  const link = linkFor(session);
  const first = !link.settled;
  const timeoutMs = session.options.connOptions.timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt: Attempt = {
      session,
      conn: null,
      established: false,
      settled: false,
      clientClosing: false,
      restarting: false,
      lastError: undefined,
      fail(e) {
        if (attempt.settled) return;
        attempt.settled = true;
        clearTimeout(timer);
        attempt.conn?.ws?.terminate();
        // left pending: the plugin's connect loop must not report it again (nor throw it unhandled)
        if (first) return link.reject(e);
        if (session.numRetries < session.options.connOptions.maxRetry) return reject(e); // the plugin retries
        session.emit('error', { type: 'realtime_model_error', timestamp: Date.now(), label: LABEL, error: e, recoverable: false });
      },
    };
    const timer = setTimeout(() => attempt.fail(new APITimeoutError({ message: `Gemini Live: no connection within ${timeoutMs} ms`, options: { retryable: false } })), timeoutMs);
    timer.unref?.(); // the socket keeps the process alive while it connects; a closed session's attempt must not
    PENDING.set(live, attempt);
    connect().then(
      (s) => {
        if (attempt.settled) return;
        attempt.settled = true;
        attempt.established = true;
        clearTimeout(timer);
        CURRENT.set(session, attempt);
        if (first) link.resolve();
        else if (LOST.has(session)) {
          LOST.delete(session);
          session.emit('session_reconnected', {});
        }
        resolve(s);
      },
      (e: unknown) => attempt.fail(e instanceof APIError ? e : new APIConnectionError({ message: `Gemini Live: ${e instanceof Error ? e.message : String(e)}`, options: { retryable: false } })),
    );
  });
}

/** Routes the socket events of a Live instance's connections through the attempt that opened them. */
function wrapFactory(live: LiveLike): void {
  if (WRAPPED.has(live)) return;
  WRAPPED.add(live);
  const factory = live.webSocketFactory;
  live.webSocketFactory = {
    create(url, headers, cb) {
      const attempt = PENDING.get(live);
      if (!attempt) return factory.create(url, headers, cb);
      const { session } = attempt;
      const conn = factory.create(url, headers, {
        onopen: () => cb.onopen(),
        onmessage: (ev) => {
          linkFor(session).lastEventAt = Date.now();
          const bad = unreadable(ev.data);
          if (!bad) return cb.onmessage(ev);
          const error = new APIError(`Gemini Live: a server message could not be read and was skipped (${bad})`, { retryable: true });
          session.emit('error', { type: 'realtime_model_error', timestamp: Date.now(), label: LABEL, error, recoverable: true });
        },
        onerror: (ev) => {
          if (!attempt.established) return void (attempt.lastError = ev.message ?? ev.error?.message);
          cb.onerror(ev);
        },
        onclose: (ev) => {
          if (!attempt.established) return attempt.fail(closeError(ev, attempt.lastError));
          if (CURRENT.get(session) !== attempt) return;
          CURRENT.delete(session);
          // the plugin closed it itself: its close handler, without the error it reports for any code but 1000
          if (attempt.clientClosing) return cb.onclose({ ...ev, code: 1000 });
          if (!attempt.restarting && !TRANSIENT.has(ev.code)) return cb.onclose(ev); // 1007, 1008 …: the plugin's non-recoverable error
          cb.onclose({ ...ev, code: 1000 }); // ends the answer in progress
          if (!attempt.restarting) log.warn(`realtime: Gemini Live connection closed by the provider (code ${ev.code}${ev.reason ? `: ${ev.reason}` : ''}); reconnecting`);
          LOST.add(session);
          session.markRestartNeeded();
        },
      });
      const close = conn.close.bind(conn);
      conn.close = () => {
        attempt.clientClosing = true;
        close();
      };
      attempt.conn = conn;
      return conn;
    },
  };
}

/** Cuts a session's open connection as a network failure would; the guard reopens it. */
function restart(session: PluginSession): boolean {
  const attempt = CURRENT.get(session);
  if (!attempt?.conn?.ws) return false;
  attempt.restarting = true;
  attempt.conn.ws.terminate();
  return true;
}

/** A connection that closed before `setupComplete`: an HTTP status on the upgrade, a refusal, or Google's close code and reason. */
function closeError(ev: { code: number; reason: string }, lastError: string | undefined): Error {
  const http = /Unexpected server response: (\d+)/.exec(lastError ?? '');
  if (http) return new APIStatusError({ message: `Gemini Live: HTTP ${http[1]} on connect`, options: { statusCode: Number(http[1]), retryable: false } });
  if (ev.reason) return new APIStatusError({ message: `Gemini Live: ${ev.reason} (close code ${ev.code})`, options: { statusCode: ev.code, retryable: false } });
  return new APIConnectionError({ message: `Gemini Live: ${lastError ?? `connection closed with code ${ev.code}`}`, options: { retryable: false } });
}

/** Why a server message cannot be parsed, or null when it can (@google/genai parses it with a bare JSON.parse in a floating promise). */
function unreadable(data: unknown): string | null {
  let text: string;
  if (typeof data === 'string') text = data;
  else if (Buffer.isBuffer(data)) text = data.toString('utf8');
  else if (data instanceof ArrayBuffer) text = new TextDecoder().decode(data);
  else return null; // a Blob: read asynchronously by the SDK
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
