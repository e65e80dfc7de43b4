import type { Command } from 'commander';
import { commaList } from '../options.ts';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../paths.ts';
import { resolveAreas, suiteFiles } from '../../run/plan.ts';

/** Collect (without running) every case of the given areas. */
export async function listCases(
  areas: string[],
): Promise<Array<{ suite: string; file: string; fullTitle: string; line?: number }>> {
  const files = areas.flatMap(suiteFiles);
  if (files.length === 0) return [];
  const { createVitest } = await import('vitest/node');
  const { caseRef } = await import('../../run/vitest-bridge.ts');
  const vitest = await createVitest(
    'test',
    {
      config: false,
      root: PROJECT_ROOT,
      include: files,
      watch: false,
      reporters: [],
      includeTaskLocation: true,
      pool: 'forks',
    },
    { server: { watch: null } },
  );
  try {
    const { testModules } = await vitest.collect(files.map((f) => join(PROJECT_ROOT, f)));
    return testModules.flatMap((m) => [...m.children.allTests()].map((tc) => caseRef(PROJECT_ROOT, tc)));
  } finally {
    await vitest.close();
  }
}

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list suites and their cases')
    .option('--suite <area,...>', 'only these suite areas', commaList)
    .option('--json', 'print as JSON')
    .action(async (opts: { suite?: string[]; json?: boolean }) => {
      const cases = await listCases(resolveAreas(opts.suite));
      if (opts.json) {
        process.stdout.write(JSON.stringify(cases, null, 2) + '\n');
        return;
      }
      let suite = '';
      for (const c of cases) {
        if (c.suite !== suite) process.stdout.write(`${(suite = c.suite)}\n`);
        process.stdout.write(`  ${c.fullTitle}  (${c.file}${c.line ? `:${c.line}` : ''})\n`);
      }
      process.stdout.write(`${cases.length} cases\n`);
    });
}
