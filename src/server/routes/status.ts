import type { Hono } from 'hono';
import { z } from 'zod';
import type { Gateway } from '../../gateway.js';
import { packageVersion } from '../../version.js';
import { parseQuery } from '../validate.js';
import { maskUrls } from '../../secrets.js';

const noQuery = z.strictObject({});

/** `/health` (public liveness) and `/v1/status` (what is configured; keys masked). */
export function statusRoutes(app: Hono, gw: Gateway, opts: { authEnabled: boolean; startedAt: number }): void {
  app.get('/health', (c) =>
    c.json({ status: 'ok', version: packageVersion(), uptime_seconds: Math.round((Date.now() - opts.startedAt) / 1000) }),
  );

  app.get('/v1/status', async (c) => {
    parseQuery(c, noQuery);
    await gw.ready;
    const projects = gw.projects();
    return c.json({
      version: packageVersion(),
      config_path: gw.loaded.source,
      ledger: { kind: gw.ledger.kind, location: maskUrls(gw.ledger.location) },
      budget_timezone: gw.config.budget_timezone,
      default_project: gw.config.default_project ?? 'default',
      auth: { enabled: opts.authEnabled },
      projects: {
        total: projects.length,
        yaml: projects.filter((p) => p.source === 'yaml').length,
        runtime: projects.filter((p) => p.source === 'runtime').length,
      },
      providers: gw.providerSummary(),
    });
  });
}
