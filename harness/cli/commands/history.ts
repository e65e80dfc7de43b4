import type { Command } from 'commander';

/** Render the history report for people: flake rates, trends, regressions. */
function renderText(r: import('../../history/report.ts').HistoryReport): string {
  const out: string[] = [];
  out.push(`history: ${r.runs.length} recorded runs (newest ${r.runs[0]?.startedAt ?? '—'})`);
  const flaky = r.flakeRates.filter((f) => f.flaky);
  out.push('', `flaky cases (${flaky.length}):`);
  for (const f of flaky)
    out.push(
      `  ${(f.flakeRate * 100).toFixed(1).padStart(5)} %  ${f.caseId}  (${f.failedRuns} of ${f.runs} runs with a failure)`,
    );
  out.push('', 'trends (median / p95 per run, oldest first):');
  for (const t of r.trends) {
    const pts = t.points.slice(-10).map((p) => `${fmt(p.median)}/${fmt(p.p95)}`);
    out.push(`  ${t.profile} · ${t.name} [${t.unit}]: ${pts.join('  ')}`);
  }
  out.push('', 'regressions (last run vs baseline):');
  for (const g of r.regressions)
    out.push(
      `  ${g.regressed ? 'REGRESSED' : 'ok       '} ${g.profile} · ${g.name}: ${fmt(g.baselineMedian)} → ${fmt(g.lastMedian)} ${g.unit} (${g.change >= 0 ? '+' : ''}${(g.change * 100).toFixed(1)} %, p=${g.pValue.toFixed(4)}, baseline ${g.baselineRuns} runs)`,
    );
  return out.join('\n') + '\n';
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description(
      'flake rate per case, measurement trends per target profile and regressions, from the run history',
    )
    .option(
      '--history <path|url>',
      'history store: SQLite file (default .cohesix-qa/history.db) or postgres://… URL',
    )
    .option('--last <n>', 'how many recent runs to look at (default 20)')
    .option('--baseline <n>', 'runs before the last that form the regression baseline (default 10)')
    .option('--noise-floor <share>', 'relative changes below this are noise (default 0.05 = 5 %)')
    .option('--alpha <p>', 'significance level of the permutation test (default 0.01)')
    .option('--json', 'print the report as JSON')
    .option('--fail-on-regression', 'exit 1 when a measurement regressed')
    .action(
      async (opts: {
        history?: string;
        last?: string;
        baseline?: string;
        noiseFloor?: string;
        alpha?: string;
        json?: boolean;
        failOnRegression?: boolean;
      }) => {
        const { openHistory } = await import('../../history/store.ts');
        const { historyReport } = await import('../../history/report.ts');
        const { DEFAULT_HISTORY_PATH } = await import('../../history/db.ts');
        const { parseCount } = await import('../../nightly/integration.ts');
        const { UsageError } = await import('../../errors.ts');
        const share = (flag: string, v: string | undefined, d: number) => {
          if (v === undefined) return d;
          const n = Number(v);
          if (!Number.isFinite(n) || n < 0 || n >= 1)
            throw new UsageError(`${flag} ${v}: expected a number between 0 and 1, e.g. 0.05`);
          return n;
        };
        const last = parseCount('--last', opts.last, 20, 2);
        const baselineRuns = parseCount('--baseline', opts.baseline, 10, 1);
        const noiseFloor = share('--noise-floor', opts.noiseFloor, 0.05);
        const alpha = share('--alpha', opts.alpha, 0.01);
        const store = await openHistory(opts.history ?? DEFAULT_HISTORY_PATH, process.cwd());
        try {
          const report = await historyReport(store, { last, baselineRuns, noiseFloor, alpha });
          process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : renderText(report));
          if (opts.failOnRegression && report.regressions.some((g) => g.regressed)) process.exitCode = 1;
        } finally {
          await store.close();
        }
      },
    );
}
