// What a reporter is: an observer of the result stream. It may print as events
// arrive (onEvent) and write files once the run is folded (onEnd). It never
// changes results and never talks to a target.
import type { ResultEvent } from '../harness/results/events.ts';
import type { RunReport } from '../harness/history/run-report.ts';

export interface ReporterContext {
  outDir: string;
  /** values that must never be printed; already redacted from events and results */
  secrets: readonly string[];
  /** where output for humans goes (stdout by default; tests capture it) */
  write(text: string): void;
  env: NodeJS.ProcessEnv;
}

export interface Reporter {
  readonly name: string;
  onEvent?(event: ResultEvent): void;
  onEnd?(report: RunReport): void | Promise<void>;
}

export type ReporterFactory = (ctx: ReporterContext) => Reporter;
