import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartDataset,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type TooltipItem,
} from 'chart.js';
import { h } from './dom.js';
import { axisUsd, usdFine } from './format.js';

// only the pieces used, so the bundle stays small
Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font').trim() || 'system-ui, sans-serif';
Chart.defaults.font.size = 12;
Chart.defaults.color = '#64748b';
Chart.defaults.borderColor = '#e2e8f0';
// refreshes swap data in place; animating them every 5 s would read as flicker
Chart.defaults.animation = false;
Chart.defaults.plugins.legend.labels.boxWidth = 10;
Chart.defaults.plugins.legend.labels.boxHeight = 10;

export const MODALITY_COLORS = { stt: '#0891b2', llm: '#6366f1', tts: '#f59e0b', realtime: '#db2777' } as const;
export const PALETTE = ['#6366f1', '#0891b2', '#f59e0b', '#10b981', '#ec4899', '#8b5cf6', '#ef4444', '#14b8a6', '#64748b', '#84cc16'];

type Kind = 'bar' | 'line' | 'doughnut';
export type AnyChart = Chart<Kind, (number | null)[], string>;

/** A canvas in a fixed-height box (Chart.js sizes itself to the box). */
export function chartBox(testid: string, height = 240): { box: HTMLDivElement; canvas: HTMLCanvasElement } {
  const canvas = h('canvas', { attrs: { role: 'img' } });
  const box = h('div', { class: 'chart-box', testid }, canvas);
  box.style.height = `${height}px`; // CSSOM: the CSP forbids style attributes
  return { box, canvas };
}

/** Tooltips in dollars; a horizontal bar's value is on x, a doughnut's is the number itself. */
function usdTooltip<T extends Kind>() {
  return {
    callbacks: {
      label: (item: TooltipItem<T>) => {
        const parsed = item.parsed as number | { x: number | null; y: number | null };
        const horizontal = item.chart.options.indexAxis === 'y';
        const v = typeof parsed === 'number' ? parsed : horizontal ? parsed.x : parsed.y;
        const series = (item.dataset as { label?: string }).label;
        const name = item.chart.data.datasets.length > 1 ? series || item.label : item.label;
        return ` ${name}: ${usdFine(v ?? 0)}`;
      },
    },
  };
}

const usdAxis = {
  beginAtZero: true,
  ticks: { callback: (v: string | number, i: number, ticks: { value: number }[]) => axisUsd(Number(v), ticks.length > 1 ? Math.abs(ticks[1]!.value - ticks[0]!.value) : 0) },
  grid: { color: '#eef2f7' },
};

export function stackedBars(canvas: HTMLCanvasElement, series: { label: string; color: string }[]): AnyChart {
  const config: ChartConfiguration<'bar', (number | null)[], string> = {
    type: 'bar',
    data: { labels: [], datasets: series.map((s) => ({ label: s.label, data: [], backgroundColor: s.color, borderRadius: 3, maxBarThickness: 28 })) },
    options: {
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { position: 'bottom' }, tooltip: usdTooltip() },
      scales: { x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12 } }, y: { ...usdAxis, stacked: true } },
    },
  };
  return new Chart(canvas, config) as unknown as AnyChart;
}

/** Horizontal bars, one colour per row (cost by model / provider / project). */
export function rankBars(canvas: HTMLCanvasElement): AnyChart {
  const config: ChartConfiguration<'bar', (number | null)[], string> = {
    type: 'bar',
    data: { labels: [], datasets: [{ label: 'Cost', data: [], backgroundColor: PALETTE, borderRadius: 3, maxBarThickness: 22 }] },
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      plugins: { legend: { display: false }, tooltip: usdTooltip() },
      scales: { x: usdAxis, y: { grid: { display: false } } },
    },
  };
  return new Chart(canvas, config) as unknown as AnyChart;
}

export function doughnut(canvas: HTMLCanvasElement): AnyChart {
  const config: ChartConfiguration<'doughnut', (number | null)[], string> = {
    type: 'doughnut',
    data: { labels: [], datasets: [{ label: 'Cost', data: [], backgroundColor: PALETTE, borderWidth: 2, borderColor: '#fff' }] },
    options: { maintainAspectRatio: false, cutout: '62%', plugins: { legend: { position: 'right' }, tooltip: usdTooltip() } },
  };
  return new Chart(canvas, config) as unknown as AnyChart;
}

/** Cumulative spend over today with the warning (80%) and budget (100%) lines and budget events. */
export function budgetLine(canvas: HTMLCanvasElement): AnyChart {
  const config: ChartConfiguration<'line', (number | null)[], string> = {
    type: 'line',
    data: {
      labels: [],
      datasets: [
        { label: 'Spent today', data: [], borderColor: '#6366f1', backgroundColor: 'rgba(99,102,241,0.12)', fill: true, pointRadius: 0, borderWidth: 2, tension: 0, spanGaps: false },
        { label: 'Warning (80%)', data: [], borderColor: '#f59e0b', borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, fill: false },
        { label: 'Budget (100%)', data: [], borderColor: '#ef4444', borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, fill: false },
        { label: 'Budget events', data: [], borderColor: '#b91c1c', backgroundColor: '#fee2e2', showLine: false, pointRadius: 6, pointHoverRadius: 8, pointStyle: 'triangle', borderWidth: 2 },
      ],
    },
    options: {
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      plugins: { legend: { position: 'bottom' }, tooltip: usdTooltip() },
      scales: { x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 9 } }, y: usdAxis },
    },
  };
  return new Chart(canvas, config) as unknown as AnyChart;
}

/**
 * Replaces a chart's labels and dataset values in place and redraws without animation; skips the
 * redraw entirely when nothing changed (the common case on a 5 s refresh).
 */
export function setChartData(chart: AnyChart, labels: string[], values: (number | null)[][], colors?: string[]): void {
  if (!chart.canvas) return; // destroyed: its page was left while a refresh was in flight
  const before = JSON.stringify([chart.data.labels, chart.data.datasets.map((d) => d.data)]);
  const after = JSON.stringify([labels, values]);
  if (before === after) return;
  chart.data.labels = labels;
  values.forEach((data, i) => {
    const ds = chart.data.datasets[i] as ChartDataset<Kind, (number | null)[]> | undefined;
    if (ds) ds.data = data;
  });
  if (colors) for (const ds of chart.data.datasets) ds.backgroundColor = colors;
  chart.update('none');
}
