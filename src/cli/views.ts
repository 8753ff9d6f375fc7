import type { BudgetStatus } from '../budget/enforcer.js';
import type { Gateway } from '../gateway.js';
import type { Project } from '../projects.js';
import { CliError } from './context.js';
import { money } from './format.js';

/** A project as `--json` prints it (the same snake_case fields as the HTTP API). */
export function projectJson(p: Project, b: BudgetStatus) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    tags: p.tags,
    daily_budget: p.dailyBudgetUsd,
    budget_action: p.budgetAction,
    source: p.source,
    read_only: p.source !== 'runtime',
    spent_today: b.spentUsd,
    budget_status: b.status,
  };
}

/** The project, or exit 1 naming the projects that do exist. */
export function requireProject(gw: Gateway, id: string): Project {
  const p = gw.project(id);
  if (!p) throw new CliError(`Unknown project '${id}'. Defined projects: ${gw.projects().map((x) => x.id).join(', ')}`);
  return p;
}

export function budgetLabel(usd: number): string {
  return usd > 0 ? money(usd) : 'none';
}
