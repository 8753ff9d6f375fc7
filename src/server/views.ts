import type { BudgetStatus } from '../budget/enforcer.js';
import type { Gateway } from '../gateway.js';
import type { Project } from '../projects.js';
import type { BudgetLevel } from '../types.js';

/** A project as the API shows it: snake_case fields mirroring voicegw.yaml. */
export interface ProjectView {
  id: string;
  name: string;
  description: string;
  tags: string[];
  daily_budget: number;
  budget_action: Project['budgetAction'];
  /** `yaml` and `auto` (the implicit `default`) are read-only at run time */
  source: Project['source'];
  read_only: boolean;
  spent_today: number;
  budget_status: BudgetLevel;
}

export function projectView(p: Project, b: BudgetStatus): ProjectView {
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

export async function listProjectViews(gw: Gateway): Promise<ProjectView[]> {
  return Promise.all(gw.projects().map(async (p) => projectView(p, await gw.budgetStatus(p.id))));
}

/** Project detail: the list fields plus today's budget state and spend by modality. */
export async function projectDetail(gw: Gateway, p: Project) {
  const [budget, today] = await Promise.all([gw.budgetStatus(p.id), gw.reports.costs({ project: p.id, period: 'today' })]);
  return {
    ...projectView(p, budget),
    budget,
    today: { totalUsd: today.totalUsd, requests: today.requests, unpriced: today.unpriced, byModality: today.byModality },
    guardrails: gw.guardrails(p.id) !== null,
  };
}

/** A postgres URL's password never leaves the process. */
export function safeLocation(location: string): string {
  return location.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
