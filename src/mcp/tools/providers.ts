import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { PriceRow } from '../../metering/catalog-view.js';
import { MODALITIES } from '../../types.js';
import { probeModality, probeModel } from '../probe.js';
import { defineTool, type ToolContext } from '../tool.js';

const modality = z.enum(['stt', 'llm', 'tts']);
const pricedModality = z.enum(MODALITIES as unknown as ['stt', 'llm', 'tts', 'realtime']);

const providerView = z.object({
  name: z.string(),
  kind: z.enum(['cloud', 'local']),
  modalities: z.array(z.string()),
  configured: z.boolean().describe('a key is available (or none is needed)'),
  keySource: z.string().nullable().describe('where the key comes from, e.g. providers.openai.api_key or $OPENAI_API_KEY'),
  maskedKey: z.string().nullable().describe('first and last 4 characters at most; keys are never returned'),
  baseURL: z.string().nullable(),
  plugin: z.string(),
});

const modelView = z.object({
  modality: pricedModality,
  model: z.string().describe('provider/model; provider/* prices every model of a local provider'),
  unit: z.enum(['per_minute', 'per_1m_tokens', 'per_1m_characters']),
  prices: z.record(z.string(), z.number()).describe('USD per unit'),
  origin: z.enum(['catalog', 'genai-prices', 'yaml', 'local']),
  source: z.string().describe('where the figure comes from: pricing page, genai-prices@x.y.z, voicegw.yaml'),
  tag: z.string().describe('pricing source written to ledger rows'),
  asOf: z.string(),
  verified: z.boolean().describe('false when the figure could not be checked against the provider page'),
  note: z.string().optional(),
});

/** The same catalog `voicegw prices` and the dashboard show (Gateway.priceCatalog). */
function toModelView(r: PriceRow): z.infer<typeof modelView> {
  return { modality: r.modality, model: r.model, unit: r.unit, prices: r.prices, origin: r.origin, source: r.reference, tag: r.source, asOf: r.as_of, verified: r.verified, ...(r.note ? { note: r.note } : {}) };
}

export function registerProviderTools(server: McpServer, ctx: ToolContext): void {
  const { gw } = ctx;

  defineTool(
    server,
    ctx,
    'list_providers',
    {
      title: 'List providers',
      description: 'Providers the gateway can route to: cloud or local, modalities served, whether a key is configured (masked) and the endpoint.',
      input: z.strictObject({ configured_only: z.boolean().default(false).describe('only providers with a key (or local ones)') }),
      output: z.object({ providers: z.array(providerView) }),
      annotations: { readOnlyHint: true },
    },
    async ({ configured_only }) => {
      const providers = gw.providerSummary().filter((p) => !configured_only || p.configured);
      const line = (p: (typeof providers)[number]) => `${p.name} (${p.kind}, ${p.modalities.join('/')}${p.configured ? '' : ', no key'})`;
      return { summary: `${providers.length} provider(s): ${providers.map(line).join(', ')}`, data: { providers } };
    },
  );

  defineTool(
    server,
    ctx,
    'test_provider',
    {
      title: 'Test a provider',
      description:
        'Sends one tiny real request to one model, without fallback (LLM: a one-word chat; TTS: four words; STT: half a second of tone) and reports latency or the error. The request is metered and billed to the project like any other.',
      input: z.strictObject({
        model: z.string().min(3).describe('provider/model, e.g. "openai/gpt-4.1-mini", "cartesia/sonic-3:<voice-id>", "deepgram/nova-3"'),
        modality: modality.optional().describe('needed only when the provider serves several modalities and the model is not in the price catalog'),
        project: z.string().min(1).optional().describe('project billed (default: the active project)'),
      }),
      output: z.object({
        ok: z.boolean(),
        model: z.string(),
        modality,
        project: z.string(),
        latencyMs: z.number(),
        ttfbMs: z.number().nullable(),
        sample: z.string().nullable(),
        error: z.string().nullable(),
      }),
      annotations: { openWorldHint: true },
    },
    async ({ model, modality: m, project }) => {
      await gw.ready;
      const billed = project ? ctx.gw.requireProject(project).id : gw.activeProject().id;
      const used = m ?? probeModality(gw, model);
      const result = await probeModel(gw, used, model, billed);
      await gw.ledger.audit({
        ts: gw.clock(),
        actor: ctx.actor.name,
        source: ctx.actor.source,
        action: 'provider.test',
        target: model,
        detail: JSON.stringify({ modality: used, project: billed, ok: result.ok }),
      });
      const summary = result.ok
        ? `${model} (${used}) answered in ${result.latencyMs} ms (first output after ${result.ttfbMs ?? '?'} ms): ${result.sample ?? ''}`
        : `${model} (${used}) failed after ${result.latencyMs} ms: ${result.error}`;
      return { summary, data: result };
    },
  );

  defineTool(
    server,
    ctx,
    'list_models',
    {
      title: 'List models and prices',
      description: 'Known models with their prices (USD per minute of audio, per 1M tokens or per 1M characters), where each price comes from and when it was read.',
      input: z.strictObject({
        modality: modality.optional(),
        provider: z.string().min(1).optional().describe('e.g. "openai"'),
      }),
      output: z.object({ models: z.array(modelView), count: z.number() }),
      annotations: { readOnlyHint: true },
    },
    async ({ modality: m, provider }) => {
      const models = gw
        .priceCatalog({ modality: m })
        .rows.filter((e) => !provider || e.model.startsWith(`${provider}/`))
        .map(toModelView);
      const byModality = (['stt', 'llm', 'tts'] as const).map((x) => `${models.filter((e) => e.modality === x).length} ${x.toUpperCase()}`).join(', ');
      return { summary: `${models.length} priced model(s) (${byModality})`, data: { models, count: models.length } };
    },
  );
}
