// Every area of the reference target, started on demand by harness/target/reference.ts.
import type { ReferenceService } from '../harness/target/types.ts';
import { governanceService } from './governance/service.ts';
import { bootService } from './boot/service.ts';
import { secure9pService } from './secure9p/service.ts';
import { guiService } from './gui/service.ts';
import { cudaAnnexService } from './cuda-annex/service.ts';
import { traceService } from './trace/service.ts';
import { federationService } from './federation/service.ts';
import { releaseService } from './release/service.ts';
import { cohService } from './coh/service.ts';

export const referenceServices: ReferenceService[] = [
  governanceService,
  bootService,
  secure9pService,
  guiService,
  cudaAnnexService,
  traceService,
  federationService,
  releaseService,
  cohService,
];
