// `.coh` scripts as upstream's runner reads them: one statement a line, blank
// lines and `#` comments ignored, at most 256 lines, `EXPECT OK|ERR|SUBSTR|NOT`,
// `WAIT <ms>` up to 2000, `{{name}}` placeholders. Parsing collects every
// problem with its line instead of stopping at the first, so `coh check` can
// list them all.
import { parseShell, type ShellCommand } from './translate.ts';

export const MAX_SCRIPT_LINES = 256;
export const MAX_WAIT_MS = 2000;
/** placeholders the runner fills (run.ts); `msize_overflow` is upstream's */
export const KNOWN_PLACEHOLDERS = ['msize_overflow', 'worker_id', 'worker_ticket'] as const;

export type Expectation = { kind: 'OK' | 'ERR' } | { kind: 'SUBSTR' | 'NOT'; text: string };

interface Base {
  /** 1-based line in the file */
  line: number;
  /** the statement as written (placeholders unexpanded: a ticket never reaches a report) */
  text: string;
}
export type Statement =
  | (Base & { type: 'expect'; expect: Expectation })
  | (Base & { type: 'wait'; ms: number })
  | (Base & { type: 'command'; command: ShellCommand });

export interface ScriptProblem {
  line: number;
  problem: string;
}

export interface ParsedScript {
  statements: Statement[];
  problems: ScriptProblem[];
}

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

export function parseScript(text: string): ParsedScript {
  const statements: Statement[] = [];
  const problems: ScriptProblem[] = [];
  const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  if (lines.length > MAX_SCRIPT_LINES)
    problems.push({
      line: MAX_SCRIPT_LINES + 1,
      problem: `the script has ${lines.length} lines; .coh scripts are capped at ${MAX_SCRIPT_LINES}`,
    });
  let sawCommand = false;
  let attached = false;
  lines.forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (!t || t.startsWith('#')) return;
    for (const m of t.matchAll(PLACEHOLDER))
      if (!(KNOWN_PLACEHOLDERS as readonly string[]).includes(m[1]!))
        problems.push({
          line,
          problem: `unknown placeholder {{${m[1]}}} (known: ${KNOWN_PLACEHOLDERS.join(', ')})`,
        });
    const [head = '', ...rest] = t.split(/\s+/);
    const word = head.toUpperCase();
    if (word === 'EXPECT') {
      const e = parseExpect(rest);
      if ('problem' in e) problems.push({ line, problem: e.problem });
      else {
        if (!sawCommand) problems.push({ line, problem: 'EXPECT before any command: nothing to judge' });
        statements.push({ line, text: t, type: 'expect', expect: e });
      }
      return;
    }
    if (word === 'WAIT') {
      const ms = rest.length === 1 && /^\d+$/.test(rest[0]!) ? Number(rest[0]) : NaN;
      if (Number.isNaN(ms)) problems.push({ line, problem: 'WAIT needs one whole number of milliseconds' });
      else if (ms > MAX_WAIT_MS)
        problems.push({ line, problem: `WAIT ${ms}: at most ${MAX_WAIT_MS} ms per WAIT` });
      else statements.push({ line, text: t, type: 'wait', ms });
      return;
    }
    const c = parseShell(t);
    if ('problem' in c) {
      problems.push({ line, problem: c.problem });
      return;
    }
    if (c.kind === 'attach') attached = true;
    else if (!attached && c.kind !== 'detach')
      problems.push({ line, problem: `"${head}" before any attach: there is no session to send it on` });
    if (c.kind === 'quit') attached = false;
    sawCommand = true;
    statements.push({ line, text: t, type: 'command', command: c });
  });
  return { statements, problems };
}

function parseExpect(rest: string[]): Expectation | { problem: string } {
  const kind = (rest[0] ?? '').toUpperCase();
  const text = rest.slice(1).join(' ');
  if ((kind === 'OK' || kind === 'ERR') && rest.length === 1) return { kind };
  if ((kind === 'SUBSTR' || kind === 'NOT') && text) return { kind, text };
  return { problem: 'EXPECT needs OK, ERR, SUBSTR <text> or NOT <text>' };
}

/** fill `{{name}}` from `values`; a name without a value is reported, not left in place */
export function expandPlaceholders(
  text: string,
  values: Record<string, string | undefined>,
): { text: string; missing: string[] } {
  const missing: string[] = [];
  const out = text.replace(PLACEHOLDER, (_, name: string) => {
    const v = values[name];
    if (v === undefined) missing.push(name);
    return v ?? '';
  });
  return { text: out, missing };
}
