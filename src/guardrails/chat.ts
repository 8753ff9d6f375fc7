import { llm } from '@livekit/agents';
import type { CompiledPolicy } from './policy.js';
import { excerpt, redactText, scanText } from './scan.js';
import { ACTION_SEVERITY, type Finding, type GuardrailAction } from './types.js';

/**
 * The one LiveKit-aware piece: scans a ChatContext before the provider call. User messages and tool
 * outputs are scanned (never system / developer / assistant text); the caller's context is never
 * mutated, redaction happens in a copy.
 */

export type ChatFinding = Finding & {
  action: GuardrailAction;
  /** index of the item in chatCtx.items */
  messageIndex: number;
  /** id of that item, to de-duplicate audit events across turns */
  itemId: string;
  /** false for items before the latest assistant message: already seen on an earlier turn */
  fresh: boolean;
  excerpt: string;
};

export interface ChatGuardResult {
  action: 'none' | 'alert' | 'redact' | 'block';
  findings: ChatFinding[];
  /** a COPY when redacted, else the original */
  chatCtx: llm.ChatContext;
  /** the optional system instruction (guardrails.instructions: true) */
  instructions?: string;
}

type Scanned = { index: number; parts: string[]; findings: Finding[][] };

/**
 * Remembers the findings of texts already scanned under one policy. An agent sends its whole
 * history every turn, so without it each turn rescans every earlier message; with it only the new
 * ones are scanned. Bounded; the oldest text is forgotten first.
 */
export class ScanMemo {
  readonly #findings = new Map<string, Finding[]>();

  constructor(
    readonly policy: CompiledPolicy,
    private readonly maxTexts = 256,
  ) {}

  scan(text: string): Finding[] {
    let found = this.#findings.get(text);
    if (found) return found;
    found = scanText(text, this.policy);
    if (this.#findings.size >= this.maxTexts) this.#findings.delete(this.#findings.keys().next().value!);
    this.#findings.set(text, found);
    return found;
  }
}

export function guardChatContext(chatCtx: llm.ChatContext, policy: CompiledPolicy, memo?: ScanMemo): ChatGuardResult {
  const scan = memo?.policy === policy ? (text: string) => memo.scan(text) : (text: string) => scanText(text, policy);
  const items = chatCtx.items;
  const result: ChatGuardResult = { action: 'none', findings: [], chatCtx, instructions: policy.instructions };
  if (!policy.enabled || policy.active.length === 0) return result;

  // a block answered an earlier turn already; blocking its message again would block every later
  // turn, so messages before the latest assistant reply are redacted instead of blocked
  let lastAssistant = -1;
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]!;
    if (it.type === 'message' && it.role === 'assistant') {
      lastAssistant = i;
      break;
    }
  }

  const toRedact: Scanned[] = [];
  let severity = 0;
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    const parts = scannableParts(item);
    if (!parts) continue;
    const fresh = index > lastAssistant;
    const perPart = parts.map((p) => (p ? scan(p) : []));
    let offset = 0;
    let redacts = false;
    for (let k = 0; k < parts.length; k++) {
      for (const f of perPart[k]!) {
        let action = policy.actions[f.category];
        if (action === 'block' && !fresh) action = 'redact';
        if (action === 'redact' || action === 'block') redacts = true;
        severity = Math.max(severity, ACTION_SEVERITY[action]);
        result.findings.push({
          ...f,
          start: f.start + offset,
          end: f.end + offset,
          action,
          messageIndex: index,
          itemId: item.id,
          fresh,
          excerpt: excerpt(parts[k]!, f, 24, perPart[k]!),
        });
      }
      offset += parts[k]!.length + 1; // offsets are relative to the parts joined with '\n' (textContent)
    }
    if (redacts) toRedact.push({ index, parts, findings: perPart });
  }

  result.action = severity === 3 ? 'block' : severity === 2 ? 'redact' : severity === 1 ? 'alert' : 'none';
  if (toRedact.length > 0) result.chatCtx = redactedCopy(chatCtx, toRedact, policy);
  return result;
}

/** text parts scanned: user message strings, tool outputs; null for anything else */
function scannableParts(item: llm.ChatItem): string[] | null {
  if (item.type === 'function_call_output') return [item.output];
  if (item.type !== 'message' || item.role !== 'user') return null;
  const parts = item.content.filter((c): c is string => typeof c === 'string');
  return parts.length > 0 ? parts : null;
}

function redactedCopy(chatCtx: llm.ChatContext, scanned: Scanned[], policy: CompiledPolicy): llm.ChatContext {
  const copy = chatCtx.copy();
  const items = copy.items; // a new array holding the SAME item objects: replace, never edit them
  for (const s of scanned) {
    const original = items[s.index]!;
    const redactedParts = s.parts.map((p, k) =>
      redactText(
        p,
        s.findings[k]!.filter((f) => {
          const a = policy.actions[f.category];
          return a === 'redact' || a === 'block';
        }),
      ),
    );
    if (original.type === 'function_call_output') {
      items[s.index] = llm.FunctionCallOutput.create({
        callId: original.callId,
        output: redactedParts[0]!,
        isError: original.isError,
        id: original.id,
        createdAt: original.createdAt,
        name: original.name,
      });
    } else if (original.type === 'message') {
      let next = 0;
      const content = original.content.map((c) => (typeof c === 'string' ? redactedParts[next++]! : c));
      items[s.index] = llm.ChatMessage.create({
        role: original.role,
        content,
        id: original.id,
        interrupted: original.interrupted,
        createdAt: original.createdAt,
        transcriptConfidence: original.transcriptConfidence,
        metrics: original.metrics,
        extra: original.extra,
      });
    }
  }
  return copy;
}
