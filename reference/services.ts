// Every area's reference service (from reference/areas.ts), each loaded only when its
// area is served: a `reference serve --area <area>` child (harness/target/serve.ts) holds
// one area's service code, not all nine.
import type { ReferenceService } from '../harness/target/types.ts';
import { REFERENCE_AREAS } from './areas.ts';

export const referenceServiceLoaders: Readonly<Record<string, () => Promise<ReferenceService>>> =
  Object.fromEntries(REFERENCE_AREAS.map((a) => [a.name, a.service]));

/** the areas the reference target serves */
export const referenceServiceAreas: readonly string[] = REFERENCE_AREAS.map((a) => a.name);
