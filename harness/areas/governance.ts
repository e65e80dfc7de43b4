// The harness half of the governance area (the reference half: reference/governance/manifest.ts).
import { defineArea, configSchemaId } from './define.ts';
import type { GovernanceWorkerFixtures } from '../fixtures/governance.ts';

export const governanceArea = defineArea<GovernanceWorkerFixtures, object>({
  name: 'governance',
  configSchema: configSchemaId('governance'),
  fixtures: async () => {
    const m = await import('../fixtures/governance.ts');
    return { worker: m.governanceFixtures, test: {} };
  },
});
