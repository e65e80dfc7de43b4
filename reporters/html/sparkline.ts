// History sparklines: a measurement's median per recorded run (oldest left) from
// the history store, with its budget when the budget is in range, so a drift
// towards the budget shows before it is crossed.
import type { HistoryReport } from '../../harness/history/report.ts';
import type { MeasurementSummary, Provenance } from '../../harness/results/events.ts';
import { escapeHtml as h, fmtNum } from '../format.ts';

type Trend = HistoryReport['trends'][number];

/** The trend of this measurement's name, preferring this run's profile (as the store names it). */
export function trendFor(
  hist: HistoryReport | undefined,
  m: MeasurementSummary,
  p: Provenance | undefined,
): Trend | undefined {
  const named = hist?.trends.filter((t) => t.name === m.name) ?? [];
  const profile = p?.profile ?? p?.targetProfile ?? p?.targetName;
  return named.find((t) => t.profile === profile) ?? named[0];
}

export function sparkline(t: Trend, budget?: number): string {
  const pts = t.points;
  if (pts.length < 2) return `<span class="muted">first recorded run</span>`;
  const W = 120;
  const H = 22;
  const vals = pts.map((p) => p.median);
  const inRange = budget !== undefined && budget <= Math.max(...vals) * 1.5;
  const max = Math.max(...vals, inRange ? budget : 0) || 1;
  const min = Math.min(...vals, 0);
  const x = (i: number) => 2 + (i / (pts.length - 1)) * (W - 6);
  const y = (v: number) => H - 3 - ((v - min) / (max - min || 1)) * (H - 6);
  const line = pts.map((p, i) => `${x(i).toFixed(1)},${y(p.median).toFixed(1)}`).join(' ');
  const last = pts.at(-1)!;
  const b = inRange ? `<line class="budget" x1="0" x2="${W}" y1="${y(budget)}" y2="${y(budget)}"/>` : '';
  const dots = pts
    .map(
      (p, i) =>
        `<circle cx="${x(i).toFixed(1)}" cy="${y(p.median).toFixed(1)}" r="${i === pts.length - 1 ? 2.6 : 1.4}"><title>${h(p.startedAt)}: median ${fmtNum(p.median)} ${h(t.unit)} (n=${p.n})</title></circle>`,
    )
    .join('');
  return `<svg class="spark" width="${W}" height="${H}" role="img" aria-label="${h(t.name)}: median over the last ${pts.length} recorded runs, last ${fmtNum(last.median)} ${h(t.unit)}">${b}<polyline points="${line}"/>${dots}</svg>`;
}

/** The history section's chart: median and p95 per recorded run, each point titled. */
export function trendChart(t: Trend): string {
  const pts = t.points;
  if (pts.length === 0) return '';
  const W = 260;
  const H = 40;
  const max = Math.max(...pts.map((p) => p.p95)) * 1.1 || 1;
  const x = (i: number) => 3 + (pts.length === 1 ? 0 : (i / (pts.length - 1)) * (W - 6));
  const y = (v: number) => H - 3 - (v / max) * (H - 6);
  const line = (key: 'median' | 'p95') =>
    `<g class="${key}"><polyline points="${pts.map((p, i) => `${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ')}"/>${pts
      .map(
        (p, i) =>
          `<circle cx="${x(i).toFixed(1)}" cy="${y(p[key]).toFixed(1)}" r="1.8"><title>${h(p.startedAt)} ${key} ${fmtNum(p[key])} ${h(t.unit)}</title></circle>`,
      )
      .join('')}</g>`;
  return `<svg class="trend" width="${W}" height="${H}" role="img" aria-label="${h(t.name)} trend">${line('p95')}${line('median')}</svg>`;
}
