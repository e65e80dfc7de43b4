// report.html: one self-contained file (inline CSS, SVG, a few lines of JS; no
// network), readable offline from a CI artifact. Measurements are drawn as sample
// strips against their budget; a measurement whose detail carries boot stages
// ({stages: [{name, hostMs}]}) is drawn as a timeline.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, ReporterContext } from './types.ts';
import type { RunResults } from '../harness/results/model.ts';
import type { MeasurementSummary } from '../harness/results/events.ts';
import { attemptsNote, escapeHtml as h, fmtMs, fmtNum, quarantineNote, statusLabel } from './format.ts';
import type { HistoryReport } from '../harness/history/report.ts';
import { problemsOfError, type Problem } from '../harness/results/problem.ts';

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2330}h1{font-size:1.4rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}td,th{border-bottom:1px solid #dde;padding:.35rem .5rem;text-align:left;vertical-align:top}
.passed{color:#17803d}.failed{color:#c0262d;font-weight:600}.skipped{color:#777}.infra-error{color:#b35c00;font-weight:600}
pre{background:#f5f6f8;padding:.5rem;white-space:pre-wrap;max-height:20rem;overflow:auto;margin:.3rem 0}
.flaky{color:#8a5a00;font-weight:600}.badge{display:inline-block;padding:.1rem .5rem;border-radius:.6rem;background:#eef}.filters button{margin-right:.4rem}
svg text{font:11px system-ui,sans-serif}`;

const JS = `document.querySelectorAll('.filters button').forEach(b=>b.onclick=()=>{const s=b.dataset.s;
document.querySelectorAll('tr.case').forEach(r=>r.style.display=(s==='all'||r.dataset.s===s)?'':'none')})`;

function strip(m: MeasurementSummary): string {
  const W = 420;
  const max = Math.max(...m.samples, m.budget ?? 0) * 1.1 || 1;
  const x = (v: number) => 10 + (v / max) * (W - 20);
  const dots = m.samples
    .map(
      (s) =>
        `<circle cx="${x(s).toFixed(1)}" cy="20" r="4" fill="#3b6fd4" opacity=".7"><title>${fmtNum(s)} ${h(m.unit)}</title></circle>`,
    )
    .join('');
  const budget =
    m.budget === undefined
      ? ''
      : `<line x1="${x(m.budget)}" x2="${x(m.budget)}" y1="4" y2="36" stroke="#c0262d" stroke-dasharray="3"/><text x="${x(m.budget) + 3}" y="12" fill="#c0262d">budget ${fmtNum(m.budget)}</text>`;
  const med = `<line x1="${x(m.median)}" x2="${x(m.median)}" y1="8" y2="32" stroke="#1d2330"/>`;
  return `<svg width="${W}" height="40" role="img" aria-label="${h(m.name)} samples"><line x1="10" x2="${W - 10}" y1="20" y2="20" stroke="#ccd"/>${budget}${med}${dots}</svg>`;
}

interface Stage {
  name: string;
  hostMs: number;
  budgetMs?: number;
}

function timeline(m: MeasurementSummary): string {
  const stages = (m.detail as { stages?: Stage[] } | undefined)?.stages;
  if (
    !Array.isArray(stages) ||
    !stages.every((s) => typeof s?.name === 'string' && typeof s.hostMs === 'number')
  )
    return '';
  const W = 640;
  const end = Math.max(...stages.map((s) => Math.max(s.hostMs, s.budgetMs ?? 0)), 1) * 1.05;
  const x = (v: number) => 10 + (v / end) * (W - 20);
  const rows = stages
    .map((s, i) => {
      const y = 16 + i * 18;
      const over = s.budgetMs !== undefined && s.hostMs > s.budgetMs;
      const b =
        s.budgetMs === undefined
          ? ''
          : `<line x1="${x(s.budgetMs)}" x2="${x(s.budgetMs)}" y1="${y - 7}" y2="${y + 7}" stroke="#c0262d"/>`;
      return `<rect x="10" y="${y - 5}" width="${(x(s.hostMs) - 10).toFixed(1)}" height="10" fill="${over ? '#c0262d' : '#3b6fd4'}" opacity=".75"/>${b}<text x="${x(s.hostMs) + 4}" y="${y + 4}">${h(s.name)} ${fmtNum(s.hostMs)} ms</text>`;
    })
    .join('');
  return `<svg width="${W + 160}" height="${stages.length * 18 + 16}" role="img" aria-label="boot timeline">${rows}</svg>`;
}

/** Every problem of a failed case, one item each, path / expected / found under its sentence. */
function problemList(problems: readonly Problem[]): string {
  const item = (p: Problem) => {
    const rows = (
      [
        ['at', p.path],
        ['expected', p.expected],
        ['found', p.found],
      ] as const
    )
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<br><small>${k}</small> <code>${h(v!)}</code>`)
      .join('');
    const at = p.location ? ` <small>(${h(p.location.file)}:${p.location.line})</small>` : '';
    return `<li>${h(p.message)}${at}${rows}</li>`;
  };
  return `<ol class="problems">${problems.map(item).join('')}</ol>`;
}

type Trend = HistoryReport['trends'][number];

/** Median and p95 per recorded run, oldest left: a drift shows as a slope. */
function trendChart(t: Trend): string {
  const W = 520;
  const H = 120;
  const pts = t.points;
  if (pts.length === 0) return '';
  const max = Math.max(...pts.map((p) => p.p95)) * 1.1 || 1;
  const x = (i: number) => 30 + (pts.length === 1 ? 0 : (i / (pts.length - 1)) * (W - 60));
  const y = (v: number) => H - 14 - (v / max) * (H - 28);
  const line = (key: 'median' | 'p95', color: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts.map((p, i) => `${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ')}"/>` +
    pts
      .map(
        (p, i) =>
          `<circle cx="${x(i).toFixed(1)}" cy="${y(p[key]).toFixed(1)}" r="2.5" fill="${color}"><title>${h(p.startedAt)} ${key} ${fmtNum(p[key])} ${h(t.unit)}</title></circle>`,
      )
      .join('');
  return `<svg width="${W}" height="${H}" role="img" aria-label="${h(t.name)} trend"><text x="2" y="10">${fmtNum(max)} ${h(t.unit)}</text>${line('p95', '#c0262d')}${line('median', '#3b6fd4')}<text x="${W - 120}" y="${H - 2}" fill="#3b6fd4">median</text><text x="${W - 60}" y="${H - 2}" fill="#c0262d">p95</text></svg>`;
}

function trendsSection(hist: HistoryReport | undefined): string {
  if (!hist || hist.runs.length === 0) return '';
  const charts = hist.trends
    .map(
      (t) =>
        `<tr><td>${h(t.name)}<br><small>profile ${h(t.profile)} · ${t.points.length} runs</small></td><td>${trendChart(t)}</td></tr>`,
    )
    .join('\n');
  const regress = hist.regressions
    .filter((g) => g.regressed)
    .map(
      (g) =>
        `<li class="failed">${h(g.name)} (${h(g.profile)}): median ${fmtNum(g.baselineMedian)} → ${fmtNum(g.lastMedian)} ${h(g.unit)} (+${(g.change * 100).toFixed(1)} %, p=${g.pValue.toFixed(4)})</li>`,
    )
    .join('');
  const flakes = hist.flakeRates
    .filter((f) => f.flakeRate > 0)
    .map(
      (f) =>
        `<tr><td>${h(f.caseId)}</td><td class="flaky">${(f.flakeRate * 100).toFixed(1)} %</td><td>${f.failedRuns} of ${f.runs} runs had a failure</td></tr>`,
    )
    .join('');
  return `<h2>Trends (last ${hist.runs.length} recorded runs)</h2>
${regress ? `<ul>${regress}</ul>` : '<p>No measurement regressed against its baseline.</p>'}
${charts ? `<table>${charts}</table>` : ''}
<h3>Flake rate per case</h3>${flakes ? `<table><tr><th>case</th><th>flake rate</th><th></th></tr>${flakes}</table>` : '<p>No case failed intermittently in these runs.</p>'}`;
}

export function renderHtml(r: RunResults): string {
  const s = r.summary;
  const p = r.runs[0]?.provenance;
  const prov = p
    ? Object.entries(p)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `<tr><th>${h(k)}</th><td>${h(String(v))}</td></tr>`)
        .join('')
    : '';
  const cases = r.cases
    .map((c) => {
      const ev = c.evidence
        .map(
          (e) =>
            `<div>evidence <a href="${h(e.path)}">${h(e.name)}</a>${e.excerpt ? `<pre>${h(e.excerpt)}</pre>` : ''}</div>`,
        )
        .join('');
      const problems = problemsOfError(c.error);
      const err =
        c.error && (problems.length > 1 || problems.some((p) => p.path ?? p.expected ?? p.found))
          ? problemList(problems)
          : c.error
            ? `<pre>${h(c.error.message)}${c.error.location ? `\nat ${h(c.error.location.file)}:${c.error.location.line}` : ''}</pre>`
            : '';
      const note = [attemptsNote(c), quarantineNote(c)].filter(Boolean).join(' · ');
      const mark = c.flaky ? ' <span class="flaky">FLAKY</span>' : '';
      return `<tr class="case" data-s="${c.flaky ? 'flaky' : c.status}"><td class="${c.status}">${statusLabel(c.status)}${mark}${note ? `<br><small>${h(note)}</small>` : ''}</td><td>${h(c.suite)}</td><td>${h(c.fullTitle)}<br><small>${h(c.file)}${c.line ? `:${c.line}` : ''}</small>${err}${ev}</td><td>${fmtMs(c.durationMs)}</td></tr>`;
    })
    .join('\n');
  const ms = r.measurements
    .map(
      (m) =>
        `<tr><td>${h(m.name)}<br><small>${h(m.caseId)}</small></td><td>min ${fmtNum(m.min)} · median ${fmtNum(m.median)} · p95 ${fmtNum(m.p95)} · max ${fmtNum(m.max)} ${h(m.unit)} (n=${m.samples.length})${m.budget === undefined ? '' : `<br>budget ${fmtNum(m.budget)} ${h(m.unit)} on ${m.statistic}: <b class="${m.withinBudget ? 'passed' : 'failed'}">${m.withinBudget ? 'within' : 'exceeded'}</b>`}</td><td>${strip(m)}${timeline(m)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cohesix-qa report: ${h(s.status)}</title><style>${CSS}</style></head><body>
<h1>cohesix-qa report — <span class="${s.status === 'passed' ? 'passed' : s.status === 'infra-error' ? 'infra-error' : 'failed'}">${h(s.status)}</span></h1>
<p><span class="badge">${s.total} cases</span> <span class="badge passed">${s.passed} passed</span> <span class="badge failed">${s.failed} failed</span> <span class="badge infra-error">${s.infraErrors} infrastructure errors</span> <span class="badge skipped">${s.skipped} skipped</span>${s.flaky ? ` <span class="badge flaky">${s.flaky} flaky</span>` : ''}${s.quarantined ? ` <span class="badge">${s.quarantined} quarantined</span>` : ''}</p>
${(r.quarantine?.expired ?? []).map((q) => `<p class="failed">quarantine entry ${h(q.pattern)} (owner ${h(q.owner)}) expired on ${h(q.expires)}</p>`).join('')}
${(r.quarantine?.readyToRelease ?? []).map((q) => `<p class="passed">ready to release from quarantine: ${h(q.caseId)} (passed the last ${q.passedRuns} runs)</p>`).join('')}
${r.unhandledErrors.length ? `<h2>Errors outside any case</h2>${r.unhandledErrors.map((u) => `<pre>${h(u.message)}</pre>`).join('')}` : ''}
${ms ? `<h2>Measurements</h2><table>${ms}</table>` : ''}
<h2>Cases</h2><div class="filters"><button data-s="all">all</button><button data-s="failed">failed</button><button data-s="infra-error">infrastructure errors</button><button data-s="flaky">flaky</button><button data-s="passed">passed</button></div>
<table><tr><th>status</th><th>suite</th><th>case</th><th>time</th></tr>${cases}</table>
${trendsSection(r.history)}
<h2>Provenance</h2><table>${prov}</table>
<script>${JS}</script></body></html>
`;
}

export function htmlReporter(ctx: ReporterContext): Reporter {
  return {
    name: 'html',
    onEnd(r: RunResults) {
      writeFileSync(join(ctx.outDir, 'report.html'), renderHtml(r));
    },
  };
}
