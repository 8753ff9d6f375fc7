import { DEFAULT_API_CONNECT_OPTIONS, llm } from '@livekit/agents';
import { GuardrailBlockedError } from '../errors.js';
import { DEFAULT_BLOCK_MESSAGE, guardChatContext, ScanMemo, StreamingRedactor } from '../guardrails/index.js';
import { STREAM_CHUNKS } from '../budget/grant.js';
import type { ModelRef } from '../providers/types.js';
import { DropInCore, type DropInOptions, EarlyStart, HeadStart, innerConn } from './drop-in.js';
import type { GuardrailSetup } from '../gateway.js';
import type { GuardrailPolicy } from '../guardrails/index.js';
import { auditFindings, recordBlocked, sessionGuardrails } from './guard-audit.js';
import { type AttemptControl, unitNanos } from './request.js';

export type LLMOptions = DropInOptions;

type ChatArgs = Parameters<llm.LLM['chat']>[0];

/**
 * A LiveKit `llm.LLM` that routes `provider/model` to the real plugin, with guardrails on the chat
 * context and the streamed answer, budgets, fallback and a ledger row per attempt.
 */
export class LLM extends llm.LLM {
  readonly core: DropInCore<llm.LLM>;
  /** guardrail scans of this conversation's messages, kept across turns */
  scanMemo: ScanMemo | null = null;

  constructor(model: string | LLMOptions, opts: Omit<LLMOptions, 'model'> = {}) {
    super();
    const o = typeof model === 'string' ? { ...opts, model } : model;
    this.core = new DropInCore<llm.LLM>('llm', o, (ref, ep) => buildLLM(ref, ep));
  }

  static fromModelString(model: string): LLM {
    return new LLM(model);
  }

  label(): string {
    return 'voicegateway.LLM';
  }

  get model(): string {
    return this.core.active.model;
  }

  get provider(): string {
    return this.core.active.provider;
  }

  chat(args: ChatArgs): llm.LLMStream {
    return new GatewayLLMStream(this, args);
  }

  async aclose(): Promise<void> {
    await this.core.closeInners();
  }
}

function buildLLM(ref: ModelRef, ep: { apiKey?: string; baseURL?: string; options: Record<string, unknown> }): Promise<llm.LLM> {
  return ref.spec.llm!({ model: ref.model, variant: ref.variant, ...ep });
}

class GatewayLLMStream extends llm.LLMStream {
  readonly #owner: LLM;
  readonly #args: ChatArgs;
  readonly #start: EarlyStart;

  constructor(owner: LLM, args: ChatArgs) {
    super(owner, { chatCtx: args.chatCtx, toolCtx: args.toolCtx, connOptions: args.connOptions ?? DEFAULT_API_CONNECT_OPTIONS });
    this.#owner = owner;
    this.#args = args;
    this.#start = new EarlyStart(() => this.#run());
  }

  protected run(): Promise<void> {
    return this.#start.run();
  }

  async #run(): Promise<void> {
    const core = this.#owner.core;
    if (!core.gw.isReady) await core.gw.ready; // a runtime project is known once the gateway has opened
    const guardrails = sessionGuardrails(core);
    let chatCtx = this.chatCtx;
    let findings = 0;
    if (guardrails) {
      const owner = this.#owner;
      if (owner.scanMemo?.policy !== guardrails.compiled) owner.scanMemo = new ScanMemo(guardrails.compiled);
      const guard = guardChatContext(chatCtx, guardrails.compiled, owner.scanMemo);
      // the whole history is scanned every turn; only findings new since the last answer are recorded
      const fresh = guard.findings.filter((f) => f.fresh);
      findings = fresh.length;
      if (findings > 0) await auditFindings(core, fresh, 'in');
      if (guard.action === 'block') return this.#blocked(guardrails.policy, guard.findings, findings);
      chatCtx = guard.chatCtx;
      if (guard.instructions) {
        chatCtx = chatCtx === this.chatCtx ? chatCtx.copy() : chatCtx;
        chatCtx.addMessage({ role: 'system', content: guard.instructions });
      }
    }
    const prompt = promptChars(chatCtx);
    const open = (inner: llm.LLM) => inner.chat({ ...this.#args, chatCtx, connOptions: innerConn(this.#args.connOptions) });
    const head = HeadStart.open(core, open);
    const blockMessage = core.project.config.budget_block_message;
    const onBudgetBlocked = blockMessage ? async () => (this.#say(blockMessage), true) : undefined;
    const maxTokens = (ref: ModelRef) => completionCap(this.#args, core, ref);
    try {
      await core.run(this.abortController.signal, { connOptions: this.#args.connOptions, guardrailFindings: findings, reserve: (ref) => answerBound(core, ref, prompt, maxTokens(ref)), onBudgetBlocked }, (ref, ctl) =>
        this.#attempt(ref, ctl, (inner) => head.take(ref) ?? open(inner), guardrails, prompt),
      );
    } finally {
      head.close(); // blocked, or the head never ran
    }
  }

  async #attempt(ref: ModelRef, ctl: AttemptControl, streamFor: (inner: llm.LLM) => llm.LLMStream, guardrails: GuardrailSetup | null, prompt: number): Promise<void> {
    const core = this.#owner.core;
    // an answer longer than its reservation grows it as it streams (and finishes, whatever the budget says)
    const perToken = unitNanos(core.gw, 'llm', ref);
    ctl.usage.use(answerBound(core, ref, prompt, 0), 0);
    const inner = await core.inner(ref);
    const watch = core.watch(inner);
    const stream = streamFor(inner);
    const unsubscribe = ctl.onAbort(() => stream.close());
    const redactor = guardrails?.redactsOutput ? new StreamingRedactor(guardrails.compiled) : null;
    let lastId = '';
    try {
      for await (const chunk of stream) {
        if (ctl.signal.aborted) break;
        lastId = chunk.id;
        if (chunk.usage) {
          ctl.meter.inputUnits = chunk.usage.promptTokens;
          ctl.meter.outputUnits = chunk.usage.completionTokens;
          ctl.meter.cachedUnits = Math.min(Math.max(0, chunk.usage.promptCachedTokens ?? 0), chunk.usage.promptTokens);
        }
        if (chunk.delta?.content || chunk.delta?.toolCalls?.length) ctl.outputStarted();
        if (chunk.delta?.content && perToken > 0) ctl.usage.use(Math.ceil(chunk.delta.content.length / 4) * perToken, STREAM_CHUNKS.llm * perToken);
        if (redactor && chunk.delta?.content) {
          const safe = redactor.push(chunk.delta.content);
          this.queue.put({ ...chunk, delta: { ...chunk.delta, content: safe } });
        } else this.queue.put(chunk);
      }
      if (watch.error) throw watch.error;
      if (ctl.signal.aborted && ctl.signal.reason instanceof Error && ctl.signal.reason.name === 'APITimeoutError') throw ctl.signal.reason;
    } finally {
      unsubscribe();
      watch.stop();
      if (redactor) {
        const rest = redactor.end();
        if (rest && !ctl.signal.aborted) this.queue.put({ id: lastId, delta: { role: 'assistant', content: rest } });
        ctl.meter.guardrailFindings += redactor.findings.length;
        if (redactor.findings.length > 0) await auditFindings(core, redactor.findings, 'out');
      }
    }
  }

  #say(text: string): void {
    this.queue.put({ id: 'voicegateway-block', delta: { role: 'assistant', content: text } });
  }

  /** A blocked turn never reaches a provider: the agent says the block message (or it raises). */
  async #blocked(policy: GuardrailPolicy, findings: { category: string }[], count: number): Promise<void> {
    const core = this.#owner.core;
    await recordBlocked(core, count, `guardrails: ${[...new Set(findings.map((f) => f.category))].join(', ')}`);
    if (policy.raiseOnBlock) throw new GuardrailBlockedError(core.project.id, [...new Set(findings.map((f) => f.category))]);
    this.#say(policy.blockMessage ?? DEFAULT_BLOCK_MESSAGE);
  }
}

function promptChars(ctx: llm.ChatContext): number {
  let n = 0;
  for (const item of ctx.items) if (item.type === 'message') n += item.textContent?.length ?? 0;
  return n;
}

/** Completion tokens reserved when neither the request nor the project sets a cap: a long spoken answer. */
export const DEFAULT_COMPLETION_TOKENS = 512;

/** The answer's cap: the request's own max (chat `extraKwargs`, drop-in `modelOptions`, fallback entry options), else the project's. */
function completionCap(args: ChatArgs, core: DropInCore<llm.LLM>, ref: ModelRef): number {
  const candidates = [args.extraKwargs?.max_completion_tokens, args.extraKwargs?.max_tokens, ref.options.maxCompletionTokens, ref.options.maxTokens];
  if (ref === core.chain[0]) candidates.push(core.opts.modelOptions?.maxCompletionTokens, core.opts.modelOptions?.maxTokens);
  const own = candidates.find((v): v is number => typeof v === 'number' && v > 0);
  return own ?? core.project.config.budget_completion_tokens ?? DEFAULT_COMPLETION_TOKENS;
}

/**
 * What an answer can cost on `ref`: the prompt (counted high, ~3 characters a token) plus
 * `completionTokens`. 0 for local models and for unpriced ones (allowed only with `allow_unpriced`).
 */
function answerBound(core: DropInCore<llm.LLM>, ref: ModelRef, promptChars: number, completionTokens: number): number {
  if (ref.spec.kind === 'local') return 0;
  return core.gw.prices.price('llm', ref.provider, ref.model, { inputUnits: Math.ceil(promptChars / 3), outputUnits: completionTokens, cachedUnits: 0 }).costNanos ?? 0;
}
