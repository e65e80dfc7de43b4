// The case list: what needs attention first (failures, infrastructure errors,
// flaky cases, open with their evidence), then every other case grouped by
// suite, one line each, its evidence folded until opened. Every row carries its
// status and suite as data attributes for the filters in script.ts.
import type { CaseResult } from '../../harness/results/model.ts';
import { isQuarantinedFailure } from '../../harness/results/model.ts';
import type { HistoryReport } from '../../harness/history/report.ts';
import type { EvidenceRef } from '../../harness/results/events.ts';
import { escapeHtml as h, fmtMs, quarantineNote } from '../format.ts';
import { renderError } from './problems.ts';

export type RowStatus = 'failed' | 'infra-error' | 'flaky' | 'skipped' | 'passed';

export function rowStatus(c: CaseResult): RowStatus {
  return c.flaky ? 'flaky' : c.status;
}

export const STATUS_ORDER: readonly RowStatus[] = ['failed', 'infra-error', 'flaky', 'skipped', 'passed'];

export const STATUS_TEXT: Record<RowStatus, { icon: string; label: string }> = {
  failed: { icon: '✗', label: 'failed' },
  'infra-error': { icon: '!', label: 'infrastructure error' },
  flaky: { icon: '≈', label: 'flaky' },
  skipped: { icon: '–', label: 'skipped' },
  passed: { icon: '✓', label: 'passed' },
};

export const needsAttention = (c: CaseResult): boolean => rowStatus(c) !== 'passed' && c.status !== 'skipped';

/** Only paths inside the out dir become links: a hostile `javascript:` path stays text. */
function evidenceLink(e: EvidenceRef): string {
  const safe = !/^[a-z][a-z0-9+.-]*:/i.test(e.path) && !e.path.startsWith('//');
  return safe ? `<a href="${h(e.path)}">${h(e.name)}</a>` : `<code>${h(e.name)}</code>`;
}

function evidence(list: readonly EvidenceRef[], open: boolean): string {
  if (list.length === 0) return '';
  const items = list.map((e) =>
    e.excerpt
      ? `<details class="ev"${open ? ' open' : ''}><summary>${h(e.name)} <span class="muted small">${h(e.contentType)}</span> ${evidenceLink(e)}</summary><pre>${h(e.excerpt)}</pre></details>`
      : `<div class="ev">${evidenceLink(e)} <span class="muted small">${h(e.contentType)}</span></div>`,
  );
  return `<div class="evs"><div class="label">evidence</div>${items.join('')}</div>`;
}

function attempts(c: CaseResult): string {
  if (!c.attempts || c.attempts.length < 2) return c.error ? renderError(c.error) : '';
  return `<ol class="attempts">${c.attempts
    .map(
      (a) =>
        `<li><span class="st-${a.status}">attempt ${a.attempt}${a.retry ? ' (retry)' : ''}: ${h(a.status)}</span> <span class="muted">${fmtMs(a.durationMs)}</span>${a.error ? renderError(a.error) : ''}</li>`,
    )
    .join('')}</ol>`;
}

function row(c: CaseResult, flake: HistoryReport['flakeRates'][number] | undefined): string {
  const st = rowStatus(c);
  const open = needsAttention(c);
  const tags = [
    c.quarantine ? `<span class="tag q" title="${h(quarantineNote(c))}">quarantined</span>` : '',
    c.attempts && c.attempts.length > 1 ? `<span class="tag">${c.attempts.length} attempts</span>` : '',
    c.notes?.length
      ? `<span class="tag" title="${h(c.notes.join('\n'))}">${c.notes.length} note${c.notes.length > 1 ? 's' : ''}</span>`
      : '',
    flake && flake.flakeRate > 0
      ? `<span class="tag fl" title="failed in ${flake.failedRuns} of ${flake.runs} recorded runs">flake rate ${(flake.flakeRate * 100).toFixed(0)} %</span>`
      : '',
  ].join('');
  const where = `${c.file}${c.line ? `:${c.line}` : ''}`;
  const body = [
    c.skipReason ? `<p class="muted">skipped: ${h(c.skipReason)}</p>` : '',
    ...(c.notes ?? []).map((n) => `<p class="note">note: ${h(n)}</p>`),
    c.quarantine ? `<p class="muted">${h(quarantineNote(c))}</p>` : '',
    attempts(c),
    evidence(c.evidence, open),
    `<div class="muted small id">${h(c.id)}</div>`,
  ].join('');
  return `<details class="case st-${st}${isQuarantinedFailure(c) ? ' quarantined' : ''}" data-status="${st}" data-suite="${h(c.suite)}"${open ? ' open' : ''}><summary><span class="icon" title="${STATUS_TEXT[st].label}">${STATUS_TEXT[st].icon}</span><span class="title">${h(c.fullTitle)}</span>${tags}<span class="where">${h(where)}</span><span class="dur">${fmtMs(c.durationMs)}</span></summary><div class="body">${body}</div></details>`;
}

function group(
  title: string,
  key: string,
  cs: readonly CaseResult[],
  hist: HistoryReport | undefined,
): string {
  const flakes = new Map((hist?.flakeRates ?? []).map((f) => [f.caseId, f]));
  const counts = STATUS_ORDER.map((s) => [s, cs.filter((c) => rowStatus(c) === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `<span class="st-${s}">${n} ${STATUS_TEXT[s].label}</span>`)
    .join(' ');
  return `<section class="group" data-group="${h(key)}"><h3>${h(title)} <span class="counts small">${counts}</span></h3>${cs.map((c) => row(c, flakes.get(c.id))).join('')}</section>`;
}

export function renderCases(cases: readonly CaseResult[], hist: HistoryReport | undefined): string {
  const rank = (c: CaseResult) => STATUS_ORDER.indexOf(rowStatus(c)) + (isQuarantinedFailure(c) ? 0.5 : 0);
  const attention = cases.filter(needsAttention).sort((a, b) => rank(a) - rank(b));
  const rest = cases.filter((c) => !needsAttention(c));
  const suites = [...new Set(rest.map((c) => c.suite))].sort();
  const groups = suites.map((s) =>
    group(
      s,
      s,
      rest.filter((c) => c.suite === s),
      hist,
    ),
  );
  const first = attention.length ? group('Needs attention', 'attention', attention, hist) : '';
  return `<div id="cases">${first}${groups.join('')}<p id="none" class="muted" hidden>No case matches the filter.</p></div>`;
}
