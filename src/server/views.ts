import type { BudgetStatus } from '../budget/enforcer.js';
import type { Gateway } from '../gateway.js';
import type { Project } from '../projects.js';
import { MODALITIES } from '../types.js';
import { ApiError } from './errors.js';
import { type ProjectView, projectView } from '../projects.js';

export { type ProjectView, projectView };

/** Every project; one deleted by a concurrent request while the list is built is left out. */
export async function listProjectViews(gw: Gateway): Promise<ProjectView[]> {
  const views = await Promise.all(gw.projects().map(async (p) => projectView(p, await statusOf(gw, p.id))).map((v) => v.catch(goneAsNull)));
  return views.filter((v): v is ProjectView => v !== null);
}

/** The budget status, or a 404 when the project was deleted by a concurrent request meanwhile. */
export async function statusOf(gw: Gateway, id: string): Promise<BudgetStatus> {
  try {
    return await gw.budgetStatus(id);
  } catch (err) {
    gw.requireProject(id); // deleted meanwhile: 404
    throw err;
  }
}

function goneAsNull(err: unknown): null {
  if (err instanceof ApiError && err.status === 404) return null;
  throw err;
}

/** Project detail: the list fields plus today's budget state and spend by modality. */
export async function projectDetail(gw: Gateway, p: Project) {
  const [budget, today] = await Promise.all([statusOf(gw, p.id), gw.reports.costs({ project: p.id, period: 'today' })]);
  return {
    ...projectView(p, budget),
    budget,
    today: {
      totalUsd: today.totalUsd,
      requests: today.requests,
      unpriced: today.unpriced,
      // all three, zeros included, so clients need no special case for a quiet modality
      byModality: MODALITIES.map((m) => today.byModality.find((b) => b.key === m) ?? { key: m, costUsd: 0, requests: 0, unpriced: 0 }),
    },
    // checked in the same tick: a concurrent delete cannot slip in between
    guardrails: gw.project(p.id) ? gw.guardrails(p.id) !== null : false,
  };
}
