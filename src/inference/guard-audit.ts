import type { Finding } from '../guardrails/index.js';
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
