// The reference half of the cuda-annex area (the harness half: harness/areas/cuda-annex.ts).
import type { ReferenceArea } from '../area-manifest.ts';
import { cudaAnnexDefects } from './defects.ts';

export const cudaAnnexArea: ReferenceArea = {
  name: 'cuda-annex',
  service: async () => (await import('./service.ts')).cudaAnnexService,
  defects: cudaAnnexDefects,
};
