// The end of a run (or of a merge): the run report (results + history, composed
// once) written as results.json, validated against its schema, then every
// reporter's onEnd. A reporter that fails is reported, never fatal.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate, formatIssues } from '../schemas/registry.ts';
import type { RunReport } from '../history/run-report.ts';
import type { Reporter } from '../../reporters/types.ts';

/** Write results.json (validated) and let every reporter write its files. */
export async function finish(
  report: RunReport,
  outDir: string,
  reporters: Reporter[],
  write: (t: string) => void,
): Promise<void> {
  const issues = validate('results', report);
  if (issues.length)
    write(`[warn] results.json does not match its schema:\n${formatIssues(issues, 'results.json')}\n`);
  writeFileSync(join(outDir, 'results.json'), JSON.stringify(report, null, 2) + '\n');
  for (const r of reporters) {
    try {
      await r.onEnd?.(report);
    } catch (e) {
      write(`[warn] reporter ${r.name} failed: ${(e as Error).message}\n`);
    }
  }
}
