import { describe, expect, it } from 'vitest';
import { compilePolicy, scanText } from '../../src/guardrails/index.js';

const offTopic = (text: string, topic: string, allowedTopics?: string[]) =>
  scanText(text, compilePolicy({ enabled: true, categories: { off_topic: 'alert' }, topic, allowedTopics })).map((f) => f.detector);

describe('off_topic', () => {
  it('flags requests with several content words and no topic vocabulary', () => {
    expect(offTopic('can you write me a poem about autumn leaves?', 'banking customer support')).toEqual(['off_topic']);
    expect(offTopic('what is the best recipe for chocolate chip cookies?', 'home internet and mobile plans')).toEqual(['off_topic']);
  });

  it('pulls in the vocabulary of the domains the topic names', () => {
    expect(offTopic('I lost my debit card yesterday and need to block it', 'banking customer support')).toEqual([]);
    expect(offTopic('the router light is blinking orange', 'home internet and mobile plans')).toEqual([]);
  });

  it('uses allowed_topics and the literal topic words', () => {
    expect(offTopic('tell me about the summer gardening workshop schedule', 'community center', ['gardening workshops'])).toEqual([]);
    expect(offTopic('tell me about the summer gardening workshop schedule', 'community center', ['yoga classes'])).toEqual(['off_topic']);
  });

  it('never flags short conversational turns', () => {
    for (const turn of ['yes please', 'thanks, that is all', 'can I talk to a human?', 'hello, is anyone there?']) {
      expect(offTopic(turn, 'banking customer support')).toEqual([]);
    }
  });

  it('one topic word in a long unrelated request is not enough', () => {
    expect(offTopic('plan a three day itinerary for Rome sightseeing', 'home internet and mobile plans')).toEqual(['off_topic']);
  });
});
