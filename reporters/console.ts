// Live progress for a person at a terminal or reading a CI log: one line a case,
// failures with their message, location and the tail of their evidence.
import type { Reporter, ReporterContext } from './types.ts';
import type { ResultEvent } from '../harness/results/events.ts';
import type { RunReport } from '../harness/history/run-report.ts';
import { attemptsNote, fmtMs, fmtNum, quarantineNote } from './format.ts';

const MARK = { passed: '✓', failed: '✗', skipped: '-', 'infra-error': '!' } as const;

export function consoleReporter(ctx: ReporterContext): Reporter {
  const w = ctx.write;
  return {
    name: 'console',
    onEvent(e: ResultEvent) {
      if (e.type === 'run-start') {
        const p = e.provenance;
        w(
          `cohesix-qa ${p.harnessVersion} · target ${p.targetName}${p.defect ? ` (defect ${p.defect})` : ''} · suites ${e.plan.suites.join(', ')}${e.plan.shard ? ` · shard ${e.plan.shard.index}/${e.plan.shard.total}` : ''}\n`,
        );
      } else if (e.type === 'case-end') {
        const attempt =
          (e.attempt ?? 1) > 1 ? ` [${e.retry ? 'retry' : 'repeat'}, attempt ${e.attempt}]` : '';
        const why = e.status === 'skipped' && e.skipReason ? ` — skipped: ${e.skipReason}` : '';
        w(
          `${MARK[e.status]} ${e.case.suite} › ${e.case.fullTitle} (${fmtMs(e.durationMs)})${e.status === 'infra-error' ? ' [infrastructure error]' : ''}${attempt}${why}\n`,
        );
        for (const note of e.notes ?? []) w(`    note: ${note}\n`);
        if (e.error && e.status !== 'passed') {
          const loc = e.error.location ? `    at ${e.error.location.file}:${e.error.location.line}\n` : '';
          w(`    ${e.error.message.split('\n').join('\n    ')}\n${loc}`);
          for (const ev of e.evidence) {
            w(`    evidence ${ev.name}: ${ev.path}\n`);
            if (ev.excerpt) w(`      | ${ev.excerpt.split('\n').slice(-8).join('\n      | ')}\n`);
          }
        }
      } else if (e.type === 'measurement') {
        const m = e.measurement;
        const budget =
          m.budgetMs === undefined
            ? ''
            : ` (budgetMs ${fmtNum(m.budgetMs)} on ${m.statistic}: ${m.withinBudget ? 'within' : 'EXCEEDED'})`;
        w(
          `  ◷ ${m.name}: median ${fmtNum(m.median)} ${m.unit}, p95 ${fmtNum(m.p95)} ${m.unit}, n=${m.samples.length}${budget}\n`,
        );
      } else if (e.type === 'log' && e.level !== 'info') {
        w(`[${e.level}] ${e.message}\n`);
      }
    },
    onEnd(r: RunReport) {
      for (const u of r.unhandledErrors) w(`! error outside any case: ${u.message}\n`);
      for (const c of r.cases.filter((x) => x.flaky))
        w(`~ FLAKY ${c.suite} › ${c.fullTitle} (${attemptsNote(c)})\n`);
      for (const c of r.cases.filter((x) => x.quarantine && x.status !== 'passed' && x.status !== 'skipped'))
        w(`~ ${c.status} but ${quarantineNote(c)}: ${c.suite} › ${c.fullTitle}\n`);
      for (const q of r.quarantine?.expired ?? [])
        w(
          `✗ quarantine entry "${q.pattern}" (owner ${q.owner}) expired on ${q.expires}: fix the case or extend the entry in ${r.policy?.quarantineFile ?? 'the quarantine file'}\n`,
        );
      for (const q of r.quarantine?.readyToRelease ?? [])
        w(
          `↑ ready to release from quarantine: ${q.caseId} passed the last ${q.passedRuns} runs (entry "${q.pattern}")\n`,
        );
      const s = r.summary;
      const extra = `${s.flaky ? `, ${s.flaky} flaky` : ''}${s.quarantined ? `, ${s.quarantined} quarantined` : ''}`;
      w(
        `\n${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.infraErrors} infrastructure errors${extra} — ${s.status}${r.policy?.failOnFlaky && s.flaky ? ' (--fail-on-flaky)' : ''}\n`,
      );
      w(`results: ${ctx.outDir}\n`);
    },
  };
}
