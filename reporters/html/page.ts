// The page: a header with the verdict and what was tested, a sticky bar of
// filters, alerts that fail the run outside any case, the cases (attention
// first), measurements, and the full provenance folded at the bottom.
import type { RunReport } from '../../harness/history/run-report.ts';
import { escapeHtml as h, fmtMs, fmtNum } from '../format.ts';
import { renderCases, rowStatus, STATUS_ORDER, STATUS_TEXT } from './cases.ts';
import { renderMeasurements } from './measurements.ts';
import { renderHistory } from './history.ts';
import { renderError } from './problems.ts';
import { CSS } from './style.ts';
import { JS } from './script.ts';

function header(r: RunReport): string {
  const s = r.summary;
  const run = r.runs[0];
  const p = run?.provenance;
  const total = r.runs.reduce((t, x) => t + (x.durationMs ?? 0), 0);
  const facts = [
    p ? `target <b>${h(p.targetName)}</b> (${h(p.targetKind)})` : '',
    p?.defect ? `defect <b>${h(p.defect)}</b>` : '',
    `${s.total} cases`,
    total ? fmtMs(total) : '',
    run ? h(run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')) : '',
    r.runs.length > 1 ? `${r.runs.length} runs merged` : '',
    p?.gitCommit ? `commit <code>${h(p.gitCommit.slice(0, 10))}</code>` : '',
  ].filter(Boolean);
  const label = s.status === 'infra-error' ? 'infrastructure error' : s.status;
  return `<header><h1><span class="badge b-${h(s.status)}">${h(label)}</span> cohesix-qa report</h1><div class="meta">${facts.join(' · ')}</div></header>`;
}

function bar(r: RunReport): string {
  const n = (st: string) => r.cases.filter((c) => rowStatus(c) === st).length;
  const chips = [`<button data-f="all" aria-pressed="true">All<b>${r.cases.length}</b></button>`]
    .concat(
      STATUS_ORDER.map(
        (st) =>
          `<button data-f="${st}" aria-pressed="false"${n(st) ? '' : ' disabled'}>${STATUS_TEXT[st].label}<b>${n(st)}</b></button>`,
      ),
    )
    .join('');
  const suites = [...new Set(r.cases.map((c) => c.suite))].sort();
  const options = suites.map((s) => `<option value="${h(s)}">${h(s)}</option>`).join('');
  return `<nav class="bar" aria-label="filters"><span role="group" aria-label="status">${chips}</span><select id="suite" aria-label="suite"><option value="">all suites</option>${options}</select><input id="q" type="search" placeholder="Search titles, files, errors, evidence  (press /)" aria-label="search" autocomplete="off"></nav>`;
}

/** What fails or matters outside any one case. */
function alerts(r: RunReport): string {
  const items = [
    ...r.runs
      .filter((x) => x.reason === 'interrupted')
      .map((x) => `<li>run ${h(x.runId)} was interrupted before it finished</li>`),
    ...r.unhandledErrors.map((u) => `<li>error outside any case${renderError(u)}</li>`),
    ...(r.quarantine?.expired ?? []).map(
      (q) =>
        `<li>quarantine entry <code>${h(q.pattern)}</code> (owner ${h(q.owner)}) expired on ${h(q.expires)}</li>`,
    ),
    ...(r.history?.regressions ?? [])
      .filter((g) => g.regressed)
      .map(
        (g) =>
          `<li>${h(g.name)} (${h(g.profile)}) regressed: median ${fmtNum(g.baselineMedian)} → ${fmtNum(g.lastMedian)} ${h(g.unit)} (+${(g.change * 100).toFixed(1)} %, p=${g.pValue.toFixed(4)})</li>`,
      ),
    ...(r.quarantine?.readyToRelease ?? []).map(
      (q) =>
        `<li class="note">ready to leave quarantine: ${h(q.caseId)} (passed the last ${q.passedRuns} runs)</li>`,
    ),
  ];
  return items.length ? `<ul class="alerts">${items.join('')}</ul>` : '';
}

function provenance(r: RunReport): string {
  const rows = r.runs.flatMap((run) => [
    `<tr><th>run</th><td>${h(run.runId)}${run.shard ? ` (shard ${run.shard.index}/${run.shard.total})` : ''}</td></tr>`,
    ...Object.entries(run.provenance)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<tr><th>${h(k)}</th><td>${h(String(v))}</td></tr>`),
  ]);
  return `<details class="prov"><summary>Provenance: what was tested, with what</summary><table>${rows.join('')}</table></details>`;
}

export function renderPage(r: RunReport): string {
  const s = r.summary;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>cohesix-qa: ${h(s.status)} (${s.passed}/${s.total} passed)</title><style>${CSS}</style></head><body><main>
${header(r)}${bar(r)}${alerts(r)}
${renderCases(r.cases, r.history)}
${renderMeasurements(r.measurements, r.history, r.runs[0]?.provenance)}
${renderHistory(r.history)}
${provenance(r)}
</main><script>${JS}</script></body></html>
`;
}
