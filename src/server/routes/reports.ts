import type { Hono } from 'hono';
import { z } from 'zod';
import type { Gateway } from '../../gateway.js';
import { resolvePeriod } from '../../periods.js';
import { ApiError } from '../errors.js';
import { parseQuery, pathParam, q } from '../validate.js';
import { statusOf } from '../views.js';

const costsQuery = z.strictObject({
  project: q.project.optional(),
  period: z.string().max(16).optional(),
  from: q.instant.optional(),
  to: q.instant.optional(),
});
const logsQuery = z.strictObject({
  project: q.project.optional(),
  modality: q.modality.optional(),
  session: q.project.optional(),
  limit: q.limit(1000).optional(),
});
const listQuery = z.strictObject({ project: q.project.optional(), limit: q.limit(1000).optional() });
const limitOnly = z.strictObject({ limit: q.limit(1000).optional() });
const noQuery = z.strictObject({});

const iso = (ts: number) => new Date(ts).toISOString();

/** Read-only reports: the facade's shapes (camelCase), USD at the edge. */
export function reportRoutes(app: Hono, gw: Gateway): void {
  app.get('/v1/costs', async (c) => {
    const query = parseQuery(c, costsQuery);
    const period = resolvePeriod(query, gw.timeZoneOf(query.project), gw.clock());
    return c.json(await gw.reports.costs({ project: query.project, period }));
  });

  app.get('/v1/logs', async (c) => {
    const query = parseQuery(c, logsQuery);
    return c.json({ logs: await gw.reports.logs(query) });
  });

  app.get('/v1/sessions', async (c) => {
    const query = parseQuery(c, listQuery);
    return c.json({ sessions: await gw.reports.sessions(query) });
  });

  app.get('/v1/sessions/:id', async (c) => {
    parseQuery(c, noQuery);
    const id = pathParam(c, 'id');
    const session = await gw.reports.session(id);
    if (!session) throw new ApiError(404, 'not_found', `Session '${id}' not found`, 'id');
    const logs = await gw.reports.logs({ session: id, limit: 1000 });
    return c.json({ ...session, logs });
  });

  app.get('/v1/budget/:project', async (c) => {
    parseQuery(c, noQuery);
    const id = pathParam(c, 'project');
    gw.requireProject(id);
    return c.json(await statusOf(gw, id));
  });

  app.get('/v1/guardrails/events', async (c) => {
    const query = parseQuery(c, listQuery);
    await gw.ready;
    const events = await gw.ledger.guardrailEvents({ project: query.project, limit: query.limit ?? 100 });
    return c.json({ events: events.map((e) => ({ ...e, time: iso(e.ts) })) });
  });

  app.get('/v1/audit', async (c) => {
    const query = parseQuery(c, limitOnly);
    await gw.ready;
    const events = await gw.ledger.auditLog({ limit: query.limit ?? 100 });
    return c.json({ events: events.map((e) => ({ ...e, time: iso(e.ts) })) });
  });
}
