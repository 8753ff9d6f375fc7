import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { Actor } from '../../admin.js';
import type { Gateway } from '../../gateway.js';
import { guardrailEditSchema } from '../../project-guardrails.js';
import { projectInputSchema, projectPatchSchema } from '../../projects.js';
import { parseJsonBody, parseQuery, pathParam } from '../validate.js';
import { listProjectViews, projectDetail, projectView, statusOf } from '../views.js';

const noQuery = z.strictObject({});

function actor(c: Context): Actor {
  return { name: c.get('voicegwPrincipal')?.name ?? 'anonymous', source: 'api' };
}

/** Runs writes one at a time: a PATCH racing a DELETE of the same project must not see it half-gone. */
function serialized(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Projects: YAML ones are read-only; runtime ones are created, edited and deleted here (audit-logged). */
export function projectRoutes(app: Hono, gw: Gateway): void {
  const write = serialized();

  app.get('/v1/projects', async (c) => {
    parseQuery(c, noQuery);
    return c.json({ projects: await listProjectViews(gw) });
  });

  app.get('/v1/projects/:id', async (c) => {
    parseQuery(c, noQuery);
    const p = gw.requireProject(pathParam(c, 'id'));
    return c.json(await projectDetail(gw, p));
  });

  app.post('/v1/projects', async (c) => {
    parseQuery(c, noQuery);
    const input = await parseJsonBody(c, projectInputSchema);
    const p = await write(() => gw.admin.create(input, actor(c)));
    const view = projectView(p, await statusOf(gw, p.id));
    return c.json(view, 201, { Location: `/v1/projects/${encodeURIComponent(p.id)}` });
  });

  app.patch('/v1/projects/:id', async (c) => {
    parseQuery(c, noQuery);
    const id = pathParam(c, 'id');
    gw.requireProject(id);
    const patch = await parseJsonBody(c, projectPatchSchema);
    const p = await write(() => gw.admin.update(id, patch, actor(c)));
    return c.json(projectView(p, await statusOf(gw, p.id)));
  });

  app.delete('/v1/projects/:id', async (c) => {
    parseQuery(c, noQuery);
    const id = pathParam(c, 'id');
    const removed = await write(() => gw.admin.delete(id, actor(c)));
    return c.json({ deleted: removed.id });
  });

  // a project's guardrails: every category's action and where it is set; runtime projects are steered here
  app.get('/v1/projects/:id/guardrails', (c) => {
    parseQuery(c, noQuery);
    return c.json(gw.guardrailsView(pathParam(c, 'id')));
  });

  app.put('/v1/projects/:id/guardrails', async (c) => {
    parseQuery(c, noQuery);
    const id = pathParam(c, 'id');
    gw.requireProject(id);
    const edit = await parseJsonBody(c, guardrailEditSchema);
    await write(() => gw.admin.editGuardrails(id, edit, actor(c)));
    return c.json(gw.guardrailsView(id));
  });

  app.delete('/v1/projects/:id/guardrails', async (c) => {
    parseQuery(c, noQuery);
    const id = pathParam(c, 'id');
    gw.requireProject(id);
    await write(() => gw.admin.clearGuardrails(id, actor(c)));
    return c.json(gw.guardrailsView(id));
  });
}
