// Every area of the reference target, each loaded only when its area is served: a
// `reference serve --area <area>` child (harness/target/serve.ts) holds one area's
// service code, not all nine.
import type { ReferenceService } from '../harness/target/types.ts';

export const referenceServiceLoaders: Readonly<Record<string, () => Promise<ReferenceService>>> = {
  governance: async () => (await import('./governance/service.ts')).governanceService,
  boot: async () => (await import('./boot/service.ts')).bootService,
  secure9p: async () => (await import('./secure9p/service.ts')).secure9pService,
  gui: async () => (await import('./gui/service.ts')).guiService,
  'cuda-annex': async () => (await import('./cuda-annex/service.ts')).cudaAnnexService,
  trace: async () => (await import('./trace/service.ts')).traceService,
  federation: async () => (await import('./federation/service.ts')).federationService,
  release: async () => (await import('./release/service.ts')).releaseService,
  coh: async () => (await import('./coh/service.ts')).cohService,
};

/** the areas the reference target serves */
export const referenceServiceAreas: readonly string[] = Object.keys(referenceServiceLoaders);
