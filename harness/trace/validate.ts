// Schema checks for trace lines and validator rules. Each failure names the
// file, the line and the JSON path, so a CI annotation points at the bad event.
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TraceSource } from './source.ts';

const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

export interface TraceEvent {
  ts: number;
  agent: string;
  event: string;
  detail: string;
  ok: boolean;
}

let compiled: { event: ValidateFunction; rule: ValidateFunction } | undefined;

function validators(): { event: ValidateFunction; rule: ValidateFunction } {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    const load = (name: string): object =>
      JSON.parse(readFileSync(`${SCHEMA_DIR}${name}.schema.json`, 'utf8')) as object;
    compiled = { event: ajv.compile(load('trace-event')), rule: ajv.compile(load('validator-rule')) };
  }
  return compiled;
}

export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => {
      const where = e.instancePath || '(root)';
      if (e.keyword === 'additionalProperties')
        return `${where}: unexpected field "${String(e.params.additionalProperty)}"`;
      if (e.keyword === 'required') return `${where}: missing field "${String(e.params.missingProperty)}"`;
      return `${where}: ${e.message ?? e.keyword}`;
    })
    .join('; ');
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
  const v = validators().event;
  if (!v(value)) return { ok: false, problem: describeErrors(v.errors) };
  return { ok: true, event: value as TraceEvent };
}

export function checkValidatorRule(rule: unknown): { ok: true } | { ok: false; problem: string } {
  const v = validators().rule;
  if (!v(rule)) return { ok: false, problem: describeErrors(v.errors) };
  const w = (rule as { activation_window: { start: number; end?: number } }).activation_window;
  if (w.end !== undefined && w.end < w.start) {
    return { ok: false, problem: `/activation_window: end ${w.end} is before start ${w.start}` };
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
