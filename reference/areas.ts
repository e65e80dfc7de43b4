// Every area of the reference target: one line an area. The service list
// (reference/services.ts) and the defect registry (reference/defects.ts) derive from it.
import type { ReferenceArea } from './area-manifest.ts';
import { governanceArea } from './governance/manifest.ts';
import { bootArea } from './boot/manifest.ts';
import { secure9pArea } from './secure9p/manifest.ts';
import { guiArea } from './gui/manifest.ts';
import { cudaAnnexArea } from './cuda-annex/manifest.ts';
import { traceArea } from './trace/manifest.ts';
import { federationArea } from './federation/manifest.ts';
import { releaseArea } from './release/manifest.ts';
import { cohArea } from './coh/manifest.ts';

export const REFERENCE_AREAS: readonly ReferenceArea[] = [
  governanceArea,
  bootArea,
  secure9pArea,
  guiArea,
  cudaAnnexArea,
  traceArea,
  federationArea,
  releaseArea,
  cohArea,
];
