// GitHub Actions: error annotations on the failing suite line (at most 10, then a
// notice pointing at the summary), a job summary with cases and measurements
// (HTML-escaped, kept under 1 MiB), and step outputs passed / failed / status.
// Every secret is registered with setSecret before this reporter prints anything.
import * as core from '@actions/core';
import type { Reporter, ReporterContext } from './types.ts';
import type { CaseResult } from '../harness/results/model.ts';
import type { RunReport } from '../harness/history/run-report.ts';
import { attemptsNote, escapeHtml, fmtMs, fmtNum, quarantineNote, statusLabel } from './format.ts';
import { formatProblem, problemsOfError, type Problem } from '../harness/results/problem.ts';

export const MAX_ANNOTATIONS = 10;
/** An annotation shows this much of a case's problems; the job summary has them all. */
export const ANNOTATION_LIMIT = 4000;
export const SUMMARY_LIMIT = 1024 * 1024 - 16 * 1024; // GitHub rejects summaries over 1 MiB

/** A flaky case or a quarantined failure: a warning, since neither fails the run by default. */
function warnAbout(c: CaseResult): void {
  const loc = c.error?.location ?? (c.line ? { file: c.file, line: c.line } : undefined);
  const what = c.flaky ? `flaky (${attemptsNote(c)})` : `${c.status}, ${quarantineNote(c)}`;
  core.warning(`${c.error?.message ?? what}`, {
    title: `${what}: ${c.suite} › ${c.fullTitle}`,
    file: loc?.file,
    startLine: loc?.line,
  });
}

/**
 * The annotation text of a failed case: as many whole problems as fit in
 * ANNOTATION_LIMIT, then how many more the job summary lists.
 */
export function annotationBody(c: CaseResult): string {
  if (!c.error) return 'failed';
  const problems = problemsOfError(c.error);
  if (problems.length === 1) {
    const m = c.error.message;
    return m.length <= ANNOTATION_LIMIT
      ? m
      : `${m.slice(0, ANNOTATION_LIMIT - 60)}…\n(cut here: see the job summary)`;
  }
  const lines = [`${problems.length} problems:`];
  let size = lines[0]!.length;
  let shown = 0;
  for (const p of problems) {
    const line = `- ${formatProblem(p).split('\n').join('\n  ')}`;
    if (size + line.length + 1 > ANNOTATION_LIMIT - 80) break;
    lines.push(line);
    size += line.length + 1;
    shown++;
  }
  if (shown < problems.length) lines.push(`(+${problems.length - shown} more problems: see the job summary)`);
  return lines.join('\n');
}

/** Every problem of a case as an HTML list for the job summary (path / expected / found on their own line). */
function problemsHtml(problems: readonly Problem[]): string {
  const item = (p: Problem) => {
    const detail = [
      p.path !== undefined ? `at <code>${escapeHtml(p.path)}</code>` : '',
      p.expected !== undefined ? `expected <code>${escapeHtml(p.expected)}</code>` : '',
      p.found !== undefined ? `found <code>${escapeHtml(p.found)}</code>` : '',
    ].filter(Boolean);
    return `<li>${escapeHtml(p.message.slice(0, 2000))}${detail.length ? `<br>${detail.join(' · ')}` : ''}</li>`;
  };
  return `<ul>${problems.map(item).join('')}</ul>`;
}

function annotate(c: CaseResult): void {
  const loc = c.error?.location ?? (c.line ? { file: c.file, line: c.line } : undefined);
  const infra = c.status === 'infra-error';
  const evidence = c.evidence.length ? `\nevidence: ${c.evidence.map((e) => e.path).join(', ')}` : '';
  const props = {
    title: `${infra ? 'infrastructure error' : 'failed'}: ${c.suite} › ${c.fullTitle}`,
    file: loc?.file,
    startLine: loc?.line,
  };
  const message = `${annotationBody(c)}${evidence}`;
  if (infra) core.warning(message, props);
  else core.error(message, props);
}

export function summaryMarkdown(r: RunReport): string {
  const s = r.summary;
  const p = r.runs[0]?.provenance;
  const parts: string[] = [];
  parts.push(`<h2>cohesix-qa: ${escapeHtml(s.status)}</h2>`);
  parts.push(
    `<p>${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.infraErrors} infrastructure errors` +
      (p
        ? ` · target <code>${escapeHtml(p.targetName)}</code>${p.defect ? ` (defect <code>${escapeHtml(p.defect)}</code>)` : ''} · harness ${escapeHtml(p.harnessVersion)}`
        : '') +
      '</p>',
  );
  if (r.measurements.length) {
    parts.push(
      '<h3>Measurements</h3><table><tr><th>name</th><th>median</th><th>p95</th><th>n</th><th>budgetMs</th></tr>',
    );
    for (const m of r.measurements) {
      const budget =
        m.budgetMs === undefined
          ? ''
          : `${fmtNum(m.budgetMs)} ms (${m.statistic}) ${m.withinBudget ? '✅' : '❌'}`;
      parts.push(
        `<tr><td>${escapeHtml(m.name)}</td><td>${fmtNum(m.median)} ${escapeHtml(m.unit)}</td><td>${fmtNum(m.p95)} ${escapeHtml(m.unit)}</td><td>${m.samples.length}</td><td>${budget}</td></tr>`,
      );
    }
    parts.push('</table>');
  }
  const q = r.quarantine;
  const ready = q?.readyToRelease ?? [];
  if (q && (q.expired.length || ready.length)) {
    parts.push('<h3>Quarantine</h3><ul>');
    for (const e of q.expired)
      parts.push(
        `<li>❌ entry <code>${escapeHtml(e.pattern)}</code> (owner ${escapeHtml(e.owner)}) expired on ${escapeHtml(e.expires)}</li>`,
      );
    for (const e of ready)
      parts.push(
        `<li>⬆️ <code>${escapeHtml(e.caseId)}</code> passed the last ${e.passedRuns} runs: ready to release</li>`,
      );
    parts.push('</ul>');
  }
  // reported, not failing: a reader must see what was not judged and why
  const noted = r.cases.filter((c) => c.notes?.length || c.skipReason).slice(0, 50);
  if (noted.length) {
    parts.push('<h3>Notes and skips (not failing)</h3><ul>');
    for (const c of noted) {
      const lines = [
        ...(c.skipReason ? [`skipped: ${c.skipReason}`] : []),
        ...(c.notes ?? []).map((n) => `note: ${n}`),
      ];
      parts.push(
        `<li>${escapeHtml(c.suite)} › ${escapeHtml(c.fullTitle)}: ${lines.map((l) => escapeHtml(l)).join('; ')}</li>`,
      );
    }
    parts.push('</ul>');
  }
  parts.push(
    '<h3>Cases</h3><table><tr><th>status</th><th>flaky</th><th>suite</th><th>case</th><th>time</th><th>detail</th></tr>',
  );
  const ordered = [...r.cases].sort((a, b) => rank(b) - rank(a));
  let size = parts.join('').length;
  let shown = 0;
  for (const c of ordered) {
    const problems = problemsOfError(c.error);
    const detail =
      problems.length > 1 || problems.some((p) => p.path ?? p.expected ?? p.found)
        ? problemsHtml(problems)
        : c.error
          ? `<pre>${escapeHtml(c.error.message.slice(0, 2000))}</pre>`
          : '';
    const flaky = c.flaky
      ? `⚠️ ${escapeHtml(attemptsNote(c))}`
      : c.quarantine
        ? escapeHtml(quarantineNote(c))
        : '';
    const row = `<tr><td>${statusLabel(c.status)}</td><td>${flaky}</td><td>${escapeHtml(c.suite)}</td><td>${escapeHtml(c.fullTitle)}</td><td>${fmtMs(c.durationMs)}</td><td>${detail}</td></tr>`;
    if (size + row.length > SUMMARY_LIMIT - 512) break;
    parts.push(row);
    size += row.length;
    shown++;
  }
  parts.push('</table>');
  if (shown < ordered.length)
    parts.push(
      `<p>${ordered.length - shown} more cases not shown (summary size limit); see the results artifact.</p>`,
    );
  return parts.join('\n');
}

function rank(c: CaseResult): number {
  return { failed: 3, 'infra-error': 2, skipped: 1, passed: c.flaky ? 0.5 : 0 }[c.status];
}

export function githubReporter(ctx: ReporterContext): Reporter {
  for (const s of ctx.secrets) core.setSecret(s);
  return {
    name: 'github',
    async onEnd(r) {
      const failing = (c: CaseResult) => c.status === 'failed' || c.status === 'infra-error';
      const bad = r.cases.filter((c) => failing(c) && !c.quarantine);
      bad.slice(0, MAX_ANNOTATIONS).forEach(annotate);
      r.cases
        .filter((c) => c.flaky || (c.quarantine && failing(c)))
        .slice(0, MAX_ANNOTATIONS)
        .forEach(warnAbout);
      for (const e of r.quarantine?.expired ?? [])
        core.error(
          `quarantine entry "${e.pattern}" (owner ${e.owner}, reason: ${e.reason}) expired on ${e.expires}: fix the case, or extend or remove the entry`,
          { title: 'cohesix-qa: quarantine entry expired', file: r.policy?.quarantineFile },
        );
      if (bad.length > MAX_ANNOTATIONS) {
        core.notice(`${bad.length - MAX_ANNOTATIONS} more failures — see the job summary`, {
          title: 'cohesix-qa',
        });
      }
      for (const u of r.unhandledErrors)
        core.error(u.message, {
          title: 'cohesix-qa: error outside any case',
          file: u.location?.file,
          startLine: u.location?.line,
        });
      if (ctx.env.GITHUB_STEP_SUMMARY) {
        await core.summary.addRaw(summaryMarkdown(r)).write();
      }
      if (ctx.env.GITHUB_OUTPUT) {
        core.setOutput('passed', r.summary.passed);
        core.setOutput('failed', r.summary.failed);
        core.setOutput('status', r.summary.status);
        core.setOutput('flaky', r.summary.flaky);
      }
    },
  };
}
