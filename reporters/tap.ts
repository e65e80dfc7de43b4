// results.tap: TAP 14, one test point a case. Infrastructure errors are `not ok`
// with `severity: infra-error` in their YAML block (TAP has no directive for them).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, ReporterContext } from './types.ts';
import type { RunReport } from '../harness/history/run-report.ts';
import { stringify } from 'yaml';
import { problemsOfError } from '../harness/results/problem.ts';

function description(s: string): string {
  // '#' starts a directive in TAP; escape it, and keep the point on one line
  return s
    .replace(/\\/g, '\\\\')
    .replace(/#/g, '\\#')
    .replace(/\s*\n\s*/g, ' ');
}

export function renderTap(r: RunReport): string {
  const out = ['TAP version 14', `1..${r.cases.length}`];
  r.cases.forEach((c, i) => {
    const name = `${c.suite} > ${c.fullTitle}`;
    if (c.status === 'skipped') {
      out.push(
        `ok ${i + 1} - ${description(name)} # SKIP${c.skipReason ? ` ${description(c.skipReason)}` : ''}`,
      );
      return;
    }
    const quarantined = c.quarantine && c.status !== 'passed';
    // TODO is TAP's "known to fail, does not count": what quarantine means
    const todo = quarantined ? ` # TODO ${description(`quarantined until ${c.quarantine!.expires}`)}` : '';
    out.push(`${c.status === 'passed' ? 'ok' : 'not ok'} ${i + 1} - ${description(name)}${todo}`);
    if (c.status === 'passed' && c.flaky) {
      out.push(
        '  ---',
        ...stringify({ flaky: true, attempts: c.attempts?.map((a) => a.status) })
          .trimEnd()
          .split('\n')
          .map((l) => `  ${l}`),
        '  ...',
      );
    }
    if (c.status !== 'passed') {
      const diag: Record<string, unknown> = {
        severity: c.status === 'infra-error' ? 'infra-error' : 'fail',
        message: c.error?.message ?? '',
        at: c.error?.location
          ? `${c.error.location.file}:${c.error.location.line}`
          : `${c.file}${c.line ? `:${c.line}` : ''}`,
        duration_ms: c.durationMs,
      };
      const problems = problemsOfError(c.error);
      if (problems.length > 1 || problems.some((p) => p.path ?? p.expected ?? p.found))
        diag.problems = problems.map(({ location: _l, ...p }) => p);
      if (c.evidence.length) diag.evidence = c.evidence.map((e) => e.path);
      out.push(
        '  ---',
        ...stringify(diag)
          .trimEnd()
          .split('\n')
          .map((l) => `  ${l}`),
        '  ...',
      );
    }
  });
  return out.join('\n') + '\n';
}

export function tapReporter(ctx: ReporterContext): Reporter {
  return {
    name: 'tap',
    onEnd(r) {
      writeFileSync(join(ctx.outDir, 'results.tap'), renderTap(r));
    },
  };
}
