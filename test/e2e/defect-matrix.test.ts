// Every registered defect mode fails exactly the case that declares it, and every
// other case of its suite still passes. A suite that does not fail against its
// defect is not finished.
//
// Defects that can share a run (test/e2e/defect-groups.ts) run together, one CLI run
// per group, and a quick suite's group rides along with another area's: the run must
// fail exactly the group's cases, one per defect, and pass every other case (test/unit/defect-spec.test.ts checks the packing). Registered defects that must be alone (boot's variant images,
// the CUDA worker's) still get a run each.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defects } from '../../reference/defects.ts';
import { cli, tempDir } from '../helpers/cli.ts';
import type { RunResults } from '../../harness/results/model.ts';
import { rawPhrasings } from '../verdicts/raw-phrasing.ts';
import { defectRuns } from './defect-groups.ts';

const runs = defectRuns(defects);

describe.concurrent('defect matrix', () => {
  it.each(runs.map((run) => [run.defects.map((d) => d.name).join(' + '), run] as const))(
    '%s',
    async (names, { suites, defects: run }) => {
      const out = tempDir();
      const r = await cli(
        [
          'run',
          '--suite',
          suites.join(','),
          '--defect',
          run.map((d) => d.name).join(','),
          '--reporter',
          'json',
          '--history',
          'off',
          '--out',
          out,
        ],
        {
          timeoutMs: 300_000,
        },
      );
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
      const failed = results.cases
        .filter((c) => c.status !== 'passed')
        .map((c) => `${c.fullTitle} [${c.status}]`)
        .sort();
      expect(failed, `the cases that failed with ${names} on`).toEqual(
        run.map((d) => `${d.caseTitle} [failed]`).sort(),
      );
      expect(r.exitCode).toBe(1);
      expect(results.runs[0]?.provenance.defect).toBe(run.map((d) => d.name).join(','));
      // the failure says what was expected and seen in the area's words, not chai's
      expect(
        suites.flatMap((suite) => rawPhrasings(results, suite)),
        'failure text in raw assertion phrasing',
      ).toEqual([]);
    },
    300_000,
  );
});
