/**
 * A LiveKit voice agent whose STT, LLM and TTS go through voicegateway: every request is routed
 * by model string, metered into the ledger, held to the project's daily budget, falls back along
 * the chain in voicegw.yaml and passes the project's guardrails.
 *
 * Run with real keys (DEEPGRAM_API_KEY, OPENAI_API_KEY, CARTESIA_API_KEY, LIVEKIT_URL,
 * LIVEKIT_API_KEY, LIVEKIT_API_SECRET):
 *   npx tsx examples/agent.ts dev
 */
import { type JobContext, WorkerOptions, cli, defineAgent, voice } from '@livekit/agents';
import { fileURLToPath } from 'node:url';
import { inference } from 'voicegateway';

export default defineAgent({
  entry: async (ctx: JobContext) => {
    // every request made from this job is billed to this project (async-context scoped)
    inference.setProject(process.env.VOICEGW_PROJECT ?? 'customer-support');

    const session = new voice.AgentSession({
      stt: new inference.STT('deepgram/nova-3:en'),
      llm: new inference.LLM('openai/gpt-4.1-mini'),
      tts: new inference.TTS('cartesia/sonic-3:9626c31c-bec5-4cca-baa8-f8ba9e84c8bc'),
    });

    await session.start({
      agent: new voice.Agent({ instructions: 'You are a friendly, concise customer-support agent.' }),
      room: ctx.room,
    });
    await ctx.connect();
    session.generateReply({ instructions: 'Greet the caller and ask how you can help.' });
  },
});

cli.runApp(new WorkerOptions({ agent: fileURLToPath(import.meta.url) }));
