import { ApiError, api, type BudgetEventView, type BudgetSeries, type Period, type ProjectView } from '../client.js';
import { budgetLine, chartBox, doughnut, MODALITY_COLORS, rankBars, setChartData, stackedBars } from '../charts.js';
import { budgetEventColumns, guardrailColumns, logColumns, sessionColumns } from '../columns.js';
import { budgetGauge, emptyState, panel, sourceBadge, stat, tagChips, updateTags } from '../components.js';
import { h, setText, show } from '../dom.js';
import { count, dayLabel, usd } from '../format.js';
import { choiceFilter, isPeriod, type Page, pageHeader, PERIODS, type RefreshContext, type Route, writeQuery } from '../page.js';
import { dataTable } from '../table.js';
import { guardrailPolicyPanel } from './guardrail-policy.js';
import type { AppServices } from '../page.js';

export function projectPage(route: Route, services: AppServices): Page {
  const id = route.id!;
  let period: Period = isPeriod(route.query.get('period')) ? (route.query.get('period') as Period) : 'month';

  const header = pageHeader(id);
  const badgeSlot = h('span');
  const tags = tagChips([]);
  const description = h('span', { class: 'muted' });
  header.subtitle.append(h('span', { class: 'mono' }, id), badgeSlot, tags, description);

  const gauge = budgetGauge();
  const resets = h('div', { class: 'muted small' });
  const events = dataTable(budgetEventColumns, (e) => `${e.time}|${e.kind}`, { testid: 'table-budget-events', empty: emptyState('No budget events today', 'The warning at 80% and the action taken at 100% are listed here.') });
  const gaugePanel = panel('Budget today', 'panel-budget');
  gaugePanel.body.append(gauge.el, resets, h('h3', null, 'Budget events'), events.el);
  const spend = stat('Spend today', 'stat-project-spend-today');
  const requests = stat('Requests today', 'stat-project-requests-today');
  const month = stat('Last 30 days', 'stat-project-month');
  const remaining = stat('Remaining today', 'stat-project-remaining');

  const usage = chartBox('chart-budget', 300);
  const noBudget = h('p', { class: 'muted small' }, 'No daily budget is set: the chart shows spend only. Set daily_budget to get warning (80%) and limit (100%) lines.');
  const usagePanel = panel('Budget utilisation today', 'panel-budget-series');
  usagePanel.body.append(usage.box, noBudget);

  const trend = chartBox('chart-project-trend', 240);
  const trendPanel = panel('Daily spend, last 30 days', 'panel-project-trend');
  trendPanel.body.append(trend.box);

  const periodPick = choiceFilter('Period', 'filter-period', PERIODS, period, (v) => {
    period = v;
    writeQuery(route, { period: v });
    void refreshBreakdown();
  });
  const provider = chartBox('chart-by-provider', 220);
  const model = chartBox('chart-by-model', 220);
  const breakdownEmpty = emptyState('No requests in this period', 'Pick a longer period, or make a request with this project active.');
  const breakdown = panel('Cost by provider and model', 'panel-breakdown', periodPick.el);
  breakdown.body.append(h('div', { class: 'grid-2' }, provider.box, model.box), breakdownEmpty);

  const logs = dataTable(logColumns(false), (r) => r.id, {
    testid: 'table-requests',
    empty: emptyState('No requests yet', `Requests billed to '${id}' appear here: call inference.setProject('${id}') in your agent, or pass { project: '${id}' } to a drop-in.`),
  });
  const sessions = dataTable(sessionColumns(false), (s) => s.id, { testid: 'table-sessions', empty: emptyState('No sessions yet', 'Each AgentSession’s STT, LLM and TTS cost, with its cost per minute, shows here once it has made requests.') });
  // the hint depends on whether the project has guardrails at all (set on each refresh)
  const guardHint = h('p', { testid: 'guardrails-empty-hint' });
  const guard = dataTable(guardrailColumns, (e) => `${e.ts}|${e.requestId}|${e.detector}|${e.category}|${e.direction}`, {
    testid: 'table-guardrails',
    empty: emptyState('No guardrail events', guardHint),
  });
  const requestsPanel = panel('Recent requests');
  requestsPanel.body.append(logs.el);
  const sessionsPanel = panel('Recent sessions');
  sessionsPanel.body.append(sessions.el);
  const guardPanel = panel('Guardrail events');
  guardPanel.body.append(guard.el);
  const policy = guardrailPolicyPanel(id, services, (v) =>
    setText(
      guardHint,
      v.enabled
        ? 'Guardrails are on for this project: nothing has been redacted, blocked or flagged yet.'
        : v.source === 'runtime'
          ? 'Choose an action in the guardrail policy above to redact or block PII, financial data and prompt injection.'
          : 'Enable guardrails for this project in voicegw.yaml to redact or block PII, financial data and prompt injection.',
    ),
  );

  const content = h(
    'div',
    { class: 'stack' },
    h('div', { class: 'stats' }, spend.el, requests.el, month.el, remaining.el),
    h('div', { class: 'grid-1-2' }, gaugePanel.el, usagePanel.el),
    trendPanel.el,
    breakdown.el,
    requestsPanel.el,
    sessionsPanel.el,
    policy.el,
    guardPanel.el,
  );
  const missing = emptyState(`Project '${id}' not found`, h('p', null, 'It may have been deleted. ', h('a', { attrs: { href: '#/projects' } }, 'See all projects'), '.'));
  show(missing, false);
  const el = h('div', { class: 'page', testid: 'page-project' }, header.el, missing, content);

  const budgetChart = budgetLine(usage.canvas);
  const trendChart = stackedBars(trend.canvas, [
    { label: 'STT', color: MODALITY_COLORS.stt },
    { label: 'LLM', color: MODALITY_COLORS.llm },
    { label: 'TTS', color: MODALITY_COLORS.tts },
    { label: 'Realtime', color: MODALITY_COLORS.realtime },
  ]);
  const providerChart = doughnut(provider.canvas);
  const modelChart = rankBars(model.canvas);
  let lastSource = '';

  async function refreshBreakdown() {
    const c = await api.costs({ project: id, period });
    const any = c.requests > 0;
    show(provider.box.parentElement!, any);
    show(breakdownEmpty, !any);
    setChartData(providerChart, c.byProvider.map((b) => b.key), [c.byProvider.map((b) => b.costUsd)]);
    setChartData(modelChart, c.byModel.map((b) => b.key), [c.byModel.map((b) => b.costUsd)]);
  }

  function updateHeader(p: ProjectView) {
    setText(header.title, p.name);
    document.title = `${p.name} · voicegateway`;
    if (lastSource !== p.source) {
      badgeSlot.replaceChildren(sourceBadge(p.source));
      lastSource = p.source;
    }
    updateTags(tags, p.tags);
    setText(description, p.description);
    gauge.update(p);
  }

  return {
    el,
    async refresh(ctx: RefreshContext) {
      const p = ctx.projects.find((x) => x.id === id);
      show(missing, !p);
      show(content, !!p);
      if (!p) return;
      updateHeader(p);
      const [budget, today, monthCosts, days, series, evts, recent, sess, guardEvents] = await Promise.all([
        api.budget(id),
        api.costs({ project: id, period: 'today' }),
        api.costs({ project: id, period: 'month' }),
        api.trend({ project: id, days: 30 }).then((t) => t.days),
        api.budgetSeries(id),
        api.budgetEvents(id),
        api.logs({ project: id, limit: 15 }),
        api.sessions({ project: id, limit: 10 }),
        api.guardrailEvents({ project: id, limit: 20 }),
        policy.refresh(),
        refreshBreakdown(),
      ]).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) show(missing, true);
        throw e;
      });
      gauge.update({ spent_today: budget.spentUsd, daily_budget: budget.budgetUsd, budget_status: budget.status, budget_action: budget.action });
      setText(resets, `Day ${budget.day} (${series.timeZone}) · resets ${new Date(budget.resetsAt).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' })}`);
      remaining.set(budget.budgetUsd > 0 ? usd(budget.remainingUsd ?? 0) : 'no limit', budget.budgetUsd > 0 ? `of ${usd(budget.budgetUsd)} · ${budget.action} at 100%` : 'set daily_budget to cap spend', budget.status === 'ok' ? '' : budget.status === 'warning' ? 'warn' : 'bad');
      spend.set(usd(today.totalUsd), today.unpriced ? `${count(today.unpriced)} unpriced request(s) not counted` : `${count(today.byProvider.length)} provider(s)`, today.unpriced ? 'warn' : '');
      requests.set(count(today.requests), `${count(today.byModel.length)} model(s)`);
      month.set(usd(monthCosts.totalUsd), `${count(monthCosts.requests)} requests`);
      updateBudgetChart(series, evts);
      setChartData(trendChart, days.map((d) => dayLabel(d.day)), [days.map((d) => d.stt), days.map((d) => d.llm), days.map((d) => d.tts), days.map((d) => d.realtime)]);
      events.update(evts);
      logs.update(recent);
      sessions.update(sess);
      guard.update(guardEvents);
    },
    destroy() {
      for (const c of [budgetChart, trendChart, providerChart, modelChart]) c.destroy();
    },
  };

  function updateBudgetChart(series: BudgetSeries, evts: BudgetEventView[]) {
    const clock = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: series.timeZone });
    const labels = series.points.map((pt, i) => {
      const text = clock.format(new Date(pt.t));
      return i === series.points.length - 1 && text === '00:00' ? '24:00' : text;
    });
    const spent = series.points.map((pt) => pt.spentUsd);
    const limited = series.budgetUsd > 0;
    const warnLine = limited ? series.points.map(() => series.budgetUsd * 0.8) : [];
    const limitLine = limited ? series.points.map(() => series.budgetUsd) : [];
    const marks: (number | null)[] = series.points.map(() => null);
    const start = Date.parse(series.points[0]?.t ?? '');
    for (const e of evts) {
      if (e.day !== series.day) continue;
      // points are bucket ends: an event belongs to the first point at or after it
      const i = Math.ceil((Date.parse(e.time) - start) / (series.bucketMinutes * 60_000));
      if (i >= 0 && i < marks.length) marks[i] = e.spentUsd;
    }
    show(noBudget, !limited);
    setChartData(budgetChart, labels, [spent, warnLine, limitLine, marks]);
  }
}
