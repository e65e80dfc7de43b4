// `cohesix-qa reference serve`: the reference services alone, for users writing
// clients and for trying a suite against something other than the run's own target
// (as the external target). Prints one line of JSON on stdout — the endpoints each
// area's suite would be bound to — and runs until SIGINT or SIGTERM, then stops every
// service and reaps every child. State goes under .cohesix-qa/runs/<runId>/, so two
// serves (or a serve and a run) never share a state dir.
import type { Command } from 'commander';
import { commaList } from '../options.ts';

interface ServeOptions {
  area?: string[];
  defect?: string;
  config?: string;
  stateRoot?: string;
  runId?: string;
}

export function registerReference(program: Command): void {
  const reference = program
    .command('reference')
    .description("the reference target's services on their own (see `reference serve --help`)");
  reference
    .command('serve')
    .description(
      'start the reference services of the given areas, print their endpoints as one line of JSON on stdout, run until SIGINT/SIGTERM',
    )
    .option('--area <area,...>', 'areas to serve (repeatable or comma-separated; default gui)', commaList)
    .option('--defect <name>', 'serve with a named defect mode (see `cohesix-qa defects`)')
    .option('--config <file>', 'config whose area sections tune the services (e.g. gui.timeoutSeconds)')
    .option(
      '--state-root <dir>',
      'pidfiles and state dirs (default: targets.reference.stateDir, else .cohesix-qa)',
    )
    .option('--run-id <id>', 'state under <state-root>/runs/<id>/ (a run passes its own; default a new id)')
    .action(async (opts: ServeOptions) => {
      const { serveReference, runSections } = await import('../../target/serve.ts');
      process.exitCode = await serveReference({
        areas: opts.area && opts.area.length > 0 ? opts.area : ['gui'],
        defect: opts.defect,
        config: opts.config,
        stateRoot: opts.stateRoot,
        runId: opts.runId,
        sections: runSections(),
        out: (line) => process.stdout.write(line + '\n'),
        log: (line) => process.stderr.write(line + '\n'),
      });
    });
  reference
    .command('uploader')
    .description(
      "the reference trace uploader alone, mounting a user's Secure9P /srv/alerts endpoint; prints {url} as one line of JSON, runs until SIGINT/SIGTERM",
    )
    .requiredOption(
      '--mount <json>',
      'the endpoint and identity: {"host","port","servername"?,"caCert","cert","key"}',
    )
    .action(async (opts: { mount: string }) => {
      const { serveUploader } = await import('../../target/serve-uploader.ts');
      process.exitCode = await serveUploader({
        mount: opts.mount,
        out: (line) => process.stdout.write(line + '\n'),
        log: (line) => process.stderr.write(line + '\n'),
      });
    });
}
