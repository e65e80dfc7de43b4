// The defect registry: every defect mode of the reference target, declared once
// with the case that must catch it. `cohesix-qa defects` prints it; the defect
// matrix test runs each one.
import type { DefectSpec } from './defect-spec.ts';
import { governanceDefects } from './governance/defects.ts';
import { bootDefects } from './boot/defects.ts';
import { secure9pDefects } from './secure9p/defects.ts';
import { guiDefects } from './gui/defects.ts';
import { cudaAnnexDefects } from './cuda-annex/defects.ts';
import { traceDefects } from './trace/defects.ts';
import { federationDefects } from './federation/defects.ts';
import { releaseDefects } from './release/defects.ts';

export const defects: DefectSpec[] = [
  ...governanceDefects,
  ...bootDefects,
  ...secure9pDefects,
  ...guiDefects,
  ...cudaAnnexDefects,
  ...traceDefects,
  ...federationDefects,
  ...releaseDefects,
];

export function findDefect(name: string): DefectSpec | undefined {
  return defects.find((d) => d.name === name);
}
