// `--defect a,b,c` for the reference target: each name known, and the set one that can
// share a run (reference/defect-spec.ts). The run checks it before it starts any serve
// child, so a typo is a usage error at once; each child applies its own area's share.
import { findDefect } from '../../reference/defects.ts';
import { defectConflict, parseDefectList, type DefectSpec } from '../../reference/defect-spec.ts';
import { UsageError } from '../errors.ts';

/** The defect modes of `--defect a,b,c`, refused with the fix when one is unknown or they cannot share a run. */
export function referenceDefects(list: string | undefined): DefectSpec[] {
  const specs = parseDefectList(list).map((name) => {
    const spec = findDefect(name);
    if (!spec)
      throw new UsageError(`--defect ${name}: no such defect mode\n  fix: \`cohesix-qa defects\` lists them`);
    return spec;
  });
  const conflict = defectConflict(specs);
  if (conflict) throw new UsageError(`--defect ${list}: ${conflict}\n  fix: run them in separate runs`);
  return specs;
}

/** the names of one area's defect modes in force */
export function areaDefects(specs: readonly DefectSpec[], area: string): Set<string> {
  return new Set(specs.filter((d) => d.suite === area).map((d) => d.name));
}
