import { APIConnectionError, APIError, APIStatusError, APITimeoutError } from '@livekit/agents';
import { BudgetExceededError, FallbackExhaustedError } from '../errors.js';
import type { RetriesConfig } from '../config/schema.js';
import type { Gateway } from '../gateway.js';
import { log } from '../log.js';
import { type AttemptOutcome, recordAttempt, Meter } from '../metering/meter.js';
import { UsageGrant } from '../budget/grant.js';
import { type Nanos, nanosToUsd } from '../money.js';
import type { Project } from '../projects.js';
import type { ModelRef } from '../providers/types.js';
import { throttledOrder } from '../routing/chain.js';
import { retryAfterMs } from '../routing/retry-after.js';
import type { Modality } from '../types.js';
import { redact, redactError } from '../secrets.js';

/** What one attempt gets: its meter, an abort signal (timeout, outer close) and a way to say output began. */
export interface AttemptControl {
  readonly meter: Meter;
  readonly signal: AbortSignal;
  /** call on the first transcript / token / audio frame: from then on a failure is surfaced, not retried */
  outputStarted(): void;
  readonly started: boolean;
  /** starts the first-output deadline (streams whose output waits on their input arm it at flush/end) */
  armDeadline(): void;
  /** runs `fn` when the attempt is aborted, at once if it already is; returns the unsubscribe */
  onAbort(fn: () => void): () => void;
  /** the request's budget claim: streams grow it as they run (shared by every attempt) */
  readonly usage: UsageGrant;
}

/** Drives one provider for one request; resolves when it finished, rejects on failure. */
export type Attempt = (ref: ModelRef, ctl: AttemptControl) => Promise<void>;

export interface RequestSpec {
  gw: Gateway;
  modality: Modality;
  project: Project;
  sessionId: string;
  chain: ModelRef[];
  /** aborted when the caller closes the outer stream */
  signal: AbortSignal;
  /** the caller's LiveKit options: `maxRetry` may lower routing.retries.max_attempts, never raise it */
  connOptions?: { maxRetry: number };
  /** what the request may cost on `ref`, reserved at admission: an upper bound (streams: their first chunk) */
  reserve(ref: ModelRef): Nanos;
  /** the drop-in reports the serving entry through its `model`/`provider` getters */
  onActive(ref: ModelRef): void;
  /** LLM only: answer a blocked project with its `budget_block_message` instead of failing */
  onBudgetBlocked?(): Promise<boolean>;
  /** guardrail findings counted on this request's rows */
  guardrailFindings?: number;
  /** STT streams end by being closed: a close after output began is a normal end, not a cancellation */
  closeIsNormal?: boolean;
  /** the attempt arms the first-output deadline itself (a caller may be silent for a while) */
  deferDeadline?: boolean;
}

/**
 * The one per-request pipeline every drop-in runs: budget admission → chain walk with cooldowns
 * and a first-output deadline → one ledger row per attempt → budget settlement.
 */
export async function runRequest(spec: RequestSpec, attempt: Attempt): Promise<void> {
  const { gw, modality, project, chain } = spec;
  await gw.ready;
  const admission = await gw.budget.admit(project.id, spec.reserve(chain[0]!));
  const usage = new UsageGrant(admission.reservation);
  let order = chain;
  let throttle: string | null = null;
  let settled: Nanos = 0;
  let unknownCost = false;
  let lastError: unknown;

  try {
    if (admission.kind === 'block') {
      const err = new BudgetExceededError(project.id, nanosToUsd(admission.spentNanos), nanosToUsd(admission.budgetNanos), nanosToUsd(admission.reservedNanos));
      const answered = spec.onBudgetBlocked ? await spec.onBudgetBlocked() : false;
      // not awaited: the caller must close the provider stream it opened up front before that
      // stream's start timer fires, and a commit can take a turn of the loop; drain() waits for the row
      void gw.track(recordRefusal(spec, `${err.message}${answered ? ' (answered with budget_block_message)' : ''}`));
      if (answered) return;
      throw err;
    }
    if (admission.kind === 'throttle') {
      const cheaper = throttledOrder(chain, (r) => unitPrice(gw, modality, r));
      if (cheaper) {
        order = cheaper;
        throttle = cheaper[0]!.spec.kind === 'local' ? 'local' : 'cheaper';
      } else {
        const ms = project.config.throttle_delay_ms ?? gw.config.budget.throttle_delay_ms;
        throttle = `delay:${ms}`;
        await sleep(ms, spec.signal);
      }
    }

    const failures: { model: string; error: string }[] = [];
    const usable = order.filter((r) => gw.health.available(r.id));
    const walk = usable.length > 0 ? usable : order; // everything cooling down: try anyway rather than fail unheard
    const { attempt_timeout_ms: timeoutMs } = gw.config.routing;
    const retries = attemptsFor(gw.config.routing.retries, spec.connOptions);
    for (let i = 0; i < walk.length; i++) {
      const ref = walk[i]!;
      spec.onActive(ref);
      // a fallback may cost more than the head the request was admitted for
      if (i > 0) await admission.reservation.ensure(usage.usedNanos + spec.reserve(ref));
      // an entry's retries share one attempt_timeout_ms window (a stream that failed after running
      // longer than that gets a fresh window from its failure)
      let windowEnd = Infinity;
      for (let n = 1; ; n++) {
        const startedAt = Date.now();
        const result = await executeAttempt(spec, ref, attempt, Math.min(timeoutMs, windowEnd - startedAt), usage);
        if (n === 1) windowEnd = Math.max(startedAt, Date.now() - timeoutMs) + timeoutMs;
        const outcome: AttemptOutcome = {
          status: result.status === 'success' && i > 0 ? 'fallback' : result.status,
          fallbackFrom: i > 0 ? walk[0]!.id : null,
          error: result.error ? describe(result.error) : null,
          throttle,
        };
        result.meter.guardrailFindings = spec.guardrailFindings ?? 0;
        const { costNanos } = await recordAttempt(gw, { modality, project: project.id, sessionId: spec.sessionId, ref }, result.meter, outcome);
        if (costNanos === null) unknownCost = true;
        else settled += costNanos;

        if (result.status !== 'error') {
          gw.health.ok(ref.id);
          return;
        }
        lastError = result.error;
        failures.push({ model: ref.id, error: redact(describe(result.error)) });
        if (result.outputStarted) {
          gw.health.fail(ref.id);
          throw surfaced(result.error);
        }
        const wait = retryDelay(result.error, n, retries, windowEnd - Date.now());
        if (wait === null) break;
        log.warn(`${modality.toUpperCase()} ${ref.id} failed before any output (${describe(result.error)}); retry ${n} of ${retries.max_attempts - 1} in ${wait} ms`);
        await sleep(wait, spec.signal);
        if (spec.signal.aborted) return; // the caller closed the stream meanwhile
      }
      gw.health.fail(ref.id);
      if (i < walk.length - 1) log.warn(`${modality.toUpperCase()} ${ref.id} failed before any output (${describe(lastError)}); falling back to ${walk[i + 1]!.id}`);
    }
    throw walk.length === 1 ? surfaced(lastError) : new FallbackExhaustedError(modality, failures);
  } finally {
    admission.reservation.settle(unknownCost && settled === 0 ? null : settled);
  }
}

/** Every refusal is a ledger row: status `blocked`, cost 0, the reason. */
async function recordRefusal(spec: RequestSpec, reason: string): Promise<void> {
  const meter = new Meter(spec.gw.clock());
  await recordAttempt(spec.gw, { modality: spec.modality, project: spec.project.id, sessionId: spec.sessionId, ref: spec.chain[0]! }, meter, {
    status: 'blocked',
    fallbackFrom: null,
    error: reason,
    throttle: null,
  });
}

interface AttemptResult {
  status: 'success' | 'error' | 'cancelled';
  error?: unknown;
  outputStarted: boolean;
  meter: Meter;
}

async function executeAttempt(spec: RequestSpec, ref: ModelRef, fn: Attempt, timeoutMs: number, usage: UsageGrant): Promise<AttemptResult> {
  const meter = new Meter(spec.gw.clock());
  const ac = new AbortController();
  const onOuterAbort = () => ac.abort(new Error('cancelled'));
  if (spec.signal.aborted) onOuterAbort();
  spec.signal.addEventListener('abort', onOuterAbort);
  let timer: NodeJS.Timeout | undefined;
  let rejectDeadline: (e: Error) => void = () => {};
  const deadline = new Promise<never>((_, reject) => void (rejectDeadline = reject));
  const ctl = control(meter, ac, usage, () => {
    timer ??= setTimeout(() => {
      if (ctl.started) return;
      const err = new APITimeoutError({ message: `${ref.id}: no output within ${timeoutMs} ms`, options: { retryable: false } });
      ac.abort(err);
      rejectDeadline(err);
    }, timeoutMs);
  });
  if (!spec.deferDeadline) ctl.armDeadline();
  const cancelled = (): AttemptResult => ({ status: spec.closeIsNormal && ctl.started ? 'success' : 'cancelled', outputStarted: ctl.started, meter });
  try {
    await Promise.race([fn(ref, ctl), deadline]);
    if (spec.signal.aborted) return cancelled();
    return { status: 'success', outputStarted: ctl.started, meter };
  } catch (error) {
    if (spec.signal.aborted) return cancelled();
    return { status: 'error', error, outputStarted: ctl.started, meter };
  } finally {
    clearTimeout(timer);
    spec.signal.removeEventListener('abort', onOuterAbort);
    if (!ac.signal.aborted) ac.abort(new Error('attempt finished'));
  }
}

function control(meter: Meter, ac: AbortController, usage: UsageGrant, armDeadline: () => void): AttemptControl & { started: boolean } {
  const ctl = {
    meter,
    usage,
    signal: ac.signal,
    started: false,
    armDeadline,
    onAbort(fn: () => void) {
      // a caller may close the stream before the attempt subscribes: an aborted signal fires no event
      if (ac.signal.aborted) {
        fn();
        return () => {};
      }
      ac.signal.addEventListener('abort', fn, { once: true });
      return () => ac.signal.removeEventListener('abort', fn);
    },
    outputStarted() {
      if (ctl.started) return;
      ctl.started = true;
      meter.markOutput();
    },
  };
  return ctl;
}

/**
 * How long to wait before retrying an entry, or null to move on: only errors the raw plugin would
 * retry (retryable APIErrors), at most `max_attempts`, doubling from `base_delay_ms` up to
 * `max_delay_ms`, never sooner than a Retry-After the provider sent, and only if the retry still
 * fits the entry's window.
 */
/** A caller that asks LiveKit for fewer retries (e.g. `maxRetry: 0`) gets no more from the chain. */
export function attemptsFor(cfg: RetriesConfig, conn?: { maxRetry: number }): RetriesConfig {
  if (!conn || !Number.isFinite(conn.maxRetry)) return cfg;
  return { ...cfg, max_attempts: Math.max(1, Math.min(cfg.max_attempts, Math.floor(conn.maxRetry) + 1)) };
}

export function retryDelay(error: unknown, attempt: number, cfg: RetriesConfig, remainingMs: number): number | null {
  if (attempt >= cfg.max_attempts || !(error instanceof APIError) || !error.retryable) return null;
  const backoff = Math.min(cfg.max_delay_ms, cfg.base_delay_ms * 2 ** (attempt - 1));
  const asked = retryAfterMs(error);
  if (asked !== null && asked > cfg.max_delay_ms) return null;
  const wait = Math.max(backoff, asked ?? 0);
  return wait < remainingMs ? wait : null;
}

/**
 * Nano-USD per unit on `ref` (STT: second of audio, LLM: completion token, TTS: character), for
 * streams that reserve as they go; 0 for local models and models without a price.
 */
export function unitNanos(gw: Gateway, modality: Modality, ref: ModelRef): number {
  if (ref.spec.kind === 'local') return 0;
  const per = 1_000_000;
  const units = modality === 'llm' ? { inputUnits: 0, outputUnits: per, cachedUnits: 0 } : { inputUnits: per, outputUnits: 0, cachedUnits: 0 };
  return (gw.prices.price(modality, ref.provider, ref.model, units).costNanos ?? 0) / per;
}

/** Price of a nominal request, to rank chain entries when throttling. */
function unitPrice(gw: Gateway, modality: Modality, ref: ModelRef): number | null {
  if (ref.spec.kind === 'local') return 0;
  const units =
    modality === 'stt'
      ? { inputUnits: 60, outputUnits: 0, cachedUnits: 0 }
      : modality === 'llm'
        ? { inputUnits: 1000, outputUnits: 200, cachedUnits: 0 }
        : { inputUnits: 1000, outputUnits: 0, cachedUnits: 0 };
  return gw.prices.price(modality, ref.provider, ref.model, units).costNanos;
}

/**
 * What the drop-in's `error` event carries into LiveKit's logs: not retryable (LiveKit's base
 * streams retry retryable APIErrors themselves; ours already retried and walked the chain) and redacted.
 */
function surfaced(error: unknown): Error {
  return redactError(unretryable(error));
}

function unretryable(error: unknown): Error {
  if (error instanceof APIStatusError) {
    return new APIStatusError({ message: error.message, options: { statusCode: error.statusCode, requestId: error.requestId, body: error.body, retryable: false } });
  }
  if (error instanceof APITimeoutError) return new APITimeoutError({ message: error.message, options: { retryable: false } });
  if (error instanceof APIError) return new APIConnectionError({ message: error.message, options: { retryable: false } });
  if (error instanceof Error) return error;
  return new APIConnectionError({ message: String(error ?? 'provider failed'), options: { retryable: false } });
}

function describe(error: unknown): string {
  if (error instanceof APIStatusError && error.statusCode > 0) return `${error.name} ${error.statusCode}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
