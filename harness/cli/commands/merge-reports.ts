import type { Command } from 'commander';
import { commaList } from '../options.ts';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../../errors.ts';

/** Merge shard outputs: the events of every shard folded as one run, the same reports rendered. */
export async function mergeReports(
  dirs: string[],
  out: string,
  reporterNames: string[],
  write: (t: string) => void,
  history?: string,
): Promise<number> {
  if (dirs.length === 0) throw new UsageError('merge-reports: give at least one shard directory');
  // loaded on use, not when the CLI starts: the reporters and the results model
  const { readRunDir } = await import('../../results/read.ts');
  const { foldEvents, exitCodeFor } = await import('../../results/model.ts');
  const { finish } = await import('../../run/finish.ts');
  const { composeRunReport, NO_HISTORY } = await import('../../history/run-report.ts');
  const { createReporters } = await import('../../../reporters/index.ts');
  const streams = dirs.map((d) => readRunDir(resolve(d)));
  const outDir = resolve(out);
  mkdirSync(outDir, { recursive: true });
  // keep every shard's stream, in order, so the merged folder can be merged again
  writeFileSync(
    join(outDir, 'events.jsonl'),
    streams
      .flat()
      .map((e) => JSON.stringify(e))
      .join('\n') + '\n',
  );
  for (const d of dirs) {
    const ev = join(resolve(d), 'evidence');
    if (existsSync(ev)) cpSync(ev, join(outDir, 'evidence'), { recursive: true });
  }
  const results = foldEvents(streams);
  // the merged shards are one run in the history (recorded under the first shard's run id)
  const found = history
    ? await (
        await import('../../nightly/integration.ts')
      ).afterRun(results, { historySpec: history, cwd: process.cwd(), releaseAfter: 5, write })
    : NO_HISTORY;
  const reporters = createReporters(reporterNames, { outDir, secrets: [], write, env: process.env });
  await finish(composeRunReport(results, found), outDir, reporters, write);
  return exitCodeFor(results.summary.status);
}

export function registerMergeReports(program: Command): void {
  program
    .command('merge-reports')
    .description(
      'merge the outputs of sharded runs into one results.json and one set of reports (worst status wins)',
    )
    .argument('<dir...>', 'shard output directories (each holds events.jsonl)')
    .requiredOption('--out <dir>', 'where the merged results and reports go')
    .option('--reporter <name,...>', 'reports to render (default: console, junit, tap, html)', commaList)
    .option(
      '--history <path|url>',
      'also record the merged run in this history store (SQLite file or postgres://… URL)',
    )
    .action(async (dirs: string[], opts: { out: string; reporter?: string[]; history?: string }) => {
      process.exitCode = await mergeReports(
        dirs,
        opts.out,
        opts.reporter ?? ['console', 'junit', 'tap', 'html'],
        (t) => process.stdout.write(t),
        opts.history,
      );
    });
}
