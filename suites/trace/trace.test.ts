// Trace observability and consensus (Epic 3): recorders write the contract's
// format under /log/trace/, queens agree on trace windows with ≥ 2/3 signatures
// and fall back when they cannot, recorded votes replay, and a snapshot diff
// flags exactly what deviates.
import { describe, test, InfraError } from '../../harness/fixtures.ts';

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
  test('recorders honour /log/trace/', async ({ trace, evidence, problems }) => {
    const found = await trace.findArtifacts();
    const verdicts = found.map((p) => trace.judgePath(p));
    const bad = verdicts.filter((v) => !v.ok);
    if (bad.length > 0)
      evidence.attach('misplaced trace artifacts', bad.map((v) => (v.ok ? '' : v.reason)).join('\n'));
    problems.none(
      bad,
      (v) => `a trace artifact outside /log/trace/: ${v.path}${v.ok ? '' : ` (${v.reason})`}`,
    );
    problems.check(
      verdicts.some((v) => v.ok && v.kind === 'trace'),
      `the recorders wrote no trace file under ${trace.resources.traceDir}`,
      { found: `${found.length} artifacts, none a trace file there` },
    );
  });

  test('every trace line is schema-valid', async ({ trace, evidence, problems }) => {
    // every recorder file found anywhere (a misplaced one is the previous case's business)
    const files = (await trace.findArtifacts()).filter((p) => trace.judgePath(p).kind !== 'consensus');
    let lines = 0;
    const bad: string[] = [];
    for (const f of files) {
      const check = await trace.checkSource(trace.source(f));
      lines += check.lines;
      for (const p of check.problems) {
        bad.push(`${f}:${p.line}: ${p.problem}\n  ${p.text}`);
        problems.add(`a trace line breaks the trace-event schema: ${p.problem}`, {
          path: `${f}:${p.line}`,
          found: p.text,
        });
      }
    }
    if (bad.length > 0) evidence.attach('schema violations', bad.join('\n'));
    problems.check(lines > 0, `no trace lines were recorded in ${files.length} recorder files`);
  });

  test('every Secure9P and CLI action of the run appears in the trace', async ({
    trace,
    evidence,
    problems,
  }) => {
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
    problems.check(run.expected.length > 0, 'the suite performed no Secure9P or CLI actions to look for');
    for (const x of missing)
      problems.add(`the action "${x.action}" left no line in ${after.path}`, {
        expected: `{agent: ${x.agent}, event: ${x.event}, detail: ${x.detail ?? '(any)'}, ok: ${x.ok}}`,
        found: `${fresh.length} lines recorded during the actions, none matching`,
      });
  });
});

describe('validator rules', () => {
  test('every rule carries version, activation_window and source, and the rules log agrees', async ({
    trace,
    evidence,
    problems: found,
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
    found.check(check.files.length > 0, `there are no validator rule files under ${paths.rulesDir}`);
    found.check(
      (await trace.validatorLogFiles()).length > 0,
      `the validator logs nothing under ${paths.logDir}/`,
    );
    for (const p of check.problems)
      found.add(`the validator rule ${p.file} breaks schemas/validator-rule.schema.json`, {
        path: p.path,
        expected: p.expected,
        found: p.actual,
      });
    found.none(
      log.unreadable,
      (u) => `${paths.rulesLog}:${u.line} is not a {file, error} JSON line: ${u.text}`,
    );
    found.none(disagreements, (d) => `${paths.rulesLog} disagrees with the rule files: ${d}`);
  });
});

describe('trace consensus', () => {
  test('a healthy quorum accepts', async ({ queens, evidence, measure, problems }) => {
    const started = performance.now();
    const outcome = await queens.sync('q1', events(3));
    measure.record({
      name: 'consensus vote, 5 queens over mutual TLS',
      unit: 'ms',
      samples: [performance.now() - started],
    });
    if (!outcome.accepted || outcome.rejected.length > 0)
      evidence.attach('vote outcome', JSON.stringify(outcome, null, 2), 'application/json');
    problems.check(outcome.accepted, `5 healthy queens did not accept window ${outcome.windowId}`);
    problems.none(outcome.rejected, (r) => `a healthy queen's vote was rejected: ${r.peer} (${r.reason})`);
    const signers = outcome.signers.map((s) => s.peer).sort();
    problems.check(signers.join() === [...queens.ids].sort().join(), 'every queen signs the window', {
      expected: [...queens.ids].sort().join(', '),
      found: signers.join(', '),
    });
    // every queen committed this window with this root (rings may differ in history if an earlier case partitioned one)
    const snapshots = await Promise.all(
      queens.ids.map(async (id) => ({ queen: id, ...(await queens.status(id)).snapshot })),
    );
    problems.none(
      snapshots.filter((s) => s.id !== outcome.windowId || s.windowRoot !== outcome.root),
      (s) =>
        `queen ${s.queen} did not commit the accepted window ${outcome.windowId} with root ${outcome.root} (its snapshot: window ${s.id}, root ${s.windowRoot})`,
    );
  });

  test('4 queens and 1 corrupt peer still accept and name the bad peer', async ({
    queens,
    evidence,
    problems,
  }) => {
    await queens.useMembers(['q1', 'q2', 'q3', 'q4']);
    await queens.fault('q4', { corruptSignature: true });
    const outcome = await queens.sync('q1', events(2));
    if (!outcome.accepted || outcome.rejected.length !== 1)
      evidence.attach(
        'vote outcome',
        JSON.stringify({ ...outcome, events: outcome.events.length }, null, 2),
        'application/json',
      );
    problems.check(outcome.accepted, '3 good signatures of 4 queens (q4 corrupt) did not carry the vote');
    const rejected = outcome.rejected.map((r) => `${r.peer} (${r.reason})`).join(', ');
    problems.check(
      outcome.rejected.length === 1 &&
        outcome.rejected[0]!.peer === 'q4' &&
        /signature/.test(outcome.rejected[0]!.reason),
      'the vote names q4 alone, for its signature',
      { expected: 'q4 (… signature …)', found: rejected || 'no peer rejected' },
    );
  });

  test('below 2/3 of signatures the vote fails with an actionable ConsensusError and a fault file', async ({
    trace,
    queens,
    evidence,
    problems,
  }) => {
    // 3 of 5 sign: a majority, but below the 2/3 the contract requires
    await queens.fault('q4', { partition: true });
    await queens.fault('q5', { delayMs: trace.resources.queens!.voteTimeoutMs * 3 });
    const err = await queens.sync('q1', events(2)).then(
      (o) => o,
      (e: unknown) => e,
    );
    const ce = problems.need(
      err instanceof trace.ConsensusError ? err : undefined,
      'the vote with 3 of 5 signatures (below 2/3) did not fail with a ConsensusError',
      { found: err instanceof Error ? `${err.name}: ${err.message}` : 'the vote was accepted' },
    );
    evidence.attach('ConsensusError', ce.message);
    for (const [re, what] of [
      [/3 of 5 signatures valid, 4 required/, 'the count: 3 of 5 signatures valid, 4 required'],
      [/q4 \(unreachable/, 'q4 as unreachable'],
      [/q5 \(no vote within/, 'q5 as not voting in time'],
      [/Fix: /, 'how to fix it ("Fix: …")'],
    ] as const)
      problems.check(re.test(ce.message), `the ConsensusError names ${what}`, { found: ce.message });
    const faultPath = ce.outcome?.files.faultFile;
    if (
      problems.check(
        /^\/srv\/trace\/fault\/\d+\.error$/.test(faultPath ?? ''),
        'the failed vote leaves a fault file under /srv/trace/fault/',
        { expected: '/srv/trace/fault/<n>.error', found: faultPath ?? 'no fault file' },
      )
    ) {
      const fault = JSON.parse(await trace.readQueenFile('q1', faultPath!)) as {
        error: string;
        rejected: Array<{ peer: string }>;
      };
      problems.check(fault.error === 'ConsensusError', `the fault file ${faultPath} names the error`, {
        expected: 'ConsensusError',
        found: fault.error,
      });
      const peers = fault.rejected
        .map((r) => r.peer)
        .sort()
        .join(', ');
      problems.check(peers === 'q4, q5', `the fault file ${faultPath} names the peers that did not sign`, {
        expected: 'q4, q5',
        found: peers,
      });
    }
  });

  test('a failed vote falls back to the last good snapshot', async ({ queens, problems }) => {
    await queens.sync('q1', events(1));
    const good = await queens.status('q1');
    // 2 of 5 sign: refused under any quorum rule
    for (const q of ['q3', 'q4', 'q5']) await queens.fault(q, { partition: true });
    const window = events(3);
    const refusal = await queens.sync('q1', window).then(
      () => 'the vote was accepted',
      (e: Error) => e.message,
    );
    problems.check(
      /consensus failed/.test(refusal),
      'a vote with 2 of 5 signatures fails with "consensus failed"',
      {
        found: refusal,
      },
    );
    const after = await queens.status('q1');
    problems.check(
      after.snapshot.id === good.snapshot.id,
      'current.snapshot stays at the last good window after the failed vote',
      {
        expected: good.snapshot.id,
        found: after.snapshot.id,
      },
    );
    problems.check(
      after.ringRoot === good.snapshot.ringRoot,
      'the ring falls back to the last good snapshot (the rejected window is dropped)',
      {
        expected: `ring root ${good.snapshot.ringRoot}`,
        found: `ring root ${after.ringRoot}`,
      },
    );
    problems.check(
      after.ringSize === good.ringSize,
      'the ring holds as many windows as before the failed vote',
      {
        expected: good.ringSize,
        found: after.ringSize,
      },
    );
  });

  test('peers refuse a segment without a valid signature', async ({ queens, problems }) => {
    await queens.fault('q1', { unsignedSegment: true });
    const err = await queens.sync('q1', events(1)).then(
      () => undefined,
      (e: unknown) => e as { outcome?: { rejected: Array<{ peer: string; reason: string }> } },
    );
    const rejected = problems.need(
      err?.outcome?.rejected,
      'the peers accepted a vote on an unsigned segment from q1',
    );
    const peers = rejected
      .map((r) => r.peer)
      .sort()
      .join(', ');
    problems.check(peers === 'q2, q3, q4, q5', 'every peer refuses the unsigned segment', {
      expected: 'q2, q3, q4, q5',
      found: peers,
    });
    for (const r of rejected)
      problems.check(
        /segment signature missing or invalid/.test(r.reason),
        `${r.peer} refuses for the missing signature`,
        {
          expected: 'segment signature missing or invalid',
          found: r.reason,
        },
      );
  });

  test('replaying recorded segments reproduces the same Merkle roots', async ({
    trace,
    queens,
    evidence,
    problems,
  }) => {
    await queens.sync('q2', events(5));
    const logs = (await trace.consensusLogs()).filter((l) => l.record.accepted);
    problems.check(logs.length > 0, 'the queens recorded no accepted consensus log to replay');
    const mismatches = logs
      .map((l) => ({ ...trace.replay(l.record), at: `${l.queen}:${l.path}` }))
      .filter((r) => !r.ok);
    if (mismatches.length > 0)
      evidence.attach('replay mismatches', JSON.stringify(mismatches, null, 2), 'application/json');
    problems.none(
      mismatches,
      (m) =>
        `replaying the recorded segments of ${m.at} gives another Merkle root: ${JSON.stringify(m).slice(0, 300)}`,
    );
  });
});

describe('trace diff', () => {
  test('a diff between the baseline and current snapshots flags exactly the seeded deviation', async ({
    trace,
    evidence,
    measure,
    problems,
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
    problems.check(
      summary.unchanged > 0,
      'the diff found no unchanged records: it matched nothing between the snapshots',
    );
    const seeded = snaps.seeded;
    const show = (r: (typeof records)[number]) => `${r.kind} ${JSON.stringify(r.key)}`;
    problems.check(records.length === 1, 'the diff reports exactly the one seeded deviation', {
      expected: `${seeded.kind} [*, ${seeded.agent}, ${seeded.event}, ${seeded.detail}]`,
      found: `${records.length} records: ${records.slice(0, 5).map(show).join('; ')}`,
    });
    const r = records[0];
    if (r) {
      const [, agent, event, detail] = r.key as unknown[];
      problems.check(
        r.kind === seeded.kind &&
          agent === seeded.agent &&
          event === seeded.event &&
          detail === seeded.detail,
        'the reported deviation is the seeded one',
        {
          expected: `${seeded.kind} [*, ${seeded.agent}, ${seeded.event}, ${seeded.detail}]`,
          found: show(r),
        },
      );
      if (r.kind === 'changed') {
        const fields = r.changes.map((c) => c.field).join(', ');
        problems.check(fields === seeded.field, 'the changed record differs in the seeded field only', {
          expected: seeded.field,
          found: fields,
        });
      }
    }
  });
});
