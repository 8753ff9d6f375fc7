import type { ScanContext } from '../context.js';
import { GENERIC_TOPIC_WORDS, SERVICE_WORDS, STOPWORDS, TOPIC_DOMAINS } from './topic-lexicons.js';

/**
 * off_topic: a message is off topic when it carries at least three content words and too few of
 * them belong to the project's topic vocabulary (the words of `topic` / `allowed_topics` plus the
 * domain vocabularies they name): fewer than one in five, capped at three. Short turns ("yes
 * please", "can I talk to a person") never fire.
 */

export interface TopicModel {
  label: string;
  /** one alternation of every on-topic word (with simple inflections), compiled once per policy */
  vocab: RegExp;
  /** the same alternation, global, for counting */
  vocabAll: RegExp;
  domains: string[];
}

const MIN_CONTENT_WORDS = 3;
/** on-topic evidence needed: one topic word per five content words, never more than three */
const ON_TOPIC_RATIO = 0.2;
const ON_TOPIC_CAP = 3;
const WORD_RE = /[a-z][a-z'-]+/g;
const NEUTRAL = new Set([...STOPWORDS, ...SERVICE_WORDS]);

export function compileTopic(topic: string | undefined, allowedTopics: string[] | undefined): TopicModel | null {
  const phrases = [topic ?? '', ...(allowedTopics ?? [])].map((s) => s.toLowerCase().trim()).filter(Boolean);
  if (phrases.length === 0) return null;
  const words = new Set<string>();
  const domains: string[] = [];
  const joined = ` ${phrases.join(' , ')} `;
  for (const [name, domain] of Object.entries(TOPIC_DOMAINS)) {
    if (domain.triggers.some((t) => joined.includes(` ${t} `) || joined.includes(` ${t},`) || joined.includes(` ${t}s `))) {
      domains.push(name);
      for (const word of domain.words) words.add(word);
    }
  }
  for (const phrase of phrases) {
    words.add(phrase);
    for (const word of phrase.split(/[^a-z0-9'-]+/)) if (word.length >= 3 && !NEUTRAL.has(word) && !GENERIC_TOPIC_WORDS.has(word)) words.add(word);
  }
  const alternation = [...words]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[ -]?'))
    .join('|');
  const source = `\\b(?:${alternation})(?:s|es|ed|ing|er|ers)?\\b`;
  return { label: phrases[0]!, vocab: new RegExp(source), vocabAll: new RegExp(source, 'g'), domains };
}

export function detectOffTopic(ctx: ScanContext): void {
  const model = ctx.policy.topic;
  if (!model) return;
  const lower = ctx.lower;
  let hits = 0;
  const re = model.vocabAll;
  re.lastIndex = 0;
  while (hits < ON_TOPIC_CAP && re.exec(lower)) hits++;
  if (hits >= ON_TOPIC_CAP) return;
  let content = 0;
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(lower); m; m = WORD_RE.exec(lower)) {
    if (m[0].length >= 3 && !NEUTRAL.has(m[0])) content++;
  }
  if (content < MIN_CONTENT_WORDS || hits >= Math.ceil(content * ON_TOPIC_RATIO)) return;
  const text = ctx.text;
  let start = 0;
  let end = text.length;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  const onTopicShare = hits / content;
  ctx.add('off_topic', 'off_topic', start, end, '[OFF_TOPIC]', Math.round((1 - onTopicShare) * Math.min(0.95, 0.5 + 0.05 * content) * 1000) / 1000);
}
