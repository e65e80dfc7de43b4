// The harness half of the federation area (the reference half: reference/federation/manifest.ts).
import { defineArea, configSchemaId } from './define.ts';
import { registerFederation } from '../cli/commands/federation.ts';
import type { FederationWorkerFixtures } from '../fixtures/federation.ts';

export const federationArea = defineArea<FederationWorkerFixtures, object>({
  name: 'federation',
  configSchema: configSchemaId('federation'),
  fixtures: async () => {
    const m = await import('../fixtures/federation.ts');
    return { worker: m.federationWorkerFixtures, test: {} };
  },
  cli: [registerFederation],
});
