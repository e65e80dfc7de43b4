// Every area of the harness: one line an area. The fixtures door (harness/fixtures.ts),
// the config sections (harness/schemas/registry.ts reads configSchema through
// harness/areas/config-sections.ts) and the CLI's area commands (harness/cli/main.ts)
// derive from this list; the reference half of each area is listed in reference/areas.ts.
import { governanceArea } from './governance.ts';
import { bootArea } from './boot.ts';
import { secure9pArea } from './secure9p.ts';
import { guiArea } from './gui.ts';
import { cudaAnnexArea } from './cuda-annex.ts';
import { traceArea } from './trace.ts';
import { federationArea } from './federation.ts';
import { releaseArea } from './release.ts';
import { cohArea } from './coh.ts';

export const HARNESS_AREAS = [
  governanceArea,
  bootArea,
  secure9pArea,
  guiArea,
  cudaAnnexArea,
  traceArea,
  federationArea,
  releaseArea,
  cohArea,
] as const;
