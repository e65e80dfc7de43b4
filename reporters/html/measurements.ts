// Measurements against their budget: the statistics, the verdict in words, every
// sample as a dot against the budget line, the history sparkline when a store
// is there, and a boot report's waterfall beneath its row.
import type { MeasurementSummary, Provenance } from '../../harness/results/events.ts';
import type { HistoryReport } from '../../harness/history/report.ts';
import { escapeHtml as h, fmtNum } from '../format.ts';
import { renderWaterfall, waterfallOf } from './timeline.ts';
import { sparkline, trendFor } from './sparkline.ts';

function strip(m: MeasurementSummary): string {
  const W = 220;
  const finite = m.samples.filter((s) => Number.isFinite(s));
  const max = Math.max(...finite, m.budgetMs ?? 0) * 1.08 || 1;
  const x = (v: number) => 4 + (v / max) * (W - 8);
  const dots = finite
    .map(
      (s) =>
        `<circle cx="${x(s).toFixed(1)}" cy="12" r="3.5"><title>${fmtNum(s)} ${h(m.unit)}</title></circle>`,
    )
    .join('');
  const budget =
    m.budgetMs === undefined
      ? ''
      : `<line class="budget" x1="${x(m.budgetMs).toFixed(1)}" x2="${x(m.budgetMs).toFixed(1)}" y1="1" y2="23"><title>budgetMs ${fmtNum(m.budgetMs)} ms</title></line>`;
  const stat = Number.isFinite(m[m.statistic])
    ? `<line class="stat" x1="${x(m[m.statistic]).toFixed(1)}" x2="${x(m[m.statistic]).toFixed(1)}" y1="4" y2="20"/>`
    : '';
  return `<svg class="strip" width="${W}" height="24" role="img" aria-label="${h(m.name)}: ${finite.length} samples"><line class="axis" x1="4" x2="${W - 4}" y1="12" y2="12"/>${budget}${stat}${dots}</svg>`;
}

function verdict(m: MeasurementSummary): string {
  if (m.budgetMs === undefined) return '<span class="muted">no budget</span>';
  const v = m[m.statistic];
  const ok = m.withinBudget === true;
  const by = Number.isFinite(v) && !ok ? ` (by ${fmtNum(v - m.budgetMs)} ms)` : '';
  return `<span class="${ok ? 'ok' : 'bad'}" title="budgetMs">${ok ? '✓ within' : '✗ over'} ${fmtNum(m.budgetMs)} ms</span> <span class="muted">on ${m.statistic}${by}</span>`;
}

export function renderMeasurements(
  ms: readonly MeasurementSummary[],
  hist: HistoryReport | undefined,
  p: Provenance | undefined,
): string {
  if (ms.length === 0) return '';
  const rows = ms.map((m) => {
    const t = trendFor(hist, m, p);
    const wf = waterfallOf(m.detail, m.budgetMs);
    const row = `<tr class="m" data-suite="${h(m.suite)}" data-status="${m.withinBudget === false ? 'failed' : 'passed'}"><td><b>${h(m.name)}</b> <span class="muted small">${h(m.suite)}</span></td><td class="num">median ${fmtNum(m.median)} · p95 ${fmtNum(m.p95)} ${h(m.unit)}<span class="muted small" title="min ${fmtNum(m.min)} · max ${fmtNum(m.max)}"> n=${m.samples.length}</span></td><td>${verdict(m)}</td><td>${strip(m)}</td><td>${t ? sparkline(t, m.budgetMs) : ''}</td></tr>`;
    return wf ? `${row}<tr class="wf"><td colspan="5">${renderWaterfall(wf)}</td></tr>` : row;
  });
  const histHead =
    hist && hist.runs.length ? `history (${hist.runs.length} run${hist.runs.length === 1 ? '' : 's'})` : '';
  return `<section id="measurements"><h2>Measurements</h2><table class="ms"><thead><tr><th>measurement</th><th>value</th><th>budget</th><th>samples</th><th>${histHead}</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}
