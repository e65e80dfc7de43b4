// The cohesix-qa command line. Each command lives in commands/<name>.ts; an area's
// commands are listed in its manifest (harness/areas/<area>.ts). Registering a command
// loads only its name, options and description: every action imports its modules when
// it runs, so a start-up (`--version`, a usage error) does not pay for all of them.
// bin/cohesix-qa.js calls main(); the project's tests call it in-process too.
import { Command, CommanderError } from 'commander';
import { harnessVersion } from '../version.ts';
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

/** where the CLI's own words go (commander's help and errors, the error epilogue) */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export function buildProgram(io?: CliIo): Command {
  const program = new Command('cohesix-qa');
  // before any command is added: subcommands copy the output settings when created
  if (io) program.configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  program
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

/**
 * Run the command line on `argv` (the arguments after the program name) and return
 * its exit code. Without `io` it is the process's own CLI: output goes to the
 * process's streams. With `io` (a test in-process), commander's output and the error
 * epilogue go to `io`, and the process's exit code is left as it was; commands that
 * print results themselves still write to process.stdout.
 */
export async function main(argv: readonly string[], io?: CliIo): Promise<number> {
  if (!io) {
    tolerateClosedOutput(process.stdout);
    tolerateClosedOutput(process.stderr);
  }
  // actions report their outcome in process.exitCode; read it, then restore the caller's
  const callers = process.exitCode;
  process.exitCode = undefined;
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (e) {
    // --help and --version exit 0; unknown options and missing arguments are usage errors
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    return exitForError(e, io?.stderr);
  } finally {
    process.exitCode = callers;
  }
}
