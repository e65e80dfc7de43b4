import { Option, type Command } from 'commander';
import { commaList } from '../options.ts';

export function registerRun(program: Command): void {
  const reporterDefault = '(default: console, plus github on GitHub Actions)';
  const reporterOption = new Option(
    '--reporter <name,...>',
    `reports to render ${reporterDefault}`,
  ).argParser(commaList);
  // The names come from the reporter registry, which loads every reporter: it is read
  // when `run` is dispatched (its --help, its action), not when any command starts.
  program.hook('preSubcommand', async (_program, sub) => {
    if (sub.name() !== 'run') return;
    const { reporterNames } = await import('../../../reporters/index.ts');
    reporterOption.description = `${reporterNames().join(', ')} ${reporterDefault}`;
  });
  program
    .command('run')
    .description('run suites against a target (default: every suite against the reference target)')
    .option('--suite <area,...>', 'suite areas to run (repeatable or comma-separated)', commaList)
    .option('--grep <text>', 'only cases whose title contains this text')
    .option(
      '--target <kind>',
      'reference | qemu | lab | release | external (default: reference; external: your own services from the config)',
    )
    .option(
      '--config <file>',
      'config file (default: cohesix-qa.config.ts|mjs|json in the current directory)',
    )
    .option(
      '--defect <name,...>',
      'reference target only: run with named defect modes, each applied to its own area (see `cohesix-qa defects`)',
    )
    .addOption(reporterOption)
    .option('--out <dir>', 'output directory (default: qa-results/)')
    .option('--shard <i/n>', 'run the i-th of n deterministic slices')
    .option('--boot-runs <n>', 'boot suite: cold boots to measure (overrides boot.bootRuns; default 5)')
    .option(
      '--shard-by <count|duration>',
      'balance shards by file count (default) or by past durations from the history',
    )
    .option('--repeat <n>', 'run every case n times; a case that both passes and fails is flaky')
    .option('--retries <n>', 'retry a case whose last attempt hit an infrastructure error, up to n times')
    .option('--retry-product', 'with --retries: retry product failures too')
    .option('--fail-on-flaky', 'a flaky case fails the run')
    .option(
      '--history <path|url|off>',
      'history store: SQLite file (default .cohesix-qa/history.db), postgres://… URL, or off',
    )
    .option(
      '--bundle <dir>',
      'release target: the unpacked Cohesix release bundle (overrides release.bundle)',
    )
    .option(
      '--coh <glob>',
      'coh suite: .coh scripts to run, one case each (repeatable; overrides config coh.scripts and the default)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option(
      '--require <group,...>',
      'fail, rather than skip, cases whose inputs are not configured: release.worker, boot.loadRanges, boot.signature, or an area',
      commaList,
    )
    .action(async (opts) => {
      // --bundle, --coh, --boot-runs and --require are laid over the loaded config by
      // run() (harness/config/cli-overrides.ts), where they are checked
      // loaded on use: vitest's Node API is heavy, and other commands do not need it
      const { run } = await import('../../run/run.ts');
      const outcome = await run(opts);
      process.exitCode = outcome.exitCode;
    });
}
