// Trace observability and consensus (Epic 3): recorders write the contract's
// format under /log/trace/, queens agree on trace windows with ≥ 2/3 signatures
// and fall back when they cannot, recorded votes replay, and a snapshot diff
// flags exactly what deviates.
import { describe, expect, test, InfraError } from '../../harness/fixtures.ts';

let seq = 0;
function events(n: number): Array<Record<string, unknown>> {
  return Array.from({ length: n }, () => ({
    ts: Date.now() + ++seq,
    agent: 'queen_primary',
    event: 'write',
    detail: `/srv/trace-suite/${seq}`,
    ok: true,
  }));
}

describe('trace recording', () => {
  test('recorders honour /log/trace/', async ({ trace, evidence }) => {
    const found = await trace.findArtifacts();
    const verdicts = found.map((p) => trace.judgePath(p));
    const bad = verdicts.filter((v) => !v.ok);
    if (bad.length > 0)
      evidence.attach('misplaced trace artifacts', bad.map((v) => (v.ok ? '' : v.reason)).join('\n'));
    expect(
      bad.map((v) => v.path),
      'trace artifacts outside /log/trace/',
    ).toEqual([]);
    expect(
      verdicts.filter((v) => v.ok && v.kind === 'trace').length,
      `no trace file under ${trace.resources.traceDir}`,
    ).toBeGreaterThan(0);
  });

  test('every trace line is schema-valid', async ({ trace, evidence }) => {
    // every recorder file found anywhere (a misplaced one is the previous case's business)
    const files = (await trace.findArtifacts()).filter((p) => trace.judgePath(p).kind !== 'consensus');
    let lines = 0;
    const problems: string[] = [];
    for (const f of files) {
      const check = await trace.checkSource(trace.source(f));
      lines += check.lines;
      problems.push(...check.problems.map((p) => `${f}:${p.line}: ${p.problem}\n  ${p.text}`));
    }
    if (problems.length > 0) evidence.attach('schema violations', problems.join('\n'));
    expect(lines, 'no trace lines were recorded').toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  test('every Secure9P and CLI action of the run appears in the trace', async ({ trace, evidence }) => {
    // only lines recorded after this point count: the actions below must each leave one
    const before = await trace.readLive();
    const run = await trace.performActions();
    const after = await trace.readLive();
    const fresh = after.lines.slice(before.lines.length);
    const missing = trace.missingActions(run.expected, fresh);
    if (missing.length > 0) {
      const show = (x: (typeof missing)[number]) =>
        `${x.action}: expected {agent: ${x.agent}, event: ${x.event}, detail: ${x.detail ?? '(any)'}, ok: ${x.ok}}`;
      evidence.attach(
        'missing trace events',
        [
          `${missing.length} of ${run.expected.length} actions are not in ${after.path} (read via ${after.via}):`,
          ...missing.map(show),
          '',
          `trace lines recorded during the actions (${fresh.length}):`,
          ...fresh.slice(-60).map((l) => `${after.path}:${l.line}: ${l.text}`),
        ].join('\n'),
      );
      evidence.attach('actions performed', run.steps.join('\n'));
    }
    expect(run.expected.length, 'no actions were performed').toBeGreaterThan(0);
    expect(
      missing.length,
      `actions missing from ${after.path}: ${missing.map((x) => `${x.action} (ok: ${x.ok})`).join('; ')}`,
    ).toBe(0);
  });
});

describe('validator rules', () => {
  test('every rule carries version, activation_window and source, and the rules log agrees', async ({
    trace,
    evidence,
  }) => {
    const paths = trace.validatorPaths();
    const check = await trace.checkRuleFiles();
    const log = await trace.readRulesLog();
    const disagreements = trace.rulesLogDisagreements(check, log);
    const problems = check.problems.map(
      (p) => `${p.file}: ${p.path}: expected ${p.expected}, found ${p.actual}`,
    );
    if (problems.length > 0) evidence.attach('rule schema violations', problems.join('\n'));
    if (disagreements.length > 0 || log.unreadable.length > 0)
      evidence.attach(
        `${paths.rulesLog} vs the rule schema`,
        [
          ...disagreements,
          ...log.unreadable.map(
            (u) => `${paths.rulesLog}:${u.line}: not a {file, error} JSON line: ${u.text}`,
          ),
          '',
          `logged errors: ${log.errors.map((e) => `${e.file} (${e.error})`).join('; ') || 'none'}`,
        ].join('\n'),
      );
    expect(check.files.length, `no rule files under ${paths.rulesDir}`).toBeGreaterThan(0);
    expect(
      (await trace.validatorLogFiles()).length,
      `the validator logs nothing under ${paths.logDir}/`,
    ).toBeGreaterThan(0);
    expect(
      problems.length,
      `validator rules that break schemas/validator-rule.schema.json: ${problems.join('; ')}`,
    ).toBe(0);
    expect(log.unreadable, `unreadable lines in ${paths.rulesLog}`).toEqual([]);
    expect(
      disagreements.length,
      `${paths.rulesLog} disagrees with the rule files: ${disagreements.join('; ')}`,
    ).toBe(0);
  });
});

describe('trace consensus', () => {
  test('a healthy quorum accepts', async ({ queens, evidence, measure }) => {
    const started = performance.now();
    const outcome = await queens.sync('q1', events(3));
    measure.record({
      name: 'consensus vote, 5 queens over mutual TLS',
      unit: 'ms',
      samples: [performance.now() - started],
    });
    if (!outcome.accepted || outcome.rejected.length > 0)
      evidence.attach('vote outcome', JSON.stringify(outcome, null, 2), 'application/json');
    expect(outcome.accepted).toBe(true);
    expect(outcome.rejected).toEqual([]);
    expect(outcome.signers.map((s) => s.peer).sort()).toEqual([...queens.ids].sort());
    // every queen committed this window with this root (rings may differ in history if an earlier case partitioned one)
    const snapshots = await Promise.all(
      queens.ids.map(async (id) => ({ queen: id, ...(await queens.status(id)).snapshot })),
    );
    expect(
      snapshots.filter((s) => s.id !== outcome.windowId || s.windowRoot !== outcome.root).map((s) => s.queen),
    ).toEqual([]);
  });

  test('4 queens and 1 corrupt peer still accept and name the bad peer', async ({ queens, evidence }) => {
    await queens.useMembers(['q1', 'q2', 'q3', 'q4']);
    await queens.fault('q4', { corruptSignature: true });
    const outcome = await queens.sync('q1', events(2));
    if (!outcome.accepted || outcome.rejected.length !== 1)
      evidence.attach(
        'vote outcome',
        JSON.stringify({ ...outcome, events: outcome.events.length }, null, 2),
        'application/json',
      );
    expect(outcome.accepted).toBe(true);
    expect(outcome.rejected).toEqual([{ peer: 'q4', reason: expect.stringMatching(/signature/) }]);
  });

  test('below 2/3 of signatures the vote fails with an actionable ConsensusError and a fault file', async ({
    trace,
    queens,
    evidence,
  }) => {
    // 3 of 5 sign: a majority, but below the 2/3 the contract requires
    await queens.fault('q4', { partition: true });
    await queens.fault('q5', { delayMs: trace.resources.queens!.voteTimeoutMs * 3 });
    const err = await queens.sync('q1', events(2)).then(
      (o) => o,
      (e: unknown) => e,
    );
    expect(err, 'the vote was accepted with 3 of 5 signatures').toBeInstanceOf(trace.ConsensusError);
    const ce = err as InstanceType<typeof trace.ConsensusError>;
    evidence.attach('ConsensusError', ce.message);
    expect(ce.message).toMatch(/3 of 5 signatures valid, 4 required/);
    expect(ce.message).toMatch(/q4 \(unreachable/);
    expect(ce.message).toMatch(/q5 \(no vote within/);
    expect(ce.message).toMatch(/Fix: /);
    const faultPath = ce.outcome?.files.faultFile;
    expect(faultPath).toMatch(/^\/srv\/trace\/fault\/\d+\.error$/);
    const fault = JSON.parse(await trace.readQueenFile('q1', faultPath!)) as {
      error: string;
      rejected: Array<{ peer: string }>;
    };
    expect(fault.error).toBe('ConsensusError');
    expect(fault.rejected.map((r) => r.peer).sort()).toEqual(['q4', 'q5']);
  });

  test('a failed vote falls back to the last good snapshot', async ({ queens }) => {
    await queens.sync('q1', events(1));
    const good = await queens.status('q1');
    // 2 of 5 sign: refused under any quorum rule
    for (const q of ['q3', 'q4', 'q5']) await queens.fault(q, { partition: true });
    const window = events(3);
    await expect(queens.sync('q1', window)).rejects.toThrow(/consensus failed/);
    const after = await queens.status('q1');
    expect(after.snapshot.id, 'current.snapshot moved past the failed vote').toBe(good.snapshot.id);
    expect(after.ringRoot, 'the ring still holds the rejected window: no fallback').toBe(
      good.snapshot.ringRoot,
    );
    expect(after.ringSize).toBe(good.ringSize);
  });

  test('peers refuse a segment without a valid signature', async ({ queens }) => {
    await queens.fault('q1', { unsignedSegment: true });
    const err = await queens.sync('q1', events(1)).then(
      () => undefined,
      (e: unknown) => e as { outcome?: { rejected: Array<{ peer: string; reason: string }> } },
    );
    expect(err, 'peers voted on an unsigned segment').toBeDefined();
    expect(err!.outcome!.rejected.map((r) => r.peer).sort()).toEqual(['q2', 'q3', 'q4', 'q5']);
    for (const r of err!.outcome!.rejected) expect(r.reason).toMatch(/segment signature missing or invalid/);
  });

  test('replaying recorded segments reproduces the same Merkle roots', async ({
    trace,
    queens,
    evidence,
  }) => {
    await queens.sync('q2', events(5));
    const logs = (await trace.consensusLogs()).filter((l) => l.record.accepted);
    expect(logs.length).toBeGreaterThan(0);
    const mismatches = logs
      .map((l) => ({ ...trace.replay(l.record), at: `${l.queen}:${l.path}` }))
      .filter((r) => !r.ok);
    if (mismatches.length > 0)
      evidence.attach('replay mismatches', JSON.stringify(mismatches, null, 2), 'application/json');
    expect(mismatches).toEqual([]);
  });
});

describe('trace diff', () => {
  test('a diff between the baseline and current snapshots flags exactly the seeded deviation', async ({
    trace,
    evidence,
    measure,
  }) => {
    const snaps = trace.resources.snapshots;
    if (!snaps?.seeded)
      throw new InfraError(
        'the target names no baseline and current snapshots with a seeded deviation',
        'run this case against the reference target; compare your own snapshots with `cohesix-qa trace diff`',
      );
    const started = performance.now();
    const { records, summary, text } = await trace.diff(snaps.baseline, snaps.current);
    measure.record({
      name: 'trace diff of the session snapshots',
      unit: 'ms',
      samples: [performance.now() - started],
    });
    if (records.length !== 1) evidence.attach('trace diff', text);
    expect(summary.unchanged).toBeGreaterThan(0);
    expect(records).toHaveLength(1);
    const seeded = snaps.seeded;
    expect(records[0]).toMatchObject({
      kind: seeded.kind,
      key: [expect.any(String), seeded.agent, seeded.event, seeded.detail],
    });
    if (records[0]!.kind === 'changed')
      expect(records[0]!.changes.map((c) => c.field)).toEqual([seeded.field]);
  });
});
