// The cuda-annex defect modes (kept apart from defects.ts so the executor can
// import the names without the suite-facing registry).
export const CUDA_ANNEX_DEFECT_NAMES = [
  'cuda-silent-success',
  'cuda-no-telemetry',
  'cuda-stale-status',
  'cuda-double-run',
] as const;

export type CudaAnnexDefect = (typeof CUDA_ANNEX_DEFECT_NAMES)[number];

/** the cuda-annex defects of a comma list (`--defect a,b`, the resources' defect field), others left out */
export function cudaAnnexDefects(list: string | undefined): ReadonlySet<CudaAnnexDefect> {
  return new Set(
    (list ?? '')
      .split(',')
      .map((s) => cudaAnnexDefect(s.trim()))
      .filter((d) => d !== undefined),
  );
}

export function cudaAnnexDefect(name: string | undefined): CudaAnnexDefect | undefined {
  return (CUDA_ANNEX_DEFECT_NAMES as readonly string[]).includes(name ?? '')
    ? (name as CudaAnnexDefect)
    : undefined;
}
