// Which unconfigured cases a run requires: the run's require list (config
// `require` plus `--require`, both checked) and an area's `require` config key.
import { describe, expect, it } from 'vitest';
import { parseRequire } from '../../harness/fixtures/case-groups.ts';
import { groupRequired } from '../../harness/fixtures/unconfigured.ts';
import { UsageError } from '../../harness/errors.ts';
import type { TargetDescriptor } from '../../harness/target/types.ts';

const target = (resources: Record<string, unknown> = {}): TargetDescriptor =>
  ({ kind: 'release', name: 'release', resources }) as TargetDescriptor;

describe('case groups', () => {
  it('accepts known groups and areas, and refuses a typo naming the groups', () => {
    expect(parseRequire(['release.worker', 'boot', 'release.worker'])).toEqual(['release.worker', 'boot']);
    expect(() => parseRequire(['release.wroker'])).toThrow(UsageError);
    expect(() => parseRequire(['release.wroker'])).toThrow(
      /--require release.wroker: not a case group\n {2}fix: use one of release.worker, boot.loadRanges, boot.signature \(or an area: release, boot\)/,
    );
  });

  it("a group is required by the run's list (the group or its area) or by its area config", () => {
    const none: string[] = [];
    expect(groupRequired('release.worker', target(), none)).toBe(false);
    expect(groupRequired('release.worker', target(), ['release.worker'])).toBe(true);
    expect(groupRequired('release.worker', target(), ['boot', 'release'])).toBe(true);
    expect(groupRequired('release.worker', target(), ['boot.signature'])).toBe(false);
    expect(groupRequired('release.worker', target({ release: { require: ['worker'] } }), none)).toBe(true);
    expect(groupRequired('boot.signature', target({ release: { require: ['worker'] } }), none)).toBe(false);
  });
});
