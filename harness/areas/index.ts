// Every area of the harness: one line an area (its manifest, harness/areas/<area>.ts).
// The fixtures door (harness/fixtures.ts) and the CLI's area commands
// (harness/cli/main.ts) derive from this list; an area's config section is its schema's
// "x-area" (harness/schemas/registry.ts). The reference half of each area is listed in
// reference/areas.ts, in the same order (test/architecture/areas.test.ts).

export const HARNESS_AREAS = [
  (await import('./governance.ts')).governanceArea,
  (await import('./boot.ts')).bootArea,
  (await import('./secure9p.ts')).secure9pArea,
  (await import('./gui.ts')).guiArea,
  (await import('./cuda-annex.ts')).cudaAnnexArea,
  (await import('./trace.ts')).traceArea,
  (await import('./federation.ts')).federationArea,
  (await import('./release.ts')).releaseArea,
  (await import('./coh.ts')).cohArea,
] as const;
