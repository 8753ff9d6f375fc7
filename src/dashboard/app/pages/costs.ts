import { api, type CostsResult, type Period, type ProjectView } from '../client.js';
import { chartBox, doughnut, MODALITY_COLORS, PALETTE, rankBars, setChartData } from '../charts.js';
import { emptyState, panel, stat } from '../components.js';
import { h, setText, show } from '../dom.js';
import { count, isoDay, MODALITY_LABEL, percent, usd } from '../format.js';
import { choiceFilter, isPeriod, type Page, pageHeader, PERIODS, projectFilter, type RefreshContext, type Route, writeQuery } from '../page.js';
import { dataTable } from '../table.js';

type Bucket = CostsResult['byModel'][number] & { share: number };

export function costsPage(route: Route, services: { refreshNow(): void }): Page {
  let period: Period = isPeriod(route.query.get('period')) ? (route.query.get('period') as Period) : 'today';
  const project = projectFilter(route.query.get('project') ?? '', (v) => {
    writeQuery(route, { project: v });
    services.refreshNow();
  });
  const periodPick = choiceFilter('Period', 'filter-period', PERIODS, period, (v) => {
    period = v;
    writeQuery(route, { period: v });
    services.refreshNow();
  });
  const header = pageHeader('Costs', '', project.el, periodPick.el);

  const total = stat('Total spend', 'stat-costs-total');
  const requests = stat('Requests', 'stat-costs-requests');
  const perRequest = stat('Average per request', 'stat-costs-average');
  const unpriced = stat('Unpriced requests', 'stat-costs-unpriced');

  const modality = chartBox('chart-by-modality', 220);
  const provider = chartBox('chart-costs-provider', 220);
  const model = chartBox('chart-costs-model', 260);
  const projects = chartBox('chart-costs-project', 260);
  const charts = h(
    'div',
    { class: 'stack' },
    h('div', { class: 'grid-2' }, withPanel('By modality', modality.box), withPanel('By provider', provider.box)),
    h('div', { class: 'grid-2' }, withPanel('By model', model.box), withPanel('By project', projects.box)),
  );
  const nothing = emptyState('No requests in this period', 'Choose a longer period or another project. New requests appear here within 5 seconds.');

  const breakdownColumns = (label: string) => [
    { head: label, text: (b: Bucket) => b.key },
    { head: 'Requests', cls: 'num', text: (b: Bucket) => count(b.requests) },
    { head: 'Unpriced', cls: 'num', text: (b: Bucket) => (b.unpriced ? count(b.unpriced) : '—') },
    { head: 'Cost', cls: 'num strong', text: (b: Bucket) => usd(b.costUsd) },
    { head: 'Share', cls: 'num', text: (b: Bucket) => percent(b.share * 100) },
  ];
  const modelTable = dataTable(breakdownColumns('Model'), (b) => b.key, { testid: 'table-costs-model', empty: emptyState('No models used in this period') });
  const modelPanel = panel('Cost by model');
  modelPanel.body.append(modelTable.el);

  const el = h('div', { class: 'page', testid: 'page-costs' }, header.el, h('div', { class: 'stats' }, total.el, requests.el, perRequest.el, unpriced.el), nothing, charts, modelPanel.el);

  const modalityChart = doughnut(modality.canvas);
  const providerChart = doughnut(provider.canvas);
  const modelChart = rankBars(model.canvas);
  const projectChart = rankBars(projects.canvas);

  return {
    el,
    async refresh(ctx: RefreshContext) {
      project.update(ctx.projects);
      const c = await api.costs({ project: project.value() || undefined, period });
      setText(header.subtitle, `${PERIODS.find((p) => p.value === period)!.label} · ${isoDay(c.period.from, c.period.timeZone)} to ${isoDay(Date.parse(c.period.to) - 1, c.period.timeZone)} (${c.period.timeZone})`);
      total.set(usd(c.totalUsd), c.project ? nameOf(ctx.projects, c.project) : 'all projects');
      requests.set(count(c.requests), `${count(c.byModel.length)} model(s), ${count(c.byProvider.length)} provider(s)`);
      const priced = c.requests - c.unpriced;
      perRequest.set(priced > 0 ? usd(c.totalUsd / priced) : '—', 'priced requests only');
      unpriced.set(count(c.unpriced), c.unpriced ? 'no known price: add them under prices: in voicegw.yaml' : 'every request has a price', c.unpriced ? 'warn' : '');
      show(nothing, c.requests === 0);
      show(charts, c.requests > 0);
      const mod = c.byModality;
      setChartData(modalityChart, mod.map((b) => MODALITY_LABEL[b.key] ?? b.key), [mod.map((b) => b.costUsd)], mod.map((b) => MODALITY_COLORS[b.key as keyof typeof MODALITY_COLORS] ?? PALETTE[0]!));
      setChartData(providerChart, c.byProvider.map((b) => b.key), [c.byProvider.map((b) => b.costUsd)]);
      setChartData(modelChart, c.byModel.map((b) => b.key), [c.byModel.map((b) => b.costUsd)]);
      setChartData(projectChart, c.byProject.map((b) => nameOf(ctx.projects, b.key)), [c.byProject.map((b) => b.costUsd)]);
      modelTable.update(c.byModel.map((b) => ({ ...b, share: c.totalUsd > 0 ? b.costUsd / c.totalUsd : 0 })));
    },
    destroy() {
      for (const chart of [modalityChart, providerChart, modelChart, projectChart]) chart.destroy();
    },
  };
}

function withPanel(title: string, content: HTMLElement): HTMLElement {
  const p = panel(title);
  p.body.append(content);
  return p.el;
}

function nameOf(projects: ProjectView[], id: string): string {
  return projects.find((p) => p.id === id)?.name ?? id;
}
