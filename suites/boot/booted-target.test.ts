// The booted target, judged on what its shared boot printed (markers, fault
// lines, on-target TAP), its image before boot (layout, signature), and its
// console. One file so one worker serves these quick cases.
import { bootSelfTestPoints, describe, tapVerdict, test } from '../../harness/fixtures.ts';

// What the shared boot printed: markers in the configured order, no fault lines.

describe('boot: console log', () => {
  test('boot markers appear in the configured order', ({ boot, evidence, problems }) => {
    const t = boot.resources.shared.timeline;
    evidence.attach('timeline.txt', boot.timelineText());
    const error = boot.resources.shared.error;
    problems.none(
      t.stages.filter((s) => !s.seen),
      (s) => `the boot marker ${s.name} never appeared on the console${error ? ` (${error})` : ''}`,
    );
    problems.none(t.orderViolations, (v) => `boot markers out of the configured order: ${v}`);
  });

  test('no fault lines on the console', ({ boot, evidence, problems }) => {
    const { faults, lines } = boot.resources.shared;
    if (faults.length) {
      const first = faults[0]!.lineIndex;
      evidence.attach('serial-around-fault.txt', lines.slice(Math.max(0, first - 10), first + 10).join('\n'));
    }
    problems.none(faults, (f) => `a fault line on the console at line ${f.lineIndex}: ${f.text}`);
  });
});

// On-target self-tests: each TAP point the target reported is its own case.

describe('boot: on-target self-tests', () => {
  test('the TAP stream is complete: plan met, no bail-out', ({ boot, evidence, problems, skip }) => {
    const tap = boot.resources.shared.tap;
    if (!tap.ok) evidence.attach('serial.txt', boot.resources.shared.lines.join('\n'));
    problems.none(tap.problems, (p) => `the on-target TAP stream: ${p}`);
    problems.stopIfAny();
    if (tap.skipAll !== undefined) skip(`the target skipped all its self-tests: ${tap.skipAll}`);
    problems.check(tap.points.length > 0, 'the target printed no TAP self-test points after booting');
  });

  for (const point of bootSelfTestPoints()) {
    test(point.name, ({ boot, evidence, problems, skip }) => {
      // the same shared boot both named the cases and is judged here, so `seq` finds the point
      const seen = problems.need(
        boot.resources.shared.tap.points.find((p) => p.seq === point.seq),
        `the target never reported self-test "${point.name}" in its TAP stream`,
      );
      const verdict = tapVerdict(seen);
      if (verdict.skipped) {
        evidence.attach('tap-directive.txt', verdict.skipped + '\n', 'text/plain');
        skip(verdict.skipped);
      }
      if (verdict.failure) problems.add(verdict.failure);
    });
  }
});

// The image under test before it boots: ELF layout and signature.

describe('boot: artifact', () => {
  test('ELF LOAD segments inside the allowed ranges, entry inside a LOAD segment', ({
    boot,
    problems,
    unconfigured,
  }) => {
    const layout =
      boot.layout() ??
      unconfigured(
        'boot.loadRanges',
        'no LOAD ranges are configured for this target, so the image layout cannot be judged (boot.loadRanges)',
      );
    problems.none(layout.violations, (v) => `ELF layout: ${v.message}`);
  });

  test('image signature and manifest verify before boot', ({ boot, problems, unconfigured }) => {
    const v =
      boot.signature() ??
      unconfigured(
        'boot.signature',
        'no signing key is configured for this target, so the signature cannot be verified (boot.signature.publicKey)',
      );
    problems.none(
      v.checks.filter((c) => !c.ok),
      (c) => `the image does not verify: ${c.name}: ${c.detail}`,
    );
  });
});

// The line console of the booted target answers framed commands.

describe('boot: console', () => {
  test('cat /srv/cohrole answers the configured role', async ({ boot, bootConsole, problems }) => {
    const answer = await bootConsole.run('cat /srv/cohrole', { timeoutMs: 5000 });
    problems.check(
      answer.lines.length === 1 && answer.lines[0] === boot.resources.role,
      'the console answers `cat /srv/cohrole` with the configured role',
      { expected: boot.resources.role, found: answer.lines.join('\n') || 'no output' },
    );
  });
});
