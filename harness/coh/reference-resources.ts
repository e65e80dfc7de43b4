// The coh resources of the reference target. The reference's coh service serves a
// console and names its own pack folder; which scripts run is the checker's choice
// (the same selection as on a release target: --coh, then coh.scripts, then the
// default), so it is made here, on the harness side.
import { join } from 'node:path';
import { cohResources, type CohResources, type CohSection } from './resources.ts';

/** what reference/coh/service.ts serves (plain JSON) */
export interface ServedCoh {
  console: { host: string; port: number; token: string };
  worker: { id: string; ticket: string };
  packDir: string;
}

export function referenceCohResources(served: ServedCoh, section: CohSection | undefined): CohResources {
  return cohResources({
    section: section ?? {},
    defaultGlob: { pattern: join(served.packDir, '*.coh'), source: "the reference target's own pack" },
    defaultBaseDir: served.packDir,
    console: served.console,
    worker: served.worker,
  });
}
