import type { Gateway } from '../gateway.js';
import type { Project } from '../projects.js';
import { CliError } from './context.js';
import { money } from './format.js';

export { projectView as projectJson } from '../projects.js';

/** The project, or exit 1 naming the projects that do exist. */
export function requireProject(gw: Gateway, id: string): Project {
  const p = gw.project(id);
  if (!p) throw new CliError(`Unknown project '${id}'. Defined projects: ${gw.projects().map((x) => x.id).join(', ')}`);
  return p;
}

export function budgetLabel(usd: number): string {
  return usd > 0 ? money(usd) : 'none';
}
