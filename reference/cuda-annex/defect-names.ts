// The cuda-annex defect modes (kept apart from defects.ts so the executor can
// import the names without the suite-facing registry).
export const CUDA_ANNEX_DEFECT_NAMES = [
  'cuda-silent-success',
  'cuda-no-telemetry',
  'cuda-stale-status',
  'cuda-double-run',
] as const;

export type CudaAnnexDefect = (typeof CUDA_ANNEX_DEFECT_NAMES)[number];

export function cudaAnnexDefect(name: string | undefined): CudaAnnexDefect | undefined {
  return (CUDA_ANNEX_DEFECT_NAMES as readonly string[]).includes(name ?? '')
    ? (name as CudaAnnexDefect)
    : undefined;
}
