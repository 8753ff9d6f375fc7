import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

interface Scope {
  project?: string;
  sessionId?: string;
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
  const store = scope.getStore();
  if (store?.sessionId) return store.sessionId;
  const sessionId = newSessionId();
  scope.enterWith({ ...store, sessionId });
  return sessionId;
}

/** Starts a new session id in this async context (a worker that serves calls one after another). */
export function startSession(): string {
  const sessionId = newSessionId();
  scope.enterWith({ ...scope.getStore(), sessionId });
  return sessionId;
}

function newSessionId(): string {
  return `vg-${randomUUID()}`;
}

function assertName(name: string): void {
  if (typeof name !== 'string' || name.trim() === '') throw new TypeError('setProject() needs a non-empty project id');
}

/** The session id of this async context without creating one. */
export function peekSessionId(): string | undefined {
  return scope.getStore()?.sessionId;
}
