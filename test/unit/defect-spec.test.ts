// Which defects may share a run: the rules the defect matrix packs by and the
// reference target refuses by (reference/defect-spec.ts).
import { describe, expect, it } from 'vitest';
import { defectConflict, parseDefectList, soleDefect, type DefectSpec } from '../../reference/defect-spec.ts';
import { defects } from '../../reference/defects.ts';
import { areaRuns, defectRuns, RIDER_SUITES } from '../e2e/defect-groups.ts';

const spec = (
  name: string,
  suite: string,
  caseTitle: string,
  more: Partial<DefectSpec> = {},
): DefectSpec => ({
  name,
  suite,
  caseTitle,
  summary: `${name} for the test`,
  ...more,
});

describe('defects sharing a run', () => {
  it('parses a comma list, dropping blanks and repeats', () => {
    expect(parseDefectList(' a, b,,a ')).toEqual(['a', 'b']);
    expect(parseDefectList(undefined)).toEqual([]);
  });

  it('allows defects of one area caught by different cases', () => {
    expect(defectConflict([spec('a', 'x', 'x > 1'), spec('b', 'x', 'x > 2'), spec('c', 'y', 'y > 1')])).toBe(
      undefined,
    );
  });

  it('refuses two defects caught by the same case, an exclusive one with another of its area, and one knob twice', () => {
    expect(defectConflict([spec('a', 'x', 'x > 1'), spec('b', 'x', 'x > 1')])).toMatch(
      /a and b are caught by the same case/,
    );
    expect(defectConflict([spec('a', 'x', 'x > 1', { exclusive: true }), spec('b', 'x', 'x > 2')])).toMatch(
      /a replaces the whole x service, so no other x defect \(here b\)/,
    );
    expect(defectConflict([spec('a', 'x', 'x > 1', { exclusive: true }), spec('b', 'y', 'y > 2')])).toBe(
      undefined,
    );
    expect(
      defectConflict([spec('a', 'x', 'x > 1', { knob: 'k' }), spec('b', 'x', 'x > 2', { knob: 'k' })]),
    ).toMatch(/a and b both set the x service's k/);
  });

  it('hands a one-defect part of a service its defect, and refuses two', () => {
    expect(soleDefect(new Set(['a', 'b']), ['b', 'c'])).toBe('b');
    expect(soleDefect(new Set(), ['b'])).toBe(undefined);
    expect(() => soleDefect(new Set(['b', 'c']), ['b', 'c'])).toThrow(
      /only one of these defects at a time, got b, c/,
    );
  });

  it('packs the registry into runs of one area each, every defect once, with no conflict in a run', () => {
    const runs = areaRuns(defects);
    expect(
      runs
        .flat()
        .map((d) => d.name)
        .sort(),
    ).toEqual(defects.map((d) => d.name).sort());
    for (const run of runs) {
      expect(new Set(run.map((d) => d.suite)).size).toBe(1);
      expect(defectConflict(run)).toBe(undefined);
    }
    expect(runs.length).toBeLessThan(defects.length);
  });

  it('lets a quick suite ride along with one slow one, and keeps every defect once', () => {
    const runs = defectRuns(defects);
    expect(runs.flatMap((r) => r.defects.map((d) => d.name)).sort()).toEqual(
      defects.map((d) => d.name).sort(),
    );
    for (const run of runs) {
      expect(run.suites.filter((s) => !RIDER_SUITES.includes(s)).length).toBeLessThanOrEqual(1);
      expect(new Set(run.defects.map((d) => d.suite))).toEqual(new Set(run.suites));
      expect(defectConflict(run.defects)).toBe(undefined);
    }
    expect(runs.length).toBeLessThan(areaRuns(defects).length);
  });
});
