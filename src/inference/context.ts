import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

interface Scope {
  project?: string;
  sessionId?: string;
  session?: SessionState;
}

export interface StartSessionOptions {
  /** the session's LLM turns pass unscanned; one audited `bypassed` guardrail event records it */
  bypassGuardrails?: boolean;
}

/** What one session keeps for its whole life, shared by the drop-ins built in it. */
export interface SessionState {
  readonly id: string;
  readonly bypassGuardrails: boolean;
  /** the `bypassed` event was written */
  bypassAudited: boolean;
  /** each project's guardrail setup as it was when the session first used it (edits apply to new sessions) */
  readonly guardrails: Map<string, unknown>;
}

const scope = new AsyncLocalStorage<Scope>();

/**
 * Sets the active project for the current async context (like a Python contextvar): code that
 * continues from here, and tasks it starts, see it; sibling tasks do not. For an explicit block
 * use `withProject`.
 */
export function setProject(name: string): void {
  assertName(name);
  scope.enterWith({ ...scope.getStore(), project: name });
}

/** Runs `fn` with `name` as the active project. */
export function withProject<T>(name: string, fn: () => T): T {
  assertName(name);
  return scope.run({ ...scope.getStore(), project: name }, fn);
}

/** The project set in this async context, if any (resolution with env/config is `Gateway.activeProject`). */
export function scopedProject(): string | undefined {
  return scope.getStore()?.project;
}

/**
 * The session id of this async context (`vg-<uuid>`), created on first use, so the STT, LLM and
 * TTS built for one call share it.
 */
export function currentSessionId(): string {
  return currentSession().id;
}

/** The session of this async context, created on first use (see currentSessionId). */
export function currentSession(): SessionState {
  const store = scope.getStore();
  if (store?.session && store.session.id === store.sessionId) return store.session;
  const session = newSession(store?.sessionId ?? newSessionId(), {});
  scope.enterWith({ ...store, sessionId: session.id, session });
  return session;
}

/**
 * Starts a new session in this async context (a worker that serves calls one after another).
 * `bypassGuardrails: true` lets its LLM turns pass unscanned, audited once.
 */
export function startSession(options: StartSessionOptions = {}): string {
  const session = newSession(newSessionId(), options);
  scope.enterWith({ ...scope.getStore(), sessionId: session.id, session });
  return session.id;
}

function newSession(id: string, options: StartSessionOptions): SessionState {
  return { id, bypassGuardrails: options.bypassGuardrails === true, bypassAudited: false, guardrails: new Map() };
}

function newSessionId(): string {
  return `vg-${randomUUID()}`;
}

function assertName(name: string): void {
  if (typeof name !== 'string' || name.trim() === '') throw new TypeError('setProject() needs a non-empty project id');
}

/** The session of this async context without creating one. */
export function peekSession(): SessionState | undefined {
  const store = scope.getStore();
  return store?.session && store.session.id === store.sessionId ? store.session : undefined;
}

/** The session id of this async context without creating one. */
export function peekSessionId(): string | undefined {
  return scope.getStore()?.sessionId;
}
