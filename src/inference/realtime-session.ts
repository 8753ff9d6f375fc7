import { APITimeoutError, llm, type metrics } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { BudgetExceededError, FallbackExhaustedError } from '../errors.js';
import { DEFAULT_BLOCK_MESSAGE } from '../guardrails/index.js';
import { log } from '../log.js';
import { nanosToUsd } from '../money.js';
import { redact } from '../secrets.js';
import { realtimeLink } from '../providers/realtime-link.js';
import type { ModelRef } from '../providers/types.js';
import { throttledOrder } from '../routing/chain.js';
import { auditFindings, sessionGuardrails } from './guard-audit.js';
import type { RealtimeModel } from './realtime.js';
import { guardInput, OutputGuard } from './realtime-guard.js';
import { RealtimeMeter } from './realtime-meter.js';
import { lastFindings, mapMessages, sleep, until, watchText } from './realtime-streams.js';
import { realtimeProfileOf } from '../providers/realtime-profiles.js';

/** Events of the plugin session passed through unchanged (the others are handled below). */
const PASSED = ['input_speech_started', 'input_speech_stopped'] as const;
/** audio the caller may speak while the first connection opens (100 ms frames: 10 s) */
const MAX_EARLY_FRAMES = 1000;
/** how long a block message may take to arrive before the session ends anyway */
const SAY_TIMEOUT_MS = 30_000;
/** how long an input block waits for the answer it stops to begin, then to end */
const ANSWER_WAIT_MS = 3000;
/** played audio reaches the caller's ears a little after the last frame is handed over */
const PLAYOUT_MARGIN_MS = 250;

/**
 * The session AgentSession talks to. It opens the plugin's session for the first chain entry that
 * connects (budget admission first), passes events and calls through, and meters each response.
 * Calls that need the provider wait for that connection; audio spoken meanwhile is held and sent.
 */
export class GatewayRealtimeSession extends llm.RealtimeSession {
  readonly #owner: RealtimeModel;
  readonly #meter: RealtimeMeter;
  readonly #ready: Promise<llm.RealtimeSession>;
  #inner: llm.RealtimeSession | null = null;
  #early: AudioFrame[] | null = [];
  #closed = false;
  /** when the provider last sent an event, and the timer that notices a response it stopped sending */
  #lastEventAt = Date.now();
  #watchdog: ReturnType<typeof setInterval> | null = null;
  /** the latest answer of the model and how to stop it */
  #current: { id: string; stop: (why: string) => void } | null = null;
  /** an input block found before the answer to that turn began: that answer is stopped as it begins */
  #refuseNext: (() => void) | null = null;
  #stopping = false;
  /** caller turns whose transcript was already blocked (a partial one, then the final) */
  readonly #blockedTurns = new Set<string>();
  /** our own message being said (block messages): what of it was played, and when its audio ended */
  #saying: { firstAt: number | null; ms: number; ended: () => void } | null = null;
  /** user-initiated responses, wrapped at generation_created, until generateReply() hands them out */
  readonly #wrapped = new Map<string, llm.GenerationCreatedEvent>();
  #ref: ModelRef;
  #chatCtx = llm.ChatContext.empty();
  #tools = llm.ToolContext.empty();

  constructor(owner: RealtimeModel) {
    super(owner);
    this.#owner = owner;
    this.#ref = owner.core.chain[0]!;
    this.#meter = new RealtimeMeter(owner.core, () => this.#ref);
    this.#ready = this.#open();
    this.#ready.catch(() => {});
  }

  get chatCtx(): llm.ChatContext {
    return this.#inner?.chatCtx ?? this.#chatCtx.copy();
  }

  get tools(): llm.ToolContext {
    return this.#inner?.tools ?? this.#tools.copy();
  }

  async updateInstructions(instructions: string): Promise<void> {
    await (await this.#ready).updateInstructions(instructions);
  }

  async updateChatCtx(chatCtx: llm.ChatContext): Promise<void> {
    this.#chatCtx = chatCtx;
    await (await this.#ready).updateChatCtx(chatCtx);
  }

  async updateTools(tools: llm.ToolContext): Promise<void> {
    this.#tools = tools;
    await (await this.#ready).updateTools(tools);
  }

  updateOptions(options: { toolChoice?: llm.ToolChoice | null }): void {
    void this.#ready.then((s) => s.updateOptions(options), () => {});
  }

  pushAudio(frame: AudioFrame): void {
    this.#meter.heard(frame.samplesPerChannel / frame.sampleRate);
    if (this.#inner) return this.#inner.pushAudio(frame);
    if (this.#early && this.#early.length < MAX_EARLY_FRAMES) this.#early.push(frame);
  }

  async generateReply(instructions?: string, options?: { signal?: AbortSignal }): Promise<llm.GenerationCreatedEvent> {
    const ev = await (await this.#ready).generateReply(instructions, options);
    // the same response as its generation_created: hand out the wrapped streams (the plugin's are read by the wrapper)
    const wrapped = this.#wrapped.get(ev.responseId ?? '');
    this.#wrapped.delete(ev.responseId ?? '');
    return wrapped ?? ev;
  }

  async commitAudio(): Promise<void> {
    await (await this.#ready).commitAudio();
  }

  async clearAudio(): Promise<void> {
    if (this.#inner) await this.#inner.clearAudio();
    else this.#early = [];
  }

  async interrupt(): Promise<void> {
    await this.#inner?.interrupt();
  }

  async truncate(options: { messageId: string; audioEndMs: number; modalities?: ('text' | 'audio')[]; audioTranscript?: string }): Promise<void> {
    await this.#inner?.truncate(options);
  }

  startUserActivity(): void {
    this.#inner?.startUserActivity();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#watchdog) clearInterval(this.#watchdog);
    await super.close();
    await this.#inner?.close();
    await this.#meter.abandon('session closed mid-response').catch(() => {});
  }

  /** Admission, then the chain until one entry connects (throttle: cheaper entries first). */
  async #open(): Promise<llm.RealtimeSession> {
    const core = this.#owner.core;
    await core.gw.ready;
    const admission = await core.gw.budget.admit(core.project.id, this.#meter.estimate());
    admission.reservation.settle(0); // the session's responses reserve their own cost
    if (admission.kind === 'block') {
      await this.#meter.blocked('daily budget exceeded: realtime session refused');
      throw this.#fail(new BudgetExceededError(core.project.id, nanosToUsd(admission.spentNanos), nanosToUsd(admission.budgetNanos)));
    }
    let order = core.chain;
    let throttle: string | null = null;
    if (admission.kind === 'throttle') {
      const cheaper = throttledOrder(core.chain, (r) => core.gw.prices.price('realtime', r.provider, r.model, { inputUnits: 0, outputUnits: 0, cachedUnits: 0, audioInputUnits: 1000, audioOutputUnits: 1000 }).costNanos);
      if (cheaper) order = cheaper;
      throttle = cheaper ? 'cheaper' : null;
      this.#meter.throttle = throttle;
      log.warn(`realtime: project '${core.project.id}' is over its daily budget (throttle): ${cheaper ? `new session on ${cheaper[0]!.id}` : 'no cheaper realtime model in the chain; the session runs on ' + core.chain[0]!.id}`);
    }
    const failures: { model: string; error: string }[] = [];
    const usable = order.filter((r) => core.gw.health.available(r.id));
    for (const ref of usable.length > 0 ? usable : order) {
      if (this.#closed) throw new Error('realtime session closed');
      try {
        const inner = (await core.inner(ref)).session();
        this.#attach(inner);
        const connected = realtimeLink(inner)?.connected;
        try {
          await connected;
        } catch (e) {
          this.#detach(inner);
          void inner.close().catch(() => {});
          throw e;
        }
        core.gw.health.ok(ref.id);
        this.#ref = ref;
        core.active = ref;
        this.#inner = inner;
        for (const frame of this.#early ?? []) inner.pushAudio(frame);
        this.#early = null;
        this.#watch(inner);
        if (throttle) log.once('warn', `realtime-throttle:${core.project.id}:${ref.id}`, `realtime: throttled session for '${core.project.id}' runs on ${ref.id}`);
        return inner;
      } catch (e) {
        const error = redact(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
        core.gw.health.fail(ref.id);
        await this.#meter.failed(ref, error, failures.length > 0 ? order[0]!.id : null);
        failures.push({ model: ref.id, error });
        log.warn(`realtime: ${ref.id} failed to connect (${error})${failures.length < order.length ? '; trying the next realtime model' : ''}`);
      }
    }
    throw this.#fail(new FallbackExhaustedError('realtime', failures));
  }

  /** A session that cannot run ends the AgentSession (a non-recoverable realtime_model_error), loudly. */
  #fail(error: Error): Error {
    this.emit('error', { type: 'realtime_model_error', timestamp: Date.now(), label: this.#owner.label(), error, recoverable: false } satisfies llm.RealtimeModelError);
    return error;
  }

  #listeners = new Map<string, (ev: any) => void>(); // eslint-disable-line @typescript-eslint/no-explicit-any

  #attach(inner: llm.RealtimeSession): void {
    const on = (name: string, fn: (ev: any) => void) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      this.#listeners.set(name, fn);
      inner.on(name, fn);
    };
    for (const name of PASSED) on(name, ((ev: unknown) => this.emit(name, ev)) );
    on('error', ((ev: llm.RealtimeModelError) => {
      this.emit('error', { ...ev, label: ev.label || this.#owner.label() });
      void this.#meter.providerError(`provider error event: ${ev.error.message}`).catch(() => {});
    }) );
    on('metrics_collected', ((m: metrics.RealtimeModelMetrics) => {
      this.emit('metrics_collected', m);
      void this.#meter.done(m).catch((e: Error) => log.warn(`realtime: could not record a response: ${e.message}`));
    }) );
    on('session_reconnected', (ev: unknown) => {
      this.emit('session_reconnected', ev);
      void this.#meter.abandon('connection lost mid-response').catch(() => {});
    });
    on('generation_created', ((ev: llm.GenerationCreatedEvent) => this.#generation(ev)) );
    on('input_audio_transcription_completed', ((ev: llm.InputTranscriptionCompleted) => this.#transcribed(ev)) );
    on('openai_server_event_received', ((ev: { type: string; usage?: { type?: string } }) => {
      this.#lastEventAt = Date.now();
      this.emit('openai_server_event_received', ev);
      if (ev.type === 'conversation.item.input_audio_transcription.completed' && ev.usage) void this.#meter.transcription(ev.usage).catch(() => {});
    }) );
    on('openai_client_event_queued', ((ev: { type: string; session?: { audio?: { input?: { transcription?: { model?: string } | null } } } }) => {
      this.emit('openai_client_event_queued', ev);
      const t = ev.type === 'session.update' ? ev.session?.audio?.input?.transcription : undefined;
      if (t !== undefined) this.#meter.transcriptionModel = t?.model ?? null;
    }) );
  }

  /**
   * A response whose provider went silent (no event for `stallTimeoutMs`) would hold the call
   * forever: it is reported (a recoverable error, an `error` row) and the connection is restarted,
   * which ends the answer; the plugin reconnects with the conversation and the call goes on.
   */
  #watch(inner: llm.RealtimeSession): void {
    const limit = this.#owner.stallTimeoutMs;
    this.#watchdog = setInterval(() => {
      const link = realtimeLink(inner);
      const last = Math.max(this.#lastEventAt, link?.lastEventAt ?? 0);
      if (this.#meter.running === 0 || Date.now() - last < limit) return;
      this.#lastEventAt = Date.now();
      const error = new APITimeoutError({ message: `${realtimeProfileOf(this.#ref.spec).apiName}: no event from ${this.#ref.id} for ${limit} ms during a response; reconnecting`, options: { retryable: true } });
      log.warn(`realtime: ${error.message}`);
      this.emit('error', { type: 'realtime_model_error', timestamp: Date.now(), label: this.#owner.label(), error, recoverable: true } satisfies llm.RealtimeModelError);
      void this.#meter.abandon(`provider stalled mid-response (no event for ${limit} ms)`).catch(() => {});
      link?.restart();
    }, Math.max(100, Math.min(1000, limit / 4)));
    this.#watchdog.unref?.();
  }

  #detach(inner: llm.RealtimeSession): void {
    for (const [name, fn] of this.#listeners) inner.off(name, fn);
    this.#listeners.clear();
  }

  /** A response began: admit it against the budget, watch its transcript, then hand it on. */
  #generation(ev: llm.GenerationCreatedEvent): void {
    const core = this.#owner.core;
    const id = ev.responseId ?? '';
    const meter = this.#meter.begin(id, !this.#saying); // our own block message is not admitted
    const saying = this.#saying;
    if (saying) {
      // our own block message: played like a server turn, metered, not admitted or guarded
      this.#saying = null;
      const first = () => (meter.markOutput(), (saying.firstAt ??= Date.now()));
      const spoken = mapMessages(ev.messageStream, (m) => ({ ...m, audioStream: until(m.audioStream, new Promise(() => {}), first, (ms) => (saying.ms += ms), saying.ended) }));
      this.emit('generation_created', { ...ev, userInitiated: false, messageStream: spoken });
      return;
    }
    const guardrails = sessionGuardrails(core); // the policy this call started with (edits apply to new sessions); none when bypassed
    const guard = guardrails ? new OutputGuard(guardrails) : null;
    let stop: ((why: string) => void) | null = null;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    // the answer's audio is counted against its reservation as it is spoken; a refused step (block) stops it
    const spoken = (ms: number) => {
      if (this.#meter.spoke(id, ms / 1000)) return;
      stop?.('budget');
      void this.#budgetBlock();
    };
    const messageStream = mapMessages(ev.messageStream, (msg) => ({
      ...msg,
      audioStream: until(msg.audioStream, stopped, () => meter.markOutput(), spoken),
      textStream: watchText(msg.textStream, stopped, guard, (f) => stop?.(f)),
    }));
    const wrapped = { ...ev, messageStream };
    if (ev.userInitiated) this.#wrapped.set(id, wrapped);
    this.#current = { id, stop: (why) => stop?.(why) };
    this.emit('generation_created', wrapped);
    if (this.#refuseNext) {
      const refused = this.#refuseNext;
      this.#refuseNext = null;
      stop!('input');
      refused();
    }
    void core.gw.budget.admit(core.project.id, this.#meter.estimate()).then(async (admission) => {
      this.#meter.hold(id, admission.reservation);
      if (admission.kind === 'warn') log.once('warn', `realtime-budget-warn:${core.project.id}`, `realtime: project '${core.project.id}' is over its daily budget (warn); the response goes on`);
      if (admission.kind === 'throttle') log.once('warn', `realtime-budget-throttle:${core.project.id}:${this.#ref.id}`, `realtime: project '${core.project.id}' is over its daily budget (throttle); a running session keeps ${this.#ref.id}, new sessions start on a cheaper realtime model if the chain has one`);
      if (admission.kind === 'block') {
        stop?.('budget');
        await this.#budgetBlock();
      }
    });
    void stopped.then(async (why) => {
      this.#meter.stopped(id);
      if (why === 'budget' || !guardrails) return;
      await this.#inner?.interrupt();
    });
    if (guard) {
      void stopped.then(async (why) => {
        if (why !== 'guardrails') return;
        const findings = lastFindings.get(guard) ?? [];
        meter.guardrailFindings += findings.length;
        await auditFindings(core, findings, 'out');
      });
    }
  }

  /** Says `text` through the model (one metered response), and resolves when it has been played. */
  async #say(inner: llm.RealtimeSession, text: string): Promise<void> {
    let ended!: () => void;
    const audioEnded = new Promise<void>((resolve) => (ended = resolve));
    const saying = (this.#saying = { firstAt: null, ms: 0, ended });
    const created = await inner.generateReply(`Say exactly this sentence and nothing else: "${text}"`).catch(() => null);
    if (!created) return void (this.#saying = null);
    await Promise.race([audioEnded, sleep(SAY_TIMEOUT_MS)]);
    // the output plays in real time from its first frame: wait until what it received has been heard
    await sleep((saying.firstAt ?? Date.now()) + saying.ms + PLAYOUT_MARGIN_MS - Date.now());
  }


  /** block: cancel what is in flight, say budget_block_message (if set), then end the session. */
  async #budgetBlock(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    const core = this.#owner.core;
    const inner = this.#inner;
    await inner?.interrupt();
    const message = core.project.config.budget_block_message;
    await this.#meter.blocked(`daily budget exceeded${message ? ': answered with budget_block_message' : ''}`);
    if (message && inner) {
      await this.#meter.idle(ANSWER_WAIT_MS); // the provider takes one response at a time
      await this.#say(inner, message);
    }
    const spent = await core.gw.budget.status(core.project.id);
    this.#fail(new BudgetExceededError(core.project.id, spent.spentUsd, spent.budgetUsd));
  }

  /**
   * The caller's turn as the model transcribed it: block cancels the answer and says the block
   * message. Partial transcripts (the text so far) are scanned for a block too, once per turn:
   * Gemini Live sends its final transcript only after the answer has ended.
   */
  #transcribed(ev: llm.InputTranscriptionCompleted): void {
    this.emit('input_audio_transcription_completed', ev);
    const core = this.#owner.core;
    if (this.#blockedTurns.has(ev.itemId)) return;
    const setup = sessionGuardrails(core);
    if (!setup) return;
    const verdict = guardInput(setup, ev.transcript);
    if (verdict.action === 'none' || (!ev.isFinal && verdict.action !== 'block')) return;
    if (verdict.action === 'block') this.#blockedTurns.add(ev.itemId);
    void auditFindings(core, verdict.findings, 'in');
    if (verdict.action !== 'block' || !this.#inner) return;
    const inner = this.#inner;
    // the answer to this turn: stopped now if it began, else as it begins (the transcript can come first)
    const current = this.#current;
    let begun: Promise<void> = Promise.resolve();
    if (current && this.#meter.isOpen(current.id)) current.stop('input');
    else begun = new Promise<void>((resolve) => (this.#refuseNext = resolve));
    void (async () => {
      await this.#meter.blocked(`guardrails: ${[...new Set(verdict.findings.map((f) => f.category))].join(', ')}`, verdict.findings.length);
      await Promise.race([begun, sleep(ANSWER_WAIT_MS)]);
      this.#refuseNext = null;
      await this.#meter.idle(ANSWER_WAIT_MS); // the provider takes one response at a time
      await this.#say(inner, setup.policy.blockMessage ?? DEFAULT_BLOCK_MESSAGE);
    })();
  }
}

