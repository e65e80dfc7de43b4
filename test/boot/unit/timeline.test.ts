import { describe, expect, test } from 'vitest';
import {
  buildTimeline,
  defaultTimelineConfig,
  formatTimeline,
  guestMsOf,
} from '../../../harness/boot/timeline.ts';
import { summarize, percentile } from '../../../harness/results/stats.ts';
import { bootReport } from '../../../harness/boot/cold-boot.ts';
import type { SerialLine } from '../../../harness/serial/line-capture.ts';
import { loadSchemaValidator } from '../schema.ts';

function lines(spec: Array<[number, string]>): SerialLine[] {
  return spec.map(([t, text], index) => ({ index, t, text, bytes: Buffer.from(text) }));
}

const times = { spawn: 900, qmpReady: 980, cont: 1000, firstByte: 1001 };

describe('boot timeline', () => {
  test('stages get host ms since cont, deltas, since-spawn and guest clock', () => {
    const t = buildTimeline(
      lines([
        [1001, '[    0.000900] banner'],
        [1002, '[    0.001500] ROOTSERVER ONLINE'],
        [1004.5, '[    0.003250] COHESIX_BOOT_OK'],
        [1006, '[    0.004000] Cohesix init complete'],
        [1010, '[    0.008000] Cohesix shell started'],
      ]),
      times,
      defaultTimelineConfig(),
    );
    expect(t.host).toEqual({ spawnMs: -100, qmpReadyMs: -20, contMs: 0, firstByteMs: 1 });
    expect(t.stages.map((s) => s.hostMs)).toEqual([2, 4.5, 6, 10]);
    expect(t.stages.map((s) => s.deltaMs)).toEqual([2, 2.5, 1.5, 4]);
    expect(t.stages[1]!.sinceSpawnMs).toBe(104.5);
    expect(t.stages.map((s) => s.guestMs)).toEqual([1.5, 3.25, 4, 8]);
    expect(t.bootMs).toBe(4.5);
    expect(t.bootGuestMs).toBe(3.25);
    expect(t.withinBudget).toBe(true);
    expect(t.inOrder).toBe(true);
    expect(formatTimeline(t)).toMatch(/boot_ok\s+4\.5\s+2\.5\s+104\.5\s+3\.250\s+≤200\s+boot ✓/);
  });

  test('over budget, missing, and out-of-order stages are reported', () => {
    const cfg = defaultTimelineConfig();
    const slow = buildTimeline(
      lines([
        [1100, 'ROOTSERVER ONLINE'],
        [1300.25, 'COHESIX_BOOT_OK'],
      ]),
      times,
      cfg,
    );
    expect(slow.bootMs).toBe(300.25);
    expect(slow.withinBudget).toBe(false);
    expect(slow.stages[2]!.seen).toBe(false);

    const hang = buildTimeline(lines([[1100, 'ROOTSERVER ONLINE']]), times, cfg);
    expect(hang.bootMs).toBeUndefined();
    expect(hang.withinBudget).toBe(false);
    expect(formatTimeline(hang)).toContain('not seen');

    const swapped = buildTimeline(
      lines([
        [1001, 'ROOTSERVER ONLINE'],
        [1002, 'Cohesix init complete'],
        [1003, 'COHESIX_BOOT_OK'],
        [1004, 'Cohesix shell started'],
      ]),
      times,
      cfg,
    );
    expect(swapped.inOrder).toBe(false);
    expect(swapped.orderViolations).toEqual([
      '"init" (line 1) appeared before "boot_ok" (line 2), which the configured order puts first',
    ]);
  });

  test('per-stage budgets and a configurable boot stage', () => {
    const cfg = defaultTimelineConfig();
    cfg.stages[0]!.budgetMs = 1;
    cfg.bootStage = 'shell';
    cfg.budgetMs = 50;
    const t = buildTimeline(
      lines([
        [1002, 'ROOTSERVER ONLINE'],
        [1003, 'COHESIX_BOOT_OK'],
        [1004, 'Cohesix init complete'],
        [1040, 'Cohesix shell started'],
      ]),
      times,
      cfg,
    );
    expect(t.bootMs).toBe(40);
    expect(t.stages[0]!.withinBudget).toBe(false);
    expect(t.withinBudget).toBe(false);
    cfg.bootStage = 'nope';
    expect(() => buildTimeline([], times, cfg)).toThrow(/boot stage "nope" is not among/);
  });

  test('guest clock parsing', () => {
    expect(guestMsOf('[    1.234567] x')).toBeCloseTo(1234.567, 6);
    expect(guestMsOf('no stamp')).toBeUndefined();
  });
});

describe('statistics and the boot report', () => {
  test('min, median, nearest-rank p95', () => {
    expect(summarize([5, 1, 3, 2, 4])).toEqual({ n: 5, min: 1, median: 3, p95: 5, max: 5 });
    expect(summarize([1, 2, 3, 4])).toMatchObject({ median: 2.5 });
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 95)).toBe(95);
  });

  test('the report judges the configured statistic and validates against its schema', async () => {
    const validate = await loadSchemaValidator('boot-report');
    const cfg = defaultTimelineConfig();
    const run = (bootAt: number) => ({
      timeline: buildTimeline(
        lines([
          [1001, 'ROOTSERVER ONLINE'],
          [1000 + bootAt, 'COHESIX_BOOT_OK'],
        ]),
        times,
        cfg,
      ),
      faults: [],
      serialTail: [],
    });
    const runs = [run(10), run(20), run(30), run(40), run(250)];
    const median = bootReport(runs, {
      launch: { profile: 'generic', binary: 'qemu-system-aarch64' },
      timeline: cfg,
      timeoutMs: 1,
    });
    expect(median.judgedMs).toBe(30);
    expect(median.stages).toEqual([
      { name: 'rootserver', hostMs: 1, guestMs: undefined, budgetMs: undefined, seenIn: 5 },
      { name: 'boot_ok', hostMs: 30, guestMs: undefined, budgetMs: 200, seenIn: 5 },
    ]);
    expect(median.withinBudget).toBe(true);
    const p95 = bootReport(runs, {
      launch: { profile: 'generic', binary: 'q' },
      timeline: cfg,
      timeoutMs: 1,
      statistic: 'p95',
    });
    expect(p95.judgedMs).toBe(250);
    expect(p95.withinBudget).toBe(false);
    expect(validate(JSON.parse(JSON.stringify(median)))).toBe(true);
    const bad = JSON.parse(JSON.stringify(median));
    bad.statistic = 'mean';
    expect(validate(bad)).toBe(false);
    const hung = bootReport(
      [
        run(10),
        {
          ...run(10),
          timeline: buildTimeline(lines([[1001, 'ROOTSERVER ONLINE']]), times, cfg),
          error: 'timeout',
        },
      ],
      {
        launch: { profile: 'generic', binary: 'q' },
        timeline: cfg,
        timeoutMs: 1,
      },
    );
    expect(hung.allReached).toBe(false);
    expect(hung.judgedMs).toBeNull();
    expect(hung.withinBudget).toBe(false);
    expect(validate(JSON.parse(JSON.stringify(hung)))).toBe(true);
  });
});
