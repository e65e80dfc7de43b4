// The booted target, judged on what its shared boot printed (markers, fault
// lines, on-target TAP), its image before boot (layout, signature), and its
// console. One file so one worker serves these quick cases.
import { bootSelfTestPoints, describe, expect, test } from '../../harness/fixtures.ts';

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
  test('the TAP stream is complete: plan met, no bail-out', ({ boot, evidence }) => {
    const tap = boot.resources.shared.tap;
    if (!tap.ok) evidence.attach('serial.txt', boot.resources.shared.lines.join('\n'));
    expect(tap.problems).toEqual([]);
    expect(tap.points.length).toBeGreaterThan(0);
  });

  for (const point of bootSelfTestPoints()) {
    test(point.name, ({ boot }) => {
      const seen = boot.resources.shared.tap.points.find((p) => p.id === point.id);
      expect(seen, `TAP point ${point.id} missing`).toBeDefined();
      expect(
        seen!.ok || seen!.skip || seen!.todo,
        `not ok ${seen!.id} - ${seen!.name}: ${JSON.stringify(seen!.diag ?? {})}`,
      ).toBe(true);
    });
  }
});

// The image under test before it boots: ELF layout and signature.

describe('boot: artifact', () => {
  test('ELF LOAD segments inside the allowed ranges, entry inside a LOAD segment', ({
    boot,
    unconfigured,
  }) => {
    const layout =
      boot.layout() ??
      unconfigured('boot.loadRanges', 'no LOAD ranges configured for this target (boot.loadRanges)');
    expect(layout.violations.map((v) => v.message)).toEqual([]);
  });

  test('image signature and manifest verify before boot', ({ boot, unconfigured }) => {
    const v =
      boot.signature() ??
      unconfigured('boot.signature', 'no signing key configured for this target (boot.signature.publicKey)');
    expect(v.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
  });
});

// The line console of the booted target answers framed commands.

describe('boot: console', () => {
  test('cat /srv/cohrole answers the configured role', async ({ boot, bootConsole }) => {
    const answer = await bootConsole.run('cat /srv/cohrole', { timeoutMs: 5000 });
    expect(answer.lines).toEqual([boot.resources.role]);
  });
});
