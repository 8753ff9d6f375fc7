import type { ScanContext } from '../context.js';
import { headText, INJECTION_PATTERNS, isWordHead as isWord } from './injection-patterns.js';
import { isAsciiWord } from './chars.js';
import { injectionLogit, INJECTION_CLASSIFIER } from './injection-classifier.js';

/**
 * prompt_injection: instruction override, role-play / jailbreak, system-prompt extraction, delimiter
 * and tool spoofing. All patterns run as one compiled alternation (one pass over the text); the
 * message score combines the distinct patterns that matched and is compared with the policy
 * threshold. Below the threshold nothing is reported, so alert-only use stays quiet on benign text.
 */

const escape = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** head → indices of the patterns that can start there */
const BY_HEAD = new Map<string, number[]>();
INJECTION_PATTERNS.forEach((pattern, i) => {
  for (const head of pattern.heads) BY_HEAD.set(headText(head), [...(BY_HEAD.get(headText(head)) ?? []), i]);
});
const byLength = (a: string, b: string) => b.length - a.length;

const SUBSTRING_HEADS = new Set(INJECTION_PATTERNS.flatMap((pattern) => pattern.heads.filter((h) => h.startsWith('*')).map(headText)));
const WORD_HEADS = [...BY_HEAD.keys()].filter((h) => isWord(h) && !SUBSTRING_HEADS.has(h)).sort(byLength).map(escape);
const SYMBOL_HEADS = [...BY_HEAD.keys()].filter((h) => !isWord(h) || SUBSTRING_HEADS.has(h)).sort(byLength).map(escape);
/**
 * One pass finds every word head (a literal alternation between word boundaries, without captures:
 * fast in V8), a second, cheaper one the symbol heads ("<|", "[INST]", "###"); mixing both in one
 * regex halves its speed. Each head then tries only its own patterns, sticky at that offset.
 */
const WORD_HEAD_RE = new RegExp(`\\b(?:${WORD_HEADS.join('|')})\\b`, 'g');
const SYMBOL_HEAD_RE = new RegExp(SYMBOL_HEADS.join('|'), 'g');
const STICKY = INJECTION_PATTERNS.map((pattern) => new RegExp(pattern.source, 'y'));

/** "don't ignore the rules", "never reveal your system prompt" talk about attacks, they are not attacks */
const NEGATED_BEFORE_RE = /(?:\b(?:not|never|no|without|nor)|n['’]t)\s+(?:\w+\s+)?$/;
/** patterns whose match starts after a lookbehind: the negation may sit before that context */
const NEGATED_CONTEXT_RE = /(?:\b(?:not|never|no|without|nor)|n['’]t)\s+(?:\w+\s+){0,3}$/;
const HAS_CONTEXT = INJECTION_PATTERNS.map((pattern) => pattern.source.startsWith('(?<='));
/** the quote characters " ' ` “ ” ‘ ’ « », as char codes */
const QUOTES = new Set([34, 39, 96, 0x201c, 0x201d, 0x2018, 0x2019, 0xab, 0xbb]);
/** a quoted phrase is a mention ("the phrase 'ignore previous instructions' is an attack"), not a use */
const MENTION_FACTOR = 0.2;

interface Hit {
  pattern: number;
  start: number;
  end: number;
  weight: number;
}

export function injectionScore(ctx: ScanContext): { score: number; hits: Hit[] } {
  const lower = ctx.lower;
  const hits: Hit[] = [];
  // a plain array: allocating a typed array goes through the runtime (~5x slower for this size)
  const coveredTo: number[] = new Array<number>(INJECTION_PATTERNS.length).fill(0);
  for (const heads of [wordHeads(ctx), symbolHeads(lower)]) {
    for (const h of heads) {
      const start = h.start;
      for (const i of BY_HEAD.get(h.word)!) {
        if (start < coveredTo[i]!) continue;
        // test() and the sticky lastIndex give the match end without building a match array
        const re = STICKY[i]!;
        re.lastIndex = start;
        if (!re.test(lower)) continue;
        const end = re.lastIndex;
        if (end === start) continue;
        coveredTo[i] = end;
        const pattern = INJECTION_PATTERNS[i]!;
        if (pattern.family !== 'injection.delimiter' && !pattern.negationIsTheAttack && negated(lower, start, HAS_CONTEXT[i]!)) continue;
        hits.push({ pattern: i, start, end, weight: quoted(lower, start, end) ? pattern.weight * MENTION_FACTOR : pattern.weight });
      }
    }
  }
  return { score: combine(hits), hits };
}

/** inside a quoted phrase on the same line: an opening quote before and a closing one after */
function quoted(lower: string, start: number, end: number): boolean {
  let open = -1;
  for (let i = start - 1; i >= 0 && i >= start - 80; i--) {
    const c = lower.charCodeAt(i);
    if (c === 10) break;
    if (isQuote(lower, i, c)) {
      open = i;
      break;
    }
  }
  if (open < 0) return false;
  for (let i = end; i < lower.length && i < end + 80; i++) {
    const c = lower.charCodeAt(i);
    if (c === 10) return false;
    if (isQuote(lower, i, c)) return true;
  }
  return false;
}

/** a quote character, except an apostrophe between two word characters ("don't") */
function isQuote(lower: string, i: number, c: number): boolean {
  return QUOTES.has(c) && !(c === 39 && isAsciiWord(lower.charCodeAt(i - 1)) && isAsciiWord(lower.charCodeAt(i + 1)));
}

function wordHeads(ctx: ScanContext): Array<{ start: number; word: string }> {
  if (ctx.policy.lexicon?.has.injection) return ctx.lexicon.injection;
  return findAll(WORD_HEAD_RE, ctx.lower);
}

function symbolHeads(lower: string): Array<{ start: number; word: string }> {
  return findAll(SYMBOL_HEAD_RE, lower);
}

function findAll(re: RegExp, text: string): Array<{ start: number; word: string }> {
  const out: Array<{ start: number; word: string }> = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ start: m.index, word: m[0] });
  return out;
}

function negated(lower: string, start: number, hasContext: boolean): boolean {
  const before = lower.slice(Math.max(0, start - (hasContext ? 48 : 16)), start);
  return (hasContext ? NEGATED_CONTEXT_RE : NEGATED_BEFORE_RE).test(before);
}

/**
 * 1 - Π(1 - w) over independent evidence: the strongest hits whose spans do not overlap a stronger
 * one already taken (so "from now on you are to pretend" is "now on you are" plus "pretend to be",
 * not four hits), and a pattern repeated across the text counts once.
 */
function combine(hits: Hit[]): number {
  if (hits.length === 0) return 0;
  const taken: Hit[] = [];
  for (const h of [...hits].sort((a, b) => b.weight - a.weight)) {
    if (!taken.some((t) => h.start < t.end && t.start < h.end)) taken.push(h);
  }
  const best = new Map<number, number>();
  for (const h of taken) best.set(h.pattern, Math.max(best.get(h.pattern) ?? 0, h.weight));
  let miss = 1;
  for (const w of best.values()) miss *= 1 - w;
  return 1 - miss;
}

/** runs of overlapping hits, each with its span and strongest hit */
function clusters(hits: Hit[]): Array<{ start: number; end: number; top: Hit }> {
  const sorted = [...hits].sort((a, b) => a.start - b.start);
  const out: Array<{ start: number; end: number; top: Hit }> = [];
  for (let i = 0; i < sorted.length; ) {
    let top = sorted[i]!;
    let end = top.end;
    let j = i + 1;
    for (; j < sorted.length && sorted[j]!.start < end; j++) {
      end = Math.max(end, sorted[j]!.end);
      if (sorted[j]!.weight > top.weight) top = sorted[j]!;
    }
    out.push({ start: sorted[i]!.start, end, top });
    i = j;
  }
  return out;
}

export function detectPromptInjection(ctx: ScanContext): void {
  const { score, hits } = injectionScore(ctx);
  if (hits.length === 0 || score < ctx.policy.injectionThreshold) {
    if (ctx.policy.injectionClassifier) classify(ctx);
    return;
  }
  const rounded = Math.round(score * 1000) / 1000;
  // one finding per run of overlapping hits, named after its strongest pattern
  for (const cluster of clusters(hits)) {
    ctx.add('prompt_injection', INJECTION_PATTERNS[cluster.top.pattern]!.family, cluster.start, cluster.end, '[INJECTION]', rounded);
  }
}

/**
 * The optional classifier, for texts the patterns let through: its evidence is the whole text (a
 * role-play set-up, a hijacked task), so the finding spans all of it. Its score is the probability.
 */
function classify(ctx: ScanContext): void {
  const logit = injectionLogit(ctx.lower);
  if (logit < INJECTION_CLASSIFIER.threshold) return;
  const probability = Math.round((1000 / (1 + Math.exp(-logit)))) / 1000;
  ctx.add('prompt_injection', 'injection.classifier', 0, ctx.text.length, '[INJECTION]', probability);
}
