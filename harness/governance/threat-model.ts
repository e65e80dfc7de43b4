// The threat model is reviewed quarterly and the review is recorded in the
// repository: a "Review log" table whose first column is the review date.
import type { Finding } from './findings.ts';

export const QUARTER_DAYS = 92;

export function latestReview(text: string): { date?: string; line?: number } {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^#+\s*review log/i.test(l.trim()));
  if (start < 0) return {};
  let best: { date?: string; line?: number } = {};
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (/^#+\s/.test(l)) break;
    const m = /^\|\s*(\d{4}-\d{2}-\d{2})\s*\|/.exec(l);
    if (m && (!best.date || m[1]! > best.date)) best = { date: m[1]!, line: i + 1 };
  }
  return best;
}

export function threatModelFindings(file: string, text: string, asOf: Date): Finding[] {
  const r = latestReview(text);
  if (!r.date)
    return [
      {
        file,
        line: 1,
        message: 'no review recorded (expected a "## Review log" table of | YYYY-MM-DD | reviewer | notes |)',
      },
    ];
  const ageDays = Math.floor((asOf.getTime() - Date.parse(`${r.date}T00:00:00Z`)) / 86_400_000);
  if (ageDays > QUARTER_DAYS) {
    return [
      {
        file,
        line: r.line,
        message: `last review ${r.date} is ${ageDays} days before ${asOf.toISOString().slice(0, 10)}; quarterly means at most ${QUARTER_DAYS}`,
      },
    ];
  }
  if (ageDays < 0)
    return [
      {
        file,
        line: r.line,
        message: `review dated ${r.date} is in the future of ${asOf.toISOString().slice(0, 10)}`,
      },
    ];
  return [];
}
