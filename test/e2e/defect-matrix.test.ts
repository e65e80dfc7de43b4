// Every registered defect mode fails exactly the case that declares it, and every
// other case of its suite still passes. A suite that does not fail against its
// defect is not finished.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defects } from '../../reference/defects.ts';
import { cli, tempDir } from '../helpers/cli.ts';
import type { RunResults } from '../../harness/results/model.ts';
import { rawPhrasings } from '../verdicts/raw-phrasing.ts';

describe.concurrent('defect matrix', () => {
  it.each(defects.map((d) => [d.name, d] as const))(
    '%s',
    async (_name, d) => {
      const out = tempDir();
      const r = await cli(
        [
          'run',
          '--suite',
          d.suite,
          '--defect',
          d.name,
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
        .map((c) => `${c.fullTitle} [${c.status}]`);
      expect(failed).toEqual([`${d.caseTitle} [failed]`]);
      expect(r.exitCode).toBe(1);
      expect(results.runs[0]?.provenance.defect).toBe(d.name);
      // the failure says what was expected and seen in the area's words, not chai's
      expect(rawPhrasings(results, d.suite), 'failure text in raw assertion phrasing').toEqual([]);
    },
    300_000,
  );
});
