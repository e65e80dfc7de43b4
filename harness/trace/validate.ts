// Schema checks for trace lines and validator rules. Each failure names the
// file, the line and the JSON path, so a CI annotation points at the bad event.
import { validate, type SchemaIssue } from '../schemas/registry.ts';
import type { TraceSource } from './source.ts';

export interface TraceEvent {
  ts: number;
  agent: string;
  event: string;
  detail: string;
  ok: boolean;
}

export function describeIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((i) => `${i.path}: expected ${i.expected}, found ${i.actual}`).join('; ');
}

export type LineVerdict = { ok: true; event: TraceEvent } | { ok: false; problem: string };

/** Check one trace line: valid JSON, then the trace-event schema. */
export function checkTraceLine(text: string): LineVerdict {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: `not JSON (${(e as Error).message})` };
  }
  const issues = validate('trace-event', value);
  if (issues.length > 0) return { ok: false, problem: describeIssues(issues) };
  return { ok: true, event: value as TraceEvent };
}

export function checkValidatorRule(rule: unknown): { ok: true } | { ok: false; problem: string } {
  const issues = validate('validator-rule', rule);
  if (issues.length > 0) return { ok: false, problem: describeIssues(issues) };
  const w = (rule as { activation_window: { start: number; end?: number } }).activation_window;
  if (w.end !== undefined && w.end < w.start) {
    return {
      ok: false,
      problem: `activation_window.end: expected at least start (${w.start}), found ${w.end}`,
    };
  }
  return { ok: true };
}

export interface LineProblem {
  file: string;
  line: number;
  problem: string;
  text: string;
}

export interface SourceCheck {
  files: number;
  lines: number;
  problems: LineProblem[];
}

/**
 * Validate every line of every trace file of a source, streaming. Blank lines are
 * problems too (a recorder writes one object a line). At most `maxProblems` are kept.
 */
export async function checkTraceSource(source: TraceSource, maxProblems = 100): Promise<SourceCheck> {
  const result: SourceCheck = { files: 0, lines: 0, problems: [] };
  for (const f of await source.list()) {
    result.files++;
    for await (const batch of source.lines(f.path)) {
      for (const { n, text } of batch) {
        result.lines++;
        const v = text.trim() === '' ? { ok: false as const, problem: 'blank line' } : checkTraceLine(text);
        if (!v.ok && result.problems.length < maxProblems) {
          result.problems.push({
            file: `${source.label}/${f.path}`,
            line: n,
            problem: v.problem,
            text: text.slice(0, 300),
          });
        }
      }
    }
  }
  return result;
}
