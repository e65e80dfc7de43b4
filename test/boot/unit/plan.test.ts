import { describe, expect, test } from 'vitest';
import { bootPlanFromConfig, DEFAULT_LOAD_RANGE } from '../../../harness/boot/plan.ts';
import { referenceBootPlan } from '../../../reference/boot/service.ts';
import { imagesForDefect, bootDefects } from '../../../reference/boot/defects.ts';

describe('boot plan from config', () => {
  test('contract defaults: four upstream markers, boot_ok ends boot, 200 ms, 5 runs, median', () => {
    const p = bootPlanFromConfig(
      { image: '/x.elf' },
      { stateRoot: '/s', qemu: { profile: 'cohesix-aarch64-virt', image: '/x.elf' } },
    );
    expect(p.timeline.stages.map((s) => s.pattern)).toEqual([
      'ROOTSERVER ONLINE',
      'COHESIX_BOOT_OK',
      'Cohesix init complete',
      'Cohesix shell started',
    ]);
    expect(p.timeline.bootStage).toBe('boot_ok');
    expect(p.timeline.budgetMs).toBe(200);
    expect([p.bootRuns, p.statistic, p.role]).toEqual([5, 'median', 'QueenPrimary']);
    expect(p.loadRanges).toEqual([DEFAULT_LOAD_RANGE]);
    expect(p.signature).toBeNull();
    expect(p.verifyBeforeBoot).toBe(false);
  });

  test('own stages end boot at the last one; a key turns verification before boot on', () => {
    const p = bootPlanFromConfig(
      {
        stages: [
          { name: 'a', pattern: 'A' },
          { name: 'up', pattern: 'UP$' },
        ],
        bootRuns: 9,
        publicKey: '/k.pem',
      },
      { stateRoot: '/s', qemu: { profile: 'generic', binary: 'qemu-system-x86_64' } },
    );
    expect(p.timeline.bootStage).toBe('up');
    expect(p.bootRuns).toBe(9);
    expect(p.verifyBeforeBoot).toBe(true);
    expect(p.loadRanges).toBeNull(); // generic machine: no default RAM window
  });

  test('bad config names the key and the fix', () => {
    expect(() => bootPlanFromConfig({ bootStage: 'nope' }, { stateRoot: '/s' })).toThrow(
      /boot\.bootStage "nope" is not one of the stages/,
    );
    expect(() => bootPlanFromConfig({ stages: [{ name: 'x', pattern: '(' }] }, { stateRoot: '/s' })).toThrow(
      /boot\.stages "x": pattern is not a regex/,
    );
    expect(() => bootPlanFromConfig({ loadRanges: ['9..1'] }, { stateRoot: '/s' })).toThrow(
      /loadRanges: .*empty/,
    );
  });
});

describe('reference boot defects', () => {
  test('each defect boots its own variant; only boot-hang keeps the shared instance on ok', () => {
    expect(imagesForDefect(undefined)).toEqual({ coldBoot: 'ok', shared: 'ok' });
    for (const d of bootDefects) {
      expect(imagesForDefect(d.name).coldBoot).toBe(d.name);
      expect(imagesForDefect(d.name).shared).toBe(d.name === 'boot-hang' ? 'ok' : d.name);
    }
    const plan = referenceBootPlan({
      stateRoot: '/s',
      defects: new Set(['boot-slow']),
      areaConfig: { bootRuns: 3 },
    });
    expect(plan.qemu!.image).toMatch(/build\/boot-slow\.elf$/);
    expect(plan.image).toMatch(/build\/boot-slow\.elf$/);
    expect(plan.bootRuns).toBe(3);
    expect(plan.verifyBeforeBoot).toBe(false);
    expect(plan.signature!.publicKey).toMatch(/test-signing-key\.pub\.pem$/);
  });
});
