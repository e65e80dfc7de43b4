// Every area of the reference target: one line an area (its manifest,
// reference/<area>/manifest.ts). The service list (reference/services.ts) and the
// defect registry (reference/defects.ts) derive from it.
import type { ReferenceArea } from './area-manifest.ts';

export const REFERENCE_AREAS: readonly ReferenceArea[] = [
  (await import('./governance/manifest.ts')).governanceArea,
  (await import('./boot/manifest.ts')).bootArea,
  (await import('./secure9p/manifest.ts')).secure9pArea,
  (await import('./gui/manifest.ts')).guiArea,
  (await import('./cuda-annex/manifest.ts')).cudaAnnexArea,
  (await import('./trace/manifest.ts')).traceArea,
  (await import('./federation/manifest.ts')).federationArea,
  (await import('./release/manifest.ts')).releaseArea,
  (await import('./coh/manifest.ts')).cohArea,
];
