// `cohesix-qa coh check`: validate `.coh` scripts offline — syntax, the line and
// WAIT caps, unknown commands and placeholders, wire lines over the frame limit
// — each problem as `file:line: problem`. Nothing is sent anywhere.
import { readFileSync } from 'node:fs';
import { MAX_LINE_BYTES } from '../../contract/cohsh/frame.ts';
import { parseScript, type ScriptProblem } from './parse.ts';

export interface LintResult {
  file: string;
  problems: ScriptProblem[];
  statements: number;
}

export function lintText(text: string): { problems: ScriptProblem[]; statements: number } {
  const parsed = parseScript(text);
  const problems = [...parsed.problems];
  for (const s of parsed.statements) {
    if (s.type !== 'command' || s.command.kind !== 'wire' || /\{\{/.test(s.text)) continue;
    const bytes = Buffer.byteLength(s.command.line);
    if (bytes > MAX_LINE_BYTES)
      problems.push({
        line: s.line,
        problem: `on the wire this is ${bytes} bytes; a frame holds at most ${MAX_LINE_BYTES} (the console answers ERR FRAME)`,
      });
  }
  if (!parsed.statements.length && !problems.length) problems.push({ line: 1, problem: 'no statements' });
  problems.sort((a, b) => a.line - b.line);
  return { problems, statements: parsed.statements.length };
}

/** throws (with the OS's reason) when the file cannot be read: the caller exits 2 */
export function lintFile(file: string): LintResult {
  const text = readFileSync(file, 'utf8');
  return { file, ...lintText(text) };
}
