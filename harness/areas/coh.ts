// The harness half of the coh area (the reference half: reference/coh/manifest.ts).
import { defineArea, configSchemaId } from './define.ts';
import { registerCoh } from '../cli/commands/coh.ts';
import type { CohWorkerFixtures, CohTestFixtures } from '../fixtures/coh.ts';

export const cohArea = defineArea<CohWorkerFixtures, CohTestFixtures>({
  name: 'coh',
  configSchema: configSchemaId('coh'),
  fixtures: async () => {
    const m = await import('../fixtures/coh.ts');
    return { worker: m.cohWorkerFixtures, test: m.cohTestFixtures };
  },
  cli: [registerCoh],
});
