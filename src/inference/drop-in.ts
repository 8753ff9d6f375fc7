import { type APIConnectOptions, DEFAULT_API_CONNECT_OPTIONS } from '@livekit/agents';
import { ConfigError } from '../errors.js';
import { getGateway, type Gateway } from '../gateway.js';
import { endpointFor } from '../keys.js';
import { log } from '../log.js';
import type { Project } from '../projects.js';
import { pluginInstalled } from '../providers/plugins.js';
import type { BuildOptions, ModelRef } from '../providers/types.js';
import { buildChain, type FallbackOption } from '../routing/chain.js';
import { noteRetryAfter } from '../routing/retry-after.js';
import type { Modality } from '../types.js';
import { currentSession, peekSession, peekSessionId, type SessionState } from './context.js';
import { runRequest, type Attempt, type RequestSpec } from './request.js';
import { registerSecrets } from '../secrets.js';

/** What inner plugin streams run with: the chain retries, so the plugin must not (maxRetry 0). */
export const innerConn = (c?: APIConnectOptions): APIConnectOptions => ({ ...(c ?? DEFAULT_API_CONNECT_OPTIONS), maxRetry: 0 });

/** Options shared by `inference.STT`, `inference.LLM` and `inference.TTS`. */
export interface DropInOptions {
  /** `provider/model[:variant]`, e.g. `deepgram/nova-3:en`, `openai/gpt-4.1-mini`, `cartesia/sonic-3:<voice>` */
  model: string;
  /** project to bill (default: the active project when constructed) */
  project?: string;
  /** key for the primary provider (wins over voicegw.yaml and env) */
  apiKey?: string;
  /** endpoint for the primary provider */
  baseURL?: string;
  /** provider-specific plugin options, passed through to the LiveKit plugin */
  modelOptions?: Record<string, unknown>;
  /** fallback chain for this instance (default: `fallbacks.<modality>` of the project or the YAML) */
  fallback?: FallbackOption;
  /** gateway to use (default: the process-wide one from `getGateway()`) */
  gateway?: Gateway;
}

/** a Retry-After older than this belongs to an earlier failure */
const RETRY_AFTER_FRESH_MS = 2000;

/** STT/LLM/TTS plugins report failures as 'error' events; a realtime model's sessions do (the model itself emits nothing). */
type Emitter = object;

/**
 * What the three drop-ins share: the bound project, the chain, lazily built inner plugins (one per
 * chain entry), and error capture (LiveKit reports plugin failures only as 'error' events).
 */
export class DropInCore<Inner extends Emitter> {
  readonly gw: Gateway;
  /** the project billed; its settings (budget, fallbacks, block message …) are read live */
  readonly projectId: string;
  active: ModelRef;
  readonly #session: SessionState;
  readonly #primary: ModelRef;
  /** the chain built for the project's current settings (rebuilt when a runtime edit arrives) */
  #resolved: { project: Project; chain: ModelRef[] } | null = null;
  readonly #inners = new Map<string, Promise<Inner>>();
  /** inner plugins already built, for callers that must not wait a tick */
  readonly #built = new Map<string, Inner>();
  readonly #watchers = new Map<Inner, Set<{ error?: Error; onError?: (error: Error) => void }>>();

  constructor(
    readonly modality: Modality,
    readonly opts: DropInOptions,
    private readonly build: (ref: ModelRef, o: Omit<BuildOptions, 'model' | 'variant'>) => Promise<Inner>,
  ) {
    this.gw = opts.gateway ?? getGateway();
    this.projectId = this.gw.activeProjectId(opts.project);
    this.#primary = this.gw.registry.resolve(modality, opts.model, opts.modelOptions ?? {});
    this.active = this.#primary;
    this.#session = currentSession();
    registerSecrets([opts.apiKey]);
    // configuration errors now, not mid-call; a runtime project the opening gateway has not read
    // yet is resolved (and checked) when the first request has awaited `gw.ready`
    if (this.gw.isReady || this.gw.project(this.projectId)) this.#resolve(true);
  }

  get project(): Project {
    return this.#resolve(false).project;
  }

  /** Primary first; only the primary while a runtime project is still being read at start-up. */
  get chain(): ModelRef[] {
    if (!this.#resolved && !this.gw.isReady && !this.gw.project(this.projectId)) return [this.#primary];
    return this.#resolve(false).chain;
  }

  /** The project and chain for the project's current settings; `strict` throws what a later edit only logs. */
  #resolve(strict: boolean): { project: Project; chain: ModelRef[] } {
    const project = this.gw.project(this.projectId) ?? this.#resolved?.project ?? this.gw.requireProject(this.projectId);
    if (this.#resolved?.project === project) return this.#resolved;
    const primary = this.#primary;
    let chain = [primary];
    try {
      // a primary with no key is a configuration error: say so now, not mid-call
      this.#endpoint(primary, project, primary);
      const [, ...fallbacks] = buildChain(this.gw, this.modality, primary, project, this.opts.fallback);
      chain = [primary, ...fallbacks.filter((ref) => this.#buildable(ref, project))];
      this.#checkPriced(project, chain);
    } catch (e) {
      // an edit made at run time must not fail calls in flight: say it loudly, keep serving
      if (strict || !this.#resolved) throw e;
      log.once('error', `drop-in-config:${project.id}:${(e as Error).message}`, (e as Error).message);
    }
    this.#resolved = { project, chain };
    return this.#resolved;
  }

  /** A fallback entry without a key or plugin is left out of the chain, with one warning: the others still serve. */
  #buildable(ref: ModelRef, project: Project): boolean {
    let why: string | null = null;
    try {
      this.#endpoint(ref, project, null);
      if (!pluginInstalled(ref.spec.plugin)) why = `its plugin is not installed (npm install ${ref.spec.plugin})`;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      why = err.message;
    }
    if (why === null) return true;
    const what = `${this.modality.toUpperCase()} fallback ${ref.id} in project '${project.id}'`;
    log.once('warn', `unbuildable:${what}:${why}`, `${what} is skipped: ${why}`);
    return false;
  }

  /** A cloud model without a price, under a budget, is a ConfigError unless the project allows it. */
  #checkPriced(project: Project, chain: ModelRef[]): void {
    if (project.dailyBudgetUsd <= 0 || project.config.allow_unpriced) return;
    for (const ref of chain) {
      if (ref.spec.kind === 'local' || this.gw.prices.isPriced(this.modality, ref.id)) continue;
      const m = this.modality;
      throw new ConfigError(
        `No price known for ${m.toUpperCase()} model '${ref.id}', and project '${project.id}' has a daily budget of $${project.dailyBudgetUsd}: ` +
          `its requests could not be counted against it. Add a price under prices.${m}."${ref.id}" in voicegw.yaml ` +
          `(${m === 'llm' ? 'input_per_1m, output_per_1m' : m === 'stt' ? 'per_minute' : 'per_1m_characters'}), ` +
          `or set allow_unpriced: true on the project to serve it counted as unpriced.`,
        `projects.${project.id}.allow_unpriced`,
      );
    }
  }

  get sessionId(): string {
    return peekSessionId() ?? this.#session.id;
  }

  /** the session this drop-in serves now (the one it was built in when its context has none) */
  get session(): SessionState {
    return peekSession() ?? this.#session;
  }

  #endpoint(ref: ModelRef, project = this.project, primary: ModelRef | null = this.chain[0]!) {
    const explicit = ref === primary ? { apiKey: this.opts.apiKey, baseURL: this.opts.baseURL } : {};
    return endpointFor(this.gw.loaded, ref.spec, project, explicit, this.gw.options.env ?? process.env);
  }

  /** The LiveKit plugin instance for a chain entry, built on first use. */
  inner(ref: ModelRef): Promise<Inner> {
    let p = this.#inners.get(ref.id);
    if (!p) {
      const ep = this.#endpoint(ref);
      // a Retry-After the provider's client saw is tied to the error the plugin reports next
      let asked: { ms: number; at: number } | null = null;
      const onRetryAfter = (ms: number) => void (asked = { ms, at: Date.now() });
      p = this.build(ref, { apiKey: ep.apiKey, baseURL: ep.baseURL, options: { ...ep.extras, ...ref.options }, onRetryAfter }).then((inner) => {
        this.#built.set(ref.id, inner);
        this.#watchers.set(inner, new Set());
        (inner as { on?(ev: 'error', fn: (e: { error: Error }) => void): unknown }).on?.('error', (e) => {
          if (asked && Date.now() - asked.at < RETRY_AFTER_FRESH_MS) noteRetryAfter(e.error, asked.ms);
          asked = null;
          for (const w of this.#watchers.get(inner) ?? []) {
            if (w.error) continue;
            w.error = e.error;
            w.onError?.(e.error);
          }
        });
        return inner;
      });
      p.catch(() => this.#inners.delete(ref.id));
      this.#inners.set(ref.id, p);
    }
    return p;
  }

  /** The inner plugin for a chain entry if it is built already (no await). */
  builtInner(ref: ModelRef): Inner | undefined {
    return this.#built.get(ref.id);
  }

  /** Collects the 'error' events an inner plugin emits while one attempt runs (`onError`: at the first one). */
  watch(inner: Inner, onError?: (error: Error) => void): { readonly error: Error | undefined; stop(): void } {
    const w: { error?: Error; onError?: (error: Error) => void } = { onError };
    const set = this.#watchers.get(inner)!;
    set.add(w);
    return {
      get error() {
        return w.error;
      },
      stop: () => set.delete(w),
    };
  }

  run(signal: AbortSignal, spec: Partial<RequestSpec> & Pick<RequestSpec, 'reserve'>, attempt: Attempt): Promise<void> {
    const start = () =>
      runRequest(
        {
          gw: this.gw,
          modality: this.modality,
          project: this.project,
          sessionId: this.sessionId,
          chain: this.chain,
          signal,
          onActive: (ref) => void (this.active = ref),
          ...spec,
        },
        attempt,
      );
    // constructed while the gateway was opening: the project may be a runtime one it has not read yet
    return this.gw.track(this.gw.isReady ? start() : this.gw.ready.then(start));
  }

  async closeInners(): Promise<void> {
    const inners = await Promise.allSettled(this.#inners.values());
    await Promise.allSettled(
      inners.map((r) => (r.status === 'fulfilled' ? (r.value as unknown as { close?(): Promise<void>; aclose?(): Promise<void> }) : null)).map((i) => i?.close?.() ?? i?.aclose?.()),
    );
  }
}

/**
 * LiveKit's stream base classes call `run()` from a `setTimeout(0)` (at least 1 ms later), and the
 * inner plugin stream a drop-in opens inside `run()` waits for its own `setTimeout(0)` before it
 * sends anything: two timers in a row, about 1 ms added to every first token, transcript and audio
 * frame. Drop-in streams start their pipeline when they are constructed instead, so the inner
 * stream's timer is armed in the same tick as the base class's and both fire together.
 * `run()` then awaits what was started (a retry by the base class starts afresh).
 */
export class EarlyStart {
  #pending: Promise<void> | null;

  constructor(private readonly pipeline: () => Promise<void>) {
    this.#pending = pipeline();
    this.#pending.catch(() => {}); // rethrown to the base class when it awaits run()
  }

  /** what `run()` returns: the pipeline started at construction, or a new one on a retry */
  run(): Promise<void> {
    const p = this.#pending ?? this.pipeline();
    this.#pending = null;
    return p;
  }
}

/**
 * A provider stream opened before admission for the head of the chain. LiveKit streams start a
 * timer (≥ 1 ms) when constructed; opening the inner stream as early as possible arms it when a raw
 * plugin's would be armed. The attempt for the head adopts it (once); a block, a cooling-down head
 * or a fallback closes it unused, before its timer has fired, so nothing reaches the provider.
 */
export class HeadStart<S extends { close(): unknown }> {
  #opened: { ref: ModelRef; stream: S } | null;

  private constructor(opened: { ref: ModelRef; stream: S } | null) {
    this.#opened = opened;
  }

  /** Opens the head's stream now if its plugin is built (the first request of an instance waits). */
  static open<Inner extends Emitter, S extends { close(): unknown }>(core: DropInCore<Inner>, open: (inner: Inner) => S): HeadStart<S> {
    const head = core.chain[0]!;
    const inner = core.builtInner(head);
    return new HeadStart(inner ? { ref: head, stream: open(inner) } : null);
  }

  /** The stream if it was opened for `ref`; any other is closed. */
  take(ref: ModelRef): S | undefined {
    const opened = this.#opened;
    this.#opened = null;
    if (opened?.ref === ref) return opened.stream;
    opened?.stream.close();
    return undefined;
  }

  /** Closes the stream if no attempt adopted it. */
  close(): void {
    this.#opened?.stream.close();
    this.#opened = null;
  }
}

