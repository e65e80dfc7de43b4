// One thing a check found wrong, in the domain's words. A failed case carries
// every problem its checks found (not only the first), so a user can tell real
// deviations from false alarms in one run. Schema problems carry path /
// expected / found; other checks may say what they expected and what they saw.
export interface Problem {
  /** a sentence: what was checked and what went wrong */
  message: string;
  /** what the check expected, in words or as a short value */
  expected?: string;
  /** what the check saw */
  found?: string;
  /** where in a document or tree (a JSON pointer, a 9P path, file:line) */
  path?: string;
  /** where in the suite the problem was recorded, when known */
  location?: { file: string; line: number; column?: number };
}

/** A value as a problem shows it: strings as they are, the rest as compact JSON, cut at `max` chars. */
export function showValue(v: unknown, max = 300): string {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (v === undefined) s = 'nothing';
  else if (typeof v === 'bigint') s = `${v}`;
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** "message" then, when given, "at <path>: expected <e>, found <f>" on the next line. */
export function formatProblem(p: Problem): string {
  const parts: string[] = [];
  if (p.path !== undefined) parts.push(`at ${p.path}`);
  if (p.expected !== undefined) parts.push(`expected ${p.expected}`);
  if (p.found !== undefined) parts.push(`found ${p.found}`);
  const detail = parts.length ? `\n  ${parts.join(' · ')}` : '';
  return `${p.message}${detail}`;
}

/** One problem: itself; several: "N problems:" then one bullet each (the text a message carries). */
export function formatProblems(problems: readonly Problem[]): string {
  if (problems.length === 1) return formatProblem(problems[0]!);
  return [
    `${problems.length} problems:`,
    ...problems.map((p) => `- ${formatProblem(p).split('\n').join('\n  ')}`),
  ].join('\n');
}

/** The first line a one-line field shows (a JUnit message attribute, a title). */
export function problemsHeadline(problems: readonly Problem[]): string {
  const first = problems[0]?.message.split('\n')[0] ?? 'failed';
  return problems.length > 1 ? `${problems.length} problems; first: ${first}` : first;
}

/** The error a case fails with when its checks found problems; `problems` survives vitest's serialization. */
export class ProblemsError extends Error {
  override name = 'ProblemsError';
  readonly problems: Problem[];
  constructor(problems: readonly Problem[]) {
    super(formatProblems(problems));
    this.problems = problems.map((p) => ({ ...p }));
  }
}

/** A case error's problems: its list, or the error itself for streams written before lists existed. */
export function problemsOfError(e: { message: string; problems?: Problem[] } | undefined): Problem[] {
  if (!e) return [];
  return e.problems && e.problems.length > 0 ? e.problems : [{ message: e.message }];
}
