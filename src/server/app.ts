import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { methodNotAllowed } from 'hono/method-not-allowed';
import type { Gateway } from '../gateway.js';
import { hostRefusal } from '../host-guard.js';
import { NOT_A_PROVIDER } from '../errors.js';
import { packageVersion } from '../version.js';
import { bearerAuth, loadApiKeys } from './auth.js';
import { ApiError, errorResponse, toApiError } from './errors.js';
import { GatewayMetrics, type MetricsOptions } from './metrics.js';
import { projectRoutes } from './routes/projects.js';
import { reportRoutes } from './routes/reports.js';
import { statusRoutes } from './routes/status.js';

export interface AppOptions {
  /** extra routes on the same app (the CLI mounts the dashboard here) */
  extraRoutes?: (app: Hono) => void;
  metrics?: MetricsOptions;
  /** the address the server listens on (default `server.host`): requests may name it in Host */
  boundHost?: string;
}

const MAX_BODY_BYTES = 64 * 1024;

/** Paths model providers serve (OpenAI-style, Deepgram, Cartesia): a client calling one here has a provider base_url pointing at this server. */
const PROVIDER_PATHS = /^\/(v1\/)?(audio|chat|completions|embeddings|models|responses|realtime|listen|speak|tts|stt)(\/|$)/;
/** Marks every answer, so a provider client that reached a voicegateway server instead of its provider can say so. */
export const GATEWAY_HEADER = 'X-Voicegateway';

/** The HTTP API over one Gateway: `/health` public, everything under `/v1` and `/metrics` behind bearer auth when keys exist. */
export function createApp(gw: Gateway, opts: AppOptions = {}): Hono {
  const app = new Hono();
  const keys = loadApiKeys(gw);
  const metrics = new GatewayMetrics(gw, opts.metrics);

  app.onError((err, c) => errorResponse(c, toApiError(err)));
  app.notFound((c) => errorResponse(c, new ApiError(404, 'not_found', 'No such endpoint; see GET /v1/status and the API docs')));

  app.use('*', metrics.httpMiddleware());
  app.use('*', async (c, next) => {
    await next();
    c.header(GATEWAY_HEADER, packageVersion());
  });
  const hosts = { boundHost: opts.boundHost ?? gw.config.server.host, allowedHosts: gw.config.server.allowed_hosts };
  app.use('*', async (c, next) => {
    const refusal = hostRefusal(hosts, new URL(c.req.url).host, c.req.header('origin'));
    if (refusal) return errorResponse(c, new ApiError(403, 'host_not_allowed', refusal));
    return next();
  });
  app.use(
    '*',
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        errorResponse(c, new ApiError(405, 'method_not_allowed', `Use ${methods.join(', ')} on this endpoint`), { Allow: methods.join(', ') }),
    }),
  );
  // before auth: a provider client sends its own key, and "invalid bearer token" would mislead
  app.use('*', async (c, next) => {
    if (!PROVIDER_PATHS.test(c.req.path)) return next();
    return errorResponse(c, new ApiError(404, 'not_a_provider', NOT_A_PROVIDER));
  });
  const auth = bearerAuth(keys);
  app.use('/v1/*', auth);
  app.use('/v1', auth);
  app.use('/metrics', auth);
  app.use(
    '/v1/*',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => errorResponse(c, new ApiError(413, 'payload_too_large', `Request body is too large (limit ${MAX_BODY_BYTES / 1024} KiB)`)) }),
  );

  statusRoutes(app, gw, { authEnabled: keys.length > 0, startedAt: Date.now() });
  projectRoutes(app, gw);
  reportRoutes(app, gw);
  app.get('/metrics', async (c) => {
    let text: string;
    try {
      text = await metrics.render();
    } catch (err) {
      return errorResponse(c, new ApiError(503, 'unavailable', `Metrics are unavailable: the ledger could not be read (${err instanceof Error ? err.message : String(err)})`));
    }
    return c.body(text, 200, { 'Content-Type': metrics.contentType });
  });

  opts.extraRoutes?.(app);
  return app;
}
