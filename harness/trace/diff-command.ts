// `cohesix-qa trace diff <a> <b>`: the semantic trace diff as a command (the
// commander wiring is in harness/cli/commands/trace.ts).
// Exit codes: 0 no deviation (or deviations without --fail-on-diff), 1 deviations
// with --fail-on-diff, 2 usage problems (missing folder, no trace files, bad key).
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { deviationCount, DEFAULT_DIFF_OPTIONS, TraceDiffError } from './diff.ts';
import { diffTracesInWorker } from './diff-in-worker.ts';
import { diffWriter, describeSummary, toAnnotation, type DiffFormat } from './diff-format.ts';
import { LineTooLongError } from './lines.ts';
import {
  LocalNamespace,
  LocalTraceSource,
  NamespaceTraceSource,
  TraceSourceError,
  type TraceSource,
} from './source.ts';

export interface TraceDiffCommandOptions {
  key?: string;
  ignore?: string;
  format?: DiffFormat | 'github';
  failOnDiff?: boolean;
  output?: string;
  nsRoot?: string;
  tmpDir?: string;
  /** heap of the diff engine's worker, MB */
  heapMb?: number;
}

export interface CommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const list = (s: string | undefined, fallback: readonly string[]): string[] =>
  s === undefined
    ? [...fallback]
    : s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);

function sourceFor(path: string, nsRoot: string | undefined): TraceSource {
  // with --ns-root, a and b are paths in a target's namespace (e.g. /history/snapshots/<id>)
  return nsRoot ? new NamespaceTraceSource(new LocalNamespace(nsRoot), path) : new LocalTraceSource(path);
}

/** GitHub workflow command for one annotation (values escaped as the runner expects). */
function githubLine(a: ReturnType<typeof toAnnotation>): string {
  const esc = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string): string => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return `::error file=${prop(a.file)},line=${a.line},title=${prop(a.title)}::${esc(a.message)}\n`;
}

export async function runTraceDiff(
  a: string,
  b: string,
  opts: TraceDiffCommandOptions,
  io: CommandIo,
): Promise<number> {
  const format = opts.format ?? 'text';
  let file: WriteStream | undefined;
  const write = opts.output
    ? (s: string): void => {
        file ??= createWriteStream(opts.output!);
        file.write(s);
      }
    : io.stdout;
  const srcA = sourceFor(a, opts.nsRoot);
  const srcB = sourceFor(b, opts.nsRoot);
  try {
    const writer = format === 'github' ? undefined : diffWriter(format, write, srcA.label, srcB.label);
    // in a worker with a bounded heap, so peak memory stays flat however large the traces
    const summary = await diffTracesInWorker(
      { a, b, nsRoot: opts.nsRoot },
      {
        key: list(opts.key, DEFAULT_DIFF_OPTIONS.key),
        ignore: list(opts.ignore, DEFAULT_DIFF_OPTIONS.ignore),
        tmpDir: opts.tmpDir,
      },
      (r) => (writer ? writer.record(r) : write(githubLine(toAnnotation(r, srcA.label, srcB.label)))),
      opts.heapMb,
    );
    writer?.end(summary);
    if (file) {
      file.end();
      await once(file, 'finish');
    }
    // the summary always reaches a person, on stderr when stdout carries machine output
    if (format !== 'text' || opts.output) io.stderr(`trace diff: ${describeSummary(summary)}\n`);
    return opts.failOnDiff && deviationCount(summary) > 0 ? 1 : 0;
  } catch (e) {
    file?.destroy();
    if (e instanceof TraceDiffError || e instanceof TraceSourceError || e instanceof LineTooLongError) {
      io.stderr(`trace diff: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
