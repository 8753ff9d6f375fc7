import { llm } from '@livekit/agents';

const SYSTEM =
  'You are Ava, the phone assistant of Trattoria Bella in Portland. Keep answers short and friendly: they are spoken aloud. ' +
  'You can check availability, book, move or cancel tables for up to twelve guests, describe the menu (including vegetarian, ' +
  'vegan and gluten-free dishes), give opening hours (Tuesday to Sunday, 5 pm to 11 pm) and directions. Never invent prices; ' +
  'if unsure, offer to have a manager call back. Confirm the name, party size, date and time before booking.';

const TURNS: [user: string, assistant: string][] = [
  ['Hi, I would like to book a table for this Saturday evening if you still have something.', 'Of course! How many guests, and what time would you like?'],
  ['We are four adults and two kids, around seven thirty would be perfect.', 'Let me check Saturday at seven thirty for six people. Yes, I have a table by the window. May I have a name?'],
  ['Sure, it is under Martinez, Elena Martinez. Do you have high chairs for the little ones?', 'We do, I will set two high chairs. Is there anything else we should know, like allergies?'],
  ['My son is allergic to tree nuts, is the pesto made with pine nuts?', 'Our classic pesto has pine nuts, but the kitchen can make a nut-free basil sauce. I will note the allergy on the booking.'],
  ['Great, and is there parking nearby? Last time we drove around for twenty minutes.', 'There is a public garage on Fifth Avenue, two minutes away, open until midnight.'],
  ['Perfect. Can you also tell me if you have a birthday dessert? It is my daughter turning nine.', 'We can bring a small tiramisu or gelato with a candle, free for birthdays. Should I add that?'],
  ['Yes please, the gelato, she does not like coffee. How long can we keep the table?', 'Tables are yours for two hours, and longer if no one is waiting. Anything else?'],
  ['One last thing, could you text me the confirmation instead of an email?', 'Of course. What number should I text the confirmation to?'],
];

/**
 * A mid-call voice-agent context: a system prompt and the turns so far, ending with the caller's
 * latest utterance. Benign (no finding), so every guardrail scans all of it and passes it through.
 */
export function conversation(targetChars: number): llm.ChatContext {
  const ctx = llm.ChatContext.empty();
  ctx.addMessage({ role: 'system', content: SYSTEM });
  let chars = SYSTEM.length;
  for (let i = 0; chars < targetChars; i++) {
    const [user, assistant] = TURNS[i % TURNS.length]!;
    ctx.addMessage({ role: 'user', content: user });
    chars += user.length;
    if (chars >= targetChars) break;
    ctx.addMessage({ role: 'assistant', content: assistant });
    chars += assistant.length;
  }
  return ctx;
}

/** Characters of text in a context (what the guardrails may scan). */
export function contextChars(ctx: llm.ChatContext): number {
  let n = 0;
  for (const item of ctx.items) if (item.type === 'message') n += item.textContent?.length ?? 0;
  return n;
}
