// Every area's reference service (from reference/areas.ts), started on demand by
// harness/target/reference.ts.
import type { ReferenceService } from '../harness/target/types.ts';
import { REFERENCE_AREAS } from './areas.ts';

export const referenceServices: readonly ReferenceService[] = REFERENCE_AREAS.map((a) => a.service);
