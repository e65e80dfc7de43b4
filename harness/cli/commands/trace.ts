// `cohesix-qa trace ...`: trace tools. `trace diff <a> <b>` is the semantic diff
// of two trace snapshots (harness/trace/diff.ts); the diff engine is imported
// only when the command runs.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CommandIo, TraceDiffCommandOptions } from '../../trace/diff-command.ts';
import type { TraceCheckOptions } from '../../trace/check-command.ts';

const DEFAULT_KEY = '$file,agent,event,detail';
const DEFAULT_IGNORE = 'ts,nonce';

/** The `trace` command group; `exit` receives the exit code of a subcommand. */
export function traceCommand(io: CommandIo, exit: (code: number) => void): Command {
  const trace = new Command('trace').description(
    'trace tools: semantic diff of trace snapshots, path and schema check of a namespace',
  );
  trace
    .command('diff')
    .description('semantic diff of two trace snapshots (folders of JSONL trace files, or single files)')
    .argument('<a>', 'baseline snapshot: a local folder or file, or /history/snapshots/<id> with --ns-root')
    .argument('<b>', 'current snapshot')
    .option(
      '--key <fields>',
      'comma-separated fields that identify an event ($file = file path)',
      DEFAULT_KEY,
    )
    .option(
      '--ignore <fields>',
      'comma-separated volatile fields to ignore (dotted paths allowed)',
      DEFAULT_IGNORE,
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['text', 'json', 'annotations', 'github'])
        .default('text'),
    )
    .option('--fail-on-diff', 'exit 1 when any event was added, removed or changed', false)
    .option('-o, --output <file>', 'write the diff to a file instead of stdout')
    .option(
      '--ns-root <dir>',
      "read a and b as paths in the namespace rooted at this folder (a reference target's)",
    )
    .option('--tmp-dir <dir>', 'where to spool partitions of large traces (default: the OS temp dir)')
    .option('--heap-mb <n>', 'heap of the diff engine in MB (peak memory stays near it)', parseHeapMb)
    .exitOverride()
    .action(async (a: string, b: string, opts: TraceDiffCommandOptions) => {
      const { runTraceDiff } = await import('../../trace/diff-command.ts');
      exit(await runTraceDiff(a, b, opts, io));
    });
  trace
    .command('check')
    .description(
      'check a namespace folder: trace artifacts only under /log/trace/, every line a valid trace event',
    )
    .argument('<ns-root>', 'the folder that is the namespace root (holds log/trace/, srv/trace/, ...)')
    .option('--trace-dir <path>', 'the trace directory in the namespace (TRACE_OUT)', '/log/trace')
    .exitOverride()
    .action(async (nsRoot: string, opts: TraceCheckOptions) => {
      const { runTraceCheck } = await import('../../trace/check-command.ts');
      exit(await runTraceCheck(nsRoot, opts, io));
    });
  return trace.exitOverride();
}

export function registerTrace(program: Command): void {
  program.addCommand(
    traceCommand(
      { stdout: (s) => void process.stdout.write(s), stderr: (s) => void process.stderr.write(s) },
      (code) => {
        process.exitCode = code;
      },
    ),
  );
}

function parseHeapMb(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 32)
    throw new InvalidArgumentError(`expected a whole number of MB, at least 32; found ${JSON.stringify(v)}`);
  return n;
}
