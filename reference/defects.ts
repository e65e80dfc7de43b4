// The defect registry: every defect mode of the reference target, declared once
// with the case that must catch it in its area's list (reference/areas.ts).
// `cohesix-qa defects` prints it; the defect matrix test runs each one.
import type { DefectSpec } from './defect-spec.ts';
import { REFERENCE_AREAS } from './areas.ts';

export const defects: DefectSpec[] = REFERENCE_AREAS.flatMap((a) => a.defects);

export function findDefect(name: string): DefectSpec | undefined {
  return defects.find((d) => d.name === name);
}
