import { money } from './format.js';

export { projectView as projectJson } from '../projects.js';

export function budgetLabel(usd: number): string {
  return usd > 0 ? money(usd) : 'none';
}
