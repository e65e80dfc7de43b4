// Live progress for a person at a terminal or reading a CI log: one line a case,
// failures with their message, location and the tail of their evidence.
import type { Reporter, ReporterContext } from './types.ts';
import type { ResultEvent } from '../harness/results/events.ts';
import type { RunResults } from '../harness/results/model.ts';
import { fmtMs, fmtNum } from './format.ts';

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
        w(
          `${MARK[e.status]} ${e.case.suite} › ${e.case.fullTitle} (${fmtMs(e.durationMs)})${e.status === 'infra-error' ? ' [infrastructure error]' : ''}\n`,
        );
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
          m.budget === undefined
            ? ''
            : ` (budget ${fmtNum(m.budget)} ${m.unit} on ${m.statistic}: ${m.withinBudget ? 'within' : 'EXCEEDED'})`;
        w(
          `  ◷ ${m.name}: median ${fmtNum(m.median)} ${m.unit}, p95 ${fmtNum(m.p95)} ${m.unit}, n=${m.samples.length}${budget}\n`,
        );
      } else if (e.type === 'log' && e.level !== 'info') {
        w(`[${e.level}] ${e.message}\n`);
      }
    },
    onEnd(r: RunResults) {
      for (const u of r.unhandledErrors) w(`! error outside any case: ${u.message}\n`);
      const s = r.summary;
      w(
        `\n${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.infraErrors} infrastructure errors — ${s.status}\n`,
      );
      w(`results: ${ctx.outDir}\n`);
    },
  };
}
