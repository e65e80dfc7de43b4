// The history section: every measurement trend the store holds (median and p95
// per recorded run, also for measurements this run did not take) and the flake
// rate of every case that failed intermittently. Folded unless a case is flaky,
// since regressions are already alerts at the top.
import type { HistoryReport } from '../../harness/history/report.ts';
import { escapeHtml as h, fmtNum } from '../format.ts';
import { trendChart } from './sparkline.ts';

export function renderHistory(hist: HistoryReport | undefined): string {
  if (!hist || hist.runs.length === 0) return '';
  const n = hist.runs.length;
  const flaky = hist.flakeRates.filter((f) => f.flakeRate > 0);
  const trends = hist.trends
    .map((t) => {
      const last = t.points.at(-1);
      return `<tr><td><b>${h(t.name)}</b> <span class="muted small">${h(t.profile)} · ${t.points.length} runs</span></td><td>${trendChart(t)}</td><td class="num">${last ? `last median ${fmtNum(last.median)} · p95 ${fmtNum(last.p95)} ${h(t.unit)}` : ''}</td></tr>`;
    })
    .join('');
  const flakes = flaky
    .map(
      (f) =>
        `<tr><td>${h(f.caseId)}</td><td class="num st-flaky">${(f.flakeRate * 100).toFixed(1)} %</td><td>failed in ${f.failedRuns} of ${f.runs} runs</td></tr>`,
    )
    .join('');
  const summary = `History: the last ${n} recorded run${n === 1 ? '' : 's'} <span class="muted small">${hist.trends.length} measurement trends · ${flaky.length ? `${flaky.length} cases failed intermittently` : 'no case failed intermittently'}</span>`;
  return `<details class="hist" id="history"${flaky.length ? ' open' : ''}><summary>${summary}</summary>${trends ? `<table><thead><tr><th>measurement</th><th>median (blue) and p95 (red) per run</th><th></th></tr></thead><tbody>${trends}</tbody></table>` : ''}${flakes ? `<table><thead><tr><th>case</th><th>flake rate</th><th></th></tr></thead><tbody>${flakes}</tbody></table>` : ''}</details>`;
}
