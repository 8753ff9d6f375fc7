import type { ScanContext } from '../context.js';
import { SERVICE_WORDS, STOPWORDS, TOPIC_DOMAINS } from './topic-lexicons.js';

/**
 * off_topic: a message is off topic when it carries at least three content words and none of them
 * belongs to the project's topic vocabulary (the words of `topic` / `allowed_topics` plus the domain
 * vocabularies they name). Short turns ("yes please", "can I talk to a person") never fire.
 */

export interface TopicModel {
  label: string;
  /** one alternation of every on-topic word (with simple inflections), compiled once per policy */
  vocab: RegExp;
  domains: string[];
}

const MIN_CONTENT_WORDS = 3;
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
    for (const word of phrase.split(/[^a-z0-9'-]+/)) if (word.length >= 3 && !NEUTRAL.has(word)) words.add(word);
  }
  const alternation = [...words]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[ -]?'))
    .join('|');
  return { label: phrases[0]!, vocab: new RegExp(`\\b(?:${alternation})(?:s|es|ed|ing|er|ers)?\\b`), domains };
}

export function detectOffTopic(ctx: ScanContext): void {
  const model = ctx.policy.topic;
  if (!model) return;
  const lower = ctx.lower;
  if (model.vocab.test(lower)) return;
  let content = 0;
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(lower); m; m = WORD_RE.exec(lower)) {
    if (m[0].length >= 3 && !NEUTRAL.has(m[0])) content++;
  }
  if (content < MIN_CONTENT_WORDS) return;
  const text = ctx.text;
  let start = 0;
  let end = text.length;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  ctx.add('off_topic', 'off_topic', start, end, '[OFF_TOPIC]', Math.min(0.95, 0.5 + 0.05 * content));
}
