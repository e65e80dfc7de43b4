// The cohesix-qa command line. Each command lives in commands/<name>.ts; an area's
// commands are listed in its manifest (harness/areas/<area>.ts).
import { Command, CommanderError } from 'commander';
import { harnessVersion } from '../run/provenance.ts';
import { exitForError } from './errors.ts';
import { registerRun } from './commands/run.ts';
import { registerList } from './commands/list.ts';
import { registerDefects } from './commands/defects.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerMergeReports } from './commands/merge-reports.ts';
import { registerValidate } from './commands/validate.ts';
import { registerHistory } from './commands/history.ts';
import { registerReference } from './commands/reference.ts';
import { HARNESS_AREAS } from '../areas/index.ts';

export function buildProgram(): Command {
  const program = new Command('cohesix-qa')
    .description('Test and validate Cohesix images, release bundles and lab boards.')
    .version(harnessVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of [
    registerRun,
    registerList,
    registerDefects,
    registerDoctor,
    registerMergeReports,
    registerValidate,
    registerHistory,
    registerReference,
    // each area's own commands (harness/areas/<area>.ts `cli`)
    ...HARNESS_AREAS.flatMap((a) => a.cli ?? []),
  ]) {
    register(program);
  }
  program.commands.forEach((c) => c.exitOverride());
  return program;
}

// `cohesix-qa defects | head` closes our stdout early. Node then emits EPIPE on the
// stream, and an unhandled stream error would kill the process mid-run and lose
// results.json. The reader has gone, so further human output is dropped; the
// command carries on and writes its files.
function tolerateClosedOutput(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
}

async function main(): Promise<void> {
  tolerateClosedOutput(process.stdout);
  tolerateClosedOutput(process.stderr);
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; unknown options and missing arguments are usage errors
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = exitForError(e);
  }
}

await main();
