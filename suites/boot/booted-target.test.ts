// The booted target, judged on what its shared boot printed (markers, fault
// lines, on-target TAP), its image before boot (layout, signature), and its
// console. One file so one worker serves these quick cases.
import {
  bootSelfTestPoints,
  describe,
  expect,
  ProductError,
  tapVerdict,
  test,
} from '../../harness/fixtures.ts';

// What the shared boot printed: markers in the configured order, no fault lines.

describe('boot: console log', () => {
  test('boot markers appear in the configured order', ({ boot, evidence }) => {
    const t = boot.resources.shared.timeline;
    evidence.attach('timeline.txt', boot.timelineText());
    const missing = t.stages.filter((s) => !s.seen).map((s) => s.name);
    expect(
      missing,
      `stages never seen on the console${boot.resources.shared.error ? `: ${boot.resources.shared.error}` : ''}`,
    ).toEqual([]);
    expect(t.orderViolations).toEqual([]);
  });

  test('no fault lines on the console', ({ boot, evidence }) => {
    const { faults, lines } = boot.resources.shared;
    if (faults.length) {
      const first = faults[0]!.lineIndex;
      evidence.attach('serial-around-fault.txt', lines.slice(Math.max(0, first - 10), first + 10).join('\n'));
    }
    expect(faults.map((f) => `line ${f.lineIndex}: ${f.text}`)).toEqual([]);
  });
});

// On-target self-tests: each TAP point the target reported is its own case.

describe('boot: on-target self-tests', () => {
  test('the TAP stream is complete: plan met, no bail-out', ({ boot, evidence, skip }) => {
    const tap = boot.resources.shared.tap;
    if (!tap.ok) evidence.attach('serial.txt', boot.resources.shared.lines.join('\n'));
    expect(tap.problems, 'the on-target TAP stream is complete and the target did not bail out').toEqual([]);
    if (tap.skipAll !== undefined) skip(`the target skipped all its self-tests: ${tap.skipAll}`);
    expect(tap.points.length, 'the target reported at least one self-test').toBeGreaterThan(0);
  });

  for (const point of bootSelfTestPoints()) {
    test(point.name, ({ boot, evidence, skip }) => {
      // the same shared boot both named the cases and is judged here, so `seq` finds the point
      const seen = boot.resources.shared.tap.points.find((p) => p.seq === point.seq);
      expect(seen, `TAP point "${point.name}" missing from the shared boot`).toBeDefined();
      const verdict = tapVerdict(seen!);
      if (verdict.skipped) {
        evidence.attach('tap-directive.txt', verdict.skipped + '\n', 'text/plain');
        skip(verdict.skipped);
      }
      if (verdict.failure) throw new ProductError(verdict.failure);
    });
  }
});

// The image under test before it boots: ELF layout and signature.

describe('boot: artifact', () => {
  test('ELF LOAD segments inside the allowed ranges, entry inside a LOAD segment', ({ boot }) => {
    const layout = boot.layout();
    expect(layout, 'no LOAD ranges configured for this target (boot.loadRanges)').not.toBeNull();
    expect(layout!.violations.map((v) => v.message)).toEqual([]);
  });

  test('image signature and manifest verify before boot', ({ boot }) => {
    const v = boot.signature();
    expect(v, 'no signing key configured for this target (boot.signature.publicKey)').not.toBeNull();
    expect(v!.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
  });
});

// The line console of the booted target answers framed commands.

describe('boot: console', () => {
  test('cat /srv/cohrole answers the configured role', async ({ boot, bootConsole }) => {
    const answer = await bootConsole.run('cat /srv/cohrole', { timeoutMs: 5000 });
    expect(answer.lines).toEqual([boot.resources.role]);
  });
});
