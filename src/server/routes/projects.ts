import type { Context, Hono } from 'hono';
import type { Actor } from '../../admin.js';
import type { Gateway } from '../../gateway.js';
import { projectInputSchema, projectPatchSchema } from '../../projects.js';
import { ApiError } from '../errors.js';
import { parseJsonBody, parseQuery, pathParam } from '../validate.js';
import { listProjectViews, projectDetail, projectView } from '../views.js';
import { z } from 'zod';

const noQuery = z.strictObject({});

function actor(c: Context): Actor {
  return { name: c.get('voicegwPrincipal')?.name ?? 'anonymous', source: 'api' };
}

function requireProject(gw: Gateway, id: string) {
  const p = gw.project(id);
  if (!p) throw new ApiError(404, 'not_found', `Project '${id}' not found`, 'id');
  return p;
}

/** Projects: YAML ones are read-only; runtime ones are created, edited and deleted here (audit-logged). */
export function projectRoutes(app: Hono, gw: Gateway): void {
  app.get('/v1/projects', async (c) => {
    parseQuery(c, noQuery);
    return c.json({ projects: await listProjectViews(gw) });
  });

  app.get('/v1/projects/:id', async (c) => {
    parseQuery(c, noQuery);
    const p = requireProject(gw, pathParam(c, 'id'));
    return c.json(await projectDetail(gw, p));
  });

  app.post('/v1/projects', async (c) => {
    parseQuery(c, noQuery);
    const input = await parseJsonBody(c, projectInputSchema);
    const p = await gw.admin.create(input, actor(c));
    const view = projectView(p, await gw.budgetStatus(p.id));
    return c.json(view, 201, { Location: `/v1/projects/${encodeURIComponent(p.id)}` });
  });

  app.patch('/v1/projects/:id', async (c) => {
    parseQuery(c, noQuery);
    const id = pathParam(c, 'id');
    requireProject(gw, id);
    const patch = await parseJsonBody(c, projectPatchSchema);
    const p = await gw.admin.update(id, patch, actor(c));
    return c.json(projectView(p, await gw.budgetStatus(p.id)));
  });

  app.delete('/v1/projects/:id', async (c) => {
    parseQuery(c, noQuery);
    const removed = await gw.admin.delete(pathParam(c, 'id'), actor(c));
    return c.json({ deleted: removed.id });
  });
}
