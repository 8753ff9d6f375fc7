import { api, type CostsResult, type TrendDay } from '../client.js';
import { chartBox, MODALITY_COLORS, rankBars, setChartData, stackedBars } from '../charts.js';
import { code, emptyState, panel, projectCard, stat } from '../components.js';
import { h, reconcile, setText, show } from '../dom.js';
import { count, dayLabel, usd } from '../format.js';
import { type Page, pageHeader, type RefreshContext } from '../page.js';

const QUICKSTART = `import { inference } from 'voicegateway';

inference.setProject('customer-support');
const session = new voice.AgentSession({
  stt: new inference.STT('deepgram/nova-3'),
  llm: new inference.LLM('openai/gpt-4.1-mini'),
  tts: new inference.TTS('cartesia/sonic-3:<voice-id>'),
});`;

export function overviewPage(): Page {
  const header = pageHeader('Overview', 'Spend today across all projects');
  const spend = stat('Spend today', 'stat-spend-today');
  const requests = stat('Requests today', 'stat-requests-today');
  const models = stat('Active models', 'stat-active-models');
  const projectsStat = stat('Projects', 'stat-projects');

  const gettingStarted = h(
    'section',
    { class: 'panel callout', testid: 'getting-started' },
    emptyState(
      'No requests metered yet',
      'Swap your agent’s STT, LLM and TTS for the voicegateway drop-ins and run a call: its cost appears here within seconds.',
      code(QUICKSTART),
      h('p', null, 'Create a project for each agent or environment on the ', h('a', { attrs: { href: '#/projects' } }, 'Projects'), ' page, or under projects: in voicegw.yaml.'),
    ),
  );
  show(gettingStarted, false);

  // budget alerts that could not be delivered: the operator would otherwise never hear of them
  const alertFailures = h('section', { class: 'panel callout', testid: 'alert-failures' });
  show(alertFailures, false);

  const cards = h('div', { class: 'card-grid', testid: 'project-cards' });
  const trend = chartBox('chart-trend', 260);
  const byProject = chartBox('chart-by-project', 260);
  const trendPanel = panel('Spend, last 30 days', 'panel-trend');
  trendPanel.body.append(trend.box);
  const projectPanel = panel('Today by project', 'panel-today-projects');
  const noSpendToday = emptyState('Nothing spent today yet', 'Requests made by your agents today show up here, split by project.');
  projectPanel.body.append(byProject.box, noSpendToday);

  const el = h(
    'div',
    { class: 'page', testid: 'page-overview' },
    header.el,
    h('div', { class: 'stats' }, spend.el, requests.el, models.el, projectsStat.el),
    gettingStarted,
    alertFailures,
    h('div', { class: 'section-title' }, 'Projects'),
    cards,
    h('div', { class: 'grid-2-1' }, trendPanel.el, projectPanel.el),
  );

  const trendChart = stackedBars(trend.canvas, [
    { label: 'STT', color: MODALITY_COLORS.stt },
    { label: 'LLM', color: MODALITY_COLORS.llm },
    { label: 'TTS', color: MODALITY_COLORS.tts },
    { label: 'Realtime', color: MODALITY_COLORS.realtime },
  ]);
  const projectChart = rankBars(byProject.canvas);

  return {
    el,
    async refresh(ctx: RefreshContext) {
      const [today, days, status] = await Promise.all([api.costs({ period: 'today' }), api.trend({ days: 30 }).then((t) => t.days), api.status().catch(() => null)]);
      const failed = status?.alerts?.failed ?? [];
      show(alertFailures, failed.length > 0);
      alertFailures.replaceChildren(
        emptyState(
          `${count(failed.length)} budget alert(s) could not be delivered`,
          ...failed.slice(0, 5).map((f) => `${f.event} for '${f.project}' on ${f.day} to ${f.target}: ${f.lastError ?? 'failed'} after ${f.attempts} attempt(s)`),
          'Check alerts.webhooks in voicegw.yaml, then run: voicegw alerts test',
        ),
      );
      const names = new Map(ctx.projects.map((p) => [p.id, p.name]));
      setText(header.subtitle, `Spend today across all projects · day in ${today.period.timeZone}`);
      spend.set(usd(today.totalUsd), today.unpriced ? `${count(today.unpriced)} unpriced request(s) not counted` : 'all projects, known prices', today.unpriced ? 'warn' : '');
      requests.set(count(today.requests), `${count(today.byProvider.length)} provider(s)`);
      models.set(count(today.byModel.length), today.byModel.slice(0, 2).map((b) => b.key).join(', ') || 'none used today');
      const over = ctx.projects.filter((p) => p.budget_status === 'exceeded').length;
      const warn = ctx.projects.filter((p) => p.budget_status === 'warning').length;
      projectsStat.set(count(ctx.projects.length), over || warn ? `${over} over budget · ${warn} near budget` : 'all within budget', over ? 'bad' : warn ? 'warn' : '');

      show(gettingStarted, today.requests === 0 && !hasSpend(days));
      reconcile(cards, ctx.projects, (p) => p.id, projectCard);
      updateTrend(days);
      updateByProject(today, names);
    },
    destroy() {
      trendChart.destroy();
      projectChart.destroy();
    },
  };

  function updateTrend(days: TrendDay[]) {
    setChartData(trendChart, days.map((d) => dayLabel(d.day)), [days.map((d) => d.stt), days.map((d) => d.llm), days.map((d) => d.tts), days.map((d) => d.realtime)]);
  }

  function updateByProject(today: CostsResult, names: Map<string, string>) {
    const rows = today.byProject.filter((b) => b.costUsd > 0 || b.requests > 0);
    show(byProject.box, rows.length > 0);
    show(noSpendToday, rows.length === 0);
    setChartData(projectChart, rows.map((b) => names.get(b.key) ?? b.key), [rows.map((b) => b.costUsd)]);
  }
}

function hasSpend(days: TrendDay[]): boolean {
  return days.some((d) => d.stt + d.llm + d.tts + d.realtime > 0);
}
