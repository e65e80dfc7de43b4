// Orders the project's test files by their measured cost, longest first, so the
// long ones (the defect matrix, the end-to-end CLI runs) start at once and the
// short ones fill the other workers around them. A fresh CI clone has no vitest
// cache, so the built-in sequencer would fall back to file size, which puts the
// defect matrix (a small file that runs 46 CLI runs) near the end.
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** seconds per file, written by scripts/test-costs.mjs from a full run's JSON report */
const costs = JSON.parse(readFileSync(new URL('./file-costs.json', import.meta.url), 'utf8')) as Record<
  string,
  number
>;

export default class CostSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cost = (f: TestSpecification) =>
      costs[relative(f.project.config.root, f.moduleId).split('\\').join('/')] ?? 0;
    return [...files].sort((a, b) => cost(b) - cost(a));
  }
}
