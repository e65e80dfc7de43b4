// Federation policy: what each queen reports as its effective policy equals what the
// harness's checker resolves from the same published files and administrator rules.
// One case per resolution rule, so a defect in one rule fails one case.
import { describe, test, type Evidence, type FederationDriver } from '../../harness/fixtures.ts';

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
    problems,
  }) => {
    const { diffs, checked } = await compare(federation, evidence, 'time');
    problems.check(checked > 0, 'the federation publishes no agent decided by time alone: nothing to judge');
    problems.none(diffs, (d) => `a queen's effective policy differs from the checker's: ${d}`);
  });

  test('timestamp ties resolve by the chain order, not by the order peers are read in', async ({
    federation,
    evidence,
    problems,
  }) => {
    const { diffs, checked } = await compare(federation, evidence, 'tie');
    problems.check(
      checked > 0,
      'the federation publishes no timestamp tie between a parent and a child: nothing to judge',
    );
    problems.none(diffs, (d) => `a queen resolves a timestamp tie unlike the checker (chain order): ${d}`);
  });

  test('explicit administrator rules beat newer overrides on every queen', async ({
    federation,
    evidence,
    problems,
  }) => {
    const { diffs, checked } = await compare(federation, evidence, 'admin');
    problems.check(checked > 0, 'the administrator rules apply to no agent: nothing to judge');
    problems.none(diffs, (d) => `a queen does not apply an administrator rule over a newer override: ${d}`);
  });

  test('the checker finds no cycles, missing parents or invalid files in the published federation', async ({
    federation,
    evidence,
    problems,
  }) => {
    const { resolution } = await federation.resolve();
    if (resolution.issues.length > 0)
      evidence.attach('issues.json', JSON.stringify(resolution.issues, null, 2), 'application/json');
    problems.none(
      resolution.issues,
      (i) => `the published federation has a ${i.kind.replace(/_/g, ' ')}: ${JSON.stringify(i)}`,
    );
    const resolved = Object.keys(resolution.queens).sort().join(', ');
    const queens = federation.resources.queens
      .map((q) => q.queen_id)
      .sort()
      .join(', ');
    problems.check(resolved === queens, 'the checker resolves a policy for every queen of the federation', {
      expected: queens,
      found: resolved,
    });
  });
});
