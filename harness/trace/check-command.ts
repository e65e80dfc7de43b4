// `cohesix-qa trace check <ns-root>`: the trace path contract and the event schema
// on a namespace folder (a target's namespace copied out, or the reference
// target's): every trace artifact under /log/trace/ (or --trace-dir), every
// recorder line a valid trace event. Exit 0 clean, 1 violations, 2 usage problems.
import { existsSync, statSync } from 'node:fs';
import { findTraceArtifacts, judgeTracePath, TRACE_DIR } from './paths.ts';
import { LocalNamespace, NamespaceTraceSource } from './source.ts';
import { checkTraceSource } from './validate.ts';
import type { CommandIo } from './diff-command.ts';

export interface TraceCheckOptions {
  traceDir?: string;
}

export async function runTraceCheck(nsRoot: string, opts: TraceCheckOptions, io: CommandIo): Promise<number> {
  if (!existsSync(nsRoot) || !statSync(nsRoot).isDirectory()) {
    io.stderr(
      `trace check: ${nsRoot}: not a folder; give the folder that is the namespace root (it holds log/trace/)\n`,
    );
    return 2;
  }
  const traceDir = opts.traceDir ?? TRACE_DIR;
  const ns = new LocalNamespace(nsRoot);
  const artifacts = await findTraceArtifacts(ns, traceDir);
  let violations = 0;
  let lines = 0;
  for (const path of artifacts) {
    const verdict = judgeTracePath(path, traceDir);
    if (!verdict.ok) {
      violations++;
      io.stdout(`path   ${verdict.reason}\n`);
    }
    if (verdict.ok && verdict.kind === 'consensus') continue;
    const check = await checkTraceSource(new NamespaceTraceSource(ns, path));
    lines += check.lines;
    for (const p of check.problems) {
      violations++;
      io.stdout(`schema ${path}:${p.line}: ${p.problem}\n`);
    }
  }
  if (artifacts.filter((p) => judgeTracePath(p, traceDir).kind === 'trace').length === 0) {
    violations++;
    io.stdout(`path   no trace file under ${traceDir}: is the recorder writing?\n`);
  }
  io.stdout(
    `trace check ${nsRoot}: ${artifacts.length} artifacts, ${lines} lines, ${violations} violation(s)\n`,
  );
  return violations > 0 ? 1 : 0;
}
