// The harness half of the cuda-annex area (the reference half: reference/cuda-annex/manifest.ts).
import { defineArea, configSchemaId } from './define.ts';
import type { CudaAnnexWorkerFixtures, CudaAnnexTestFixtures } from '../fixtures/cuda-annex.ts';

export const cudaAnnexArea = defineArea<CudaAnnexWorkerFixtures, CudaAnnexTestFixtures>({
  name: 'cuda-annex',
  configSchema: configSchemaId('cuda-annex'),
  fixtures: async () => {
    const m = await import('../fixtures/cuda-annex.ts');
    return { worker: m.cudaAnnexWorkerFixtures, test: m.cudaAnnexTestFixtures };
  },
});
