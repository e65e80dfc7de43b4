// Federation policy: what each queen reports as its effective policy equals what the
// harness's checker resolves from the same published files and administrator rules.
// One case per resolution rule, so a defect in one rule fails one case.
import { describe, expect, test, type Evidence, type FederationDriver } from '../../harness/fixtures.ts';

type Rule = 'time' | 'tie' | 'admin';

describe('federation policy', () => {
  async function compare(
    federation: FederationDriver,
    evidence: Evidence,
    rule: Rule,
  ): Promise<{ diffs: string[]; checked: number }> {
    const { resolution, decidedBy } = await federation.resolve();
    const diffs: string[] = [];
    const reports: Record<string, unknown> = {};
    let checked = 0;
    for (const q of federation.resources.queens) {
      const expected = resolution.queens[q.queen_id];
      const reported = await federation.call(q, { op: 'policy' });
      reports[q.queen_id] = reported;
      if (!expected) {
        if (rule === 'time' && reported.resolved)
          diffs.push(`${q.queen_id}: reports a policy the checker cannot resolve`);
        continue;
      }
      if (!reported.resolved) {
        diffs.push(`${q.queen_id}: reports no policy (${reported.reason ?? 'no reason given'})`);
        continue;
      }
      const invalid = federation.validateReported(reported.resolved);
      if (invalid && rule === 'time')
        diffs.push(`${q.queen_id}: the reported policy breaks its schema: ${invalid}`);
      const all = federation.diffResolved(expected, reported.resolved);
      for (const d of all) {
        const agent = /^agent (\S+):/.exec(d)?.[1];
        const decided = agent ? decidedBy[q.queen_id]?.[agent] : undefined;
        // chain differences and agents the checker does not grant belong to the plain-time case
        if ((decided ?? 'time') === rule) diffs.push(`${q.queen_id}: ${d}`);
      }
      checked += Object.values(decidedBy[q.queen_id] ?? {}).filter((r) => r === rule).length;
    }
    if (diffs.length > 0) {
      evidence.attach('checker-resolution.json', JSON.stringify(resolution, null, 2), 'application/json');
      evidence.attach('queen-reports.json', JSON.stringify(reports, null, 2), 'application/json');
    }
    return { diffs, checked };
  }

  test('every queen reports the checker inheritance chain and latest-timestamp winners', async ({
    federation,
    evidence,
  }) => {
    const { diffs, checked } = await compare(federation, evidence, 'time');
    expect(checked, 'the federation must publish at least one agent decided by time alone').toBeGreaterThan(
      0,
    );
    expect(diffs).toEqual([]);
  });

  test('timestamp ties resolve by the chain order, not by the order peers are read in', async ({
    federation,
    evidence,
  }) => {
    const { diffs, checked } = await compare(federation, evidence, 'tie');
    expect(
      checked,
      'the federation must publish at least one timestamp tie between a parent and a child',
    ).toBeGreaterThan(0);
    expect(diffs).toEqual([]);
  });

  test('explicit administrator rules beat newer overrides on every queen', async ({
    federation,
    evidence,
  }) => {
    const { diffs, checked } = await compare(federation, evidence, 'admin');
    expect(checked, 'the administrator rules must apply to at least one agent').toBeGreaterThan(0);
    expect(diffs).toEqual([]);
  });

  test('the checker finds no cycles, missing parents or invalid files in the published federation', async ({
    federation,
    evidence,
  }) => {
    const { resolution } = await federation.resolve();
    if (resolution.issues.length > 0)
      evidence.attach('issues.json', JSON.stringify(resolution.issues, null, 2), 'application/json');
    expect(resolution.issues).toEqual([]);
    expect(Object.keys(resolution.queens).sort()).toEqual(
      federation.resources.queens.map((q) => q.queen_id).sort(),
    );
  });
});
