/**
 * What the realtime drop-in needs from a plugin session's connection that the plugins do not
 * report themselves: whether the first connection opened, when the provider last sent anything,
 * and a way to cut the connection as a network failure would. Each provider's connect guard
 * (openai-realtime-connect.ts, google-realtime-connect.ts) registers one per plugin session.
 */
export interface RealtimeLink {
  /** resolved when the first connection opened, rejected (APIConnectionError / APIStatusError / APITimeoutError) when it failed */
  readonly connected: Promise<void>;
  /** when the provider last sent a message on this session (ms since epoch) */
  lastEventAt: number;
  /** Cuts the current connection: the plugin reconnects (the answer in progress ends). False when there is none. */
  restart(): boolean;
}

const LINKS = new WeakMap<object, RealtimeLink & { resolve(): void; reject(e: Error): void; settled: boolean }>();

/**
 * The link of a plugin session, created on first use (a connect guard can run from the plugin's
 * base constructor, before the session object is fully built).
 */
export function linkFor(session: object, restart: () => boolean = () => false) {
  let link = LINKS.get(session);
  if (!link) {
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const connected = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    connected.catch(() => {});
    link = {
      connected,
      lastEventAt: Date.now(),
      restart,
      settled: false,
      resolve: () => ((link!.settled = true), resolve()),
      reject: (e) => ((link!.settled = true), reject(e)),
    };
    LINKS.set(session, link);
  }
  return link;
}

/** The link of a session built by one of the guarded models (undefined for other sessions, e.g. Azure). */
export function realtimeLink(session: object): RealtimeLink | undefined {
  return LINKS.get(session);
}
