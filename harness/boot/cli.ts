// Registers `boot` on a commander program (the harness CLI) and exposes a
// standalone entry for environments without the full CLI.
import { Command, Option } from 'commander';
import type { BootCommandOptions } from './command.ts';
import { DEFAULT_BOOT_BUDGET_MS } from './timeline.ts';
import { DEFAULT_STATISTIC } from '../results/budget.ts';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
const int =
  (name: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got ${JSON.stringify(v)}`);
    return n;
  };

export function registerBootCommand(
  program: Command,
  exit: (code: number) => void = (c) => process.exit(c),
): Command {
  return program
    .command('boot')
    .description('boot an image cold in QEMU (N times) and print its boot timeline against the budget')
    .requiredOption('--image <file>', 'kernel / root server image given to -kernel')
    .option(
      '--qemu <binary>',
      'QEMU binary (aarch64 without --machine uses the upstream cohesix-aarch64-virt command line)',
      'qemu-system-aarch64',
    )
    .option('--machine <name>', 'QEMU machine for the generic profile (e.g. microvm)')
    .option('--cpu <model>', 'QEMU cpu model')
    .option('--memory <mb>', 'guest memory in MB', int('--memory'))
    .option('--qemu-arg <arg>', 'extra QEMU argument, repeatable', collect)
    .option(
      '--marker <regex>',
      'boot marker "regex" or "name=regex", repeatable, in order; the last one ends boot',
      collect,
    )
    .option('--boot-stage <name>', 'which stage ends boot')
    .option('--runs <n>', 'cold boots', int('--runs'), 1)
    .option('--boot-runs <n>', 'alias of --runs', int('--boot-runs'))
    .option(
      '--budget-ms <ms>',
      'budget for the boot stage, ms since QMP cont',
      int('--budget-ms'),
      DEFAULT_BOOT_BUDGET_MS,
    )
    .addOption(
      new Option('--statistic <s>', 'statistic judged against the budget')
        .choices(['min', 'median', 'p95', 'max'])
        .default(DEFAULT_STATISTIC),
    )
    .option('--timeout-ms <ms>', 'bound on waiting for the boot stage', int('--timeout-ms'), 10_000)
    .option('--deterministic', 'add -icount shift=0,align=off,sleep=off')
    .option('--fault <pattern>', 'fault line pattern (replaces the contract list), repeatable', collect)
    .option('--load-range <range>', 'allowed physical range for LOAD segments, repeatable', collect)
    .option('--public-key <pem>', 'verify the image against this ed25519 key before booting')
    .option('--signature <file>', 'detached signature (default <image>.sig)')
    .option('--manifest <file>', 'sha256 manifest that must list the image')
    .option('--json <file>', 'write the boot report (schemas/boot-report.schema.json)')
    .action(async (opts: BootCommandOptions & { bootRuns?: number }) => {
      const { runBootCommand } = await import('./command.ts');
      const code = await runBootCommand(
        { ...opts, runs: opts.bootRuns ?? opts.runs },
        { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') },
      );
      exit(code);
    });
}

/** `node --import tsx harness/boot/cli.ts boot --image ...` */
if (import.meta.url === `file://${process.argv[1]}`) {
  const program = new Command('cohesix-qa').exitOverride((e) => process.exit(e.exitCode === 0 ? 0 : 2));
  registerBootCommand(program);
  await program.parseAsync(process.argv);
}
