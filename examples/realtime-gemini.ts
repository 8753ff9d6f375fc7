/**
 * A speech-to-speech LiveKit agent on Gemini Live through voicegateway: each answer is a ledger
 * row (text and audio tokens at their own rates), the project's budget admits the session and
 * each answer, guardrails watch both transcripts, and a model that fails to connect falls back to
 * the next realtime model before the caller hears anything.
 *
 * Run with real keys (GOOGLE_API_KEY, OPENAI_API_KEY for the fallback, LIVEKIT_URL,
 * LIVEKIT_API_KEY, LIVEKIT_API_SECRET):
 *   npx tsx examples/realtime-gemini.ts dev
 */
import { type JobContext, WorkerOptions, cli, defineAgent, voice } from '@livekit/agents';
import { fileURLToPath } from 'node:url';
import { inference } from 'voicegateway';

const INSTRUCTIONS = 'You are a friendly, concise customer-support agent.';

export default defineAgent({
  entry: async (ctx: JobContext) => {
    inference.setProject(process.env.VOICEGW_PROJECT ?? 'customer-support');

    const session = new voice.AgentSession({
      llm: new inference.RealtimeModel('google/gemini-2.5-flash-native-audio-preview-12-2025:Puck', {
        fallback: ['google/gemini-3.1-flash-live-preview', 'openai/gpt-realtime-mini:marin'],
        // the agent's instructions up front: the plugin reconnects when they are set after it connected
        modelOptions: { instructions: INSTRUCTIONS },
      }),
    });

    await session.start({ agent: new voice.Agent({ instructions: INSTRUCTIONS }), room: ctx.room });
    await ctx.connect();
    session.generateReply({ instructions: 'Greet the caller and ask how you can help.' });
  },
});

cli.runApp(new WorkerOptions({ agent: fileURLToPath(import.meta.url) }));
