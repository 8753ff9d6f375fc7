import type { GuardrailSetup } from '../gateway.js';
import type { Finding } from '../guardrails/index.js';
import { log } from '../log.js';
import { Meter, recordAttempt } from '../metering/meter.js';
import type { DropInCore } from './drop-in.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCore = DropInCore<any>;

type Audited = Finding & { action: string; excerpt: string };

/** Writes guardrail findings as audit events: category, detector, action, redacted excerpt; never the raw value. */
export async function auditFindings(core: AnyCore, findings: Audited[], direction: 'in' | 'out'): Promise<void> {
  await core.gw.ready;
  await core.gw.ledger.recordGuardrailEvents(
    findings.map((f) => ({
      ts: core.gw.clock(),
      project: core.project.id,
      sessionId: core.sessionId,
      requestId: null,
      category: f.category,
      detector: f.detector,
      action: f.action,
      direction,
      excerpt: f.excerpt,
    })),
  );
}

/** A ledger row for a turn guardrails answered instead of a provider (cost 0, status blocked). */
export async function recordBlocked(core: AnyCore, findings: number, reason: string): Promise<void> {
  await core.gw.ready;
  const meter = new Meter(core.gw.clock());
  meter.guardrailFindings = findings;
  await recordAttempt(core.gw, { modality: core.modality, project: core.project.id, sessionId: core.sessionId, ref: core.chain[0]! }, meter, {
    status: 'blocked',
    fallbackFrom: null,
    error: reason,
    throttle: null,
  });
}

/**
 * The guardrails of this turn: none in a session started with `bypassGuardrails` (audited once per
 * session, without holding the turn), else the project's policy as it was when the session first
 * used it, so an edit made mid-call applies to the next session, not half-way through this one.
 */
export function sessionGuardrails(core: AnyCore): GuardrailSetup | null {
  const session = core.session;
  if (session.bypassGuardrails) {
    if (!session.bypassAudited) {
      session.bypassAudited = true;
      auditBypass(core).catch((err: unknown) => log.warn(`guardrail bypass audit not written: ${(err as Error).message}`));
    }
    return null;
  }
  const key = core.project.id;
  if (!session.guardrails.has(key)) session.guardrails.set(key, core.gw.guardrails(key));
  return session.guardrails.get(key) as GuardrailSetup | null;
}

async function auditBypass(core: AnyCore): Promise<void> {
  await core.gw.ready;
  await core.gw.ledger.recordGuardrailEvents([
    { ts: core.gw.clock(), project: core.project.id, sessionId: core.sessionId, requestId: null, category: 'all', detector: 'bypass', action: 'bypassed', direction: 'in', excerpt: 'guardrails bypassed for this session' },
  ]);
}
