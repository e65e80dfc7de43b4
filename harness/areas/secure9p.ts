// The harness half of the secure9p area (the reference half: reference/secure9p/manifest.ts).
import { defineArea, configSchemaId } from './define.ts';
import type { Secure9pWorkerFixtures, Secure9pTestFixtures } from '../fixtures/secure9p.ts';

export const secure9pArea = defineArea<Secure9pWorkerFixtures, Secure9pTestFixtures>({
  name: 'secure9p',
  configSchema: configSchemaId('secure9p'),
  fixtures: async () => {
    const m = await import('../fixtures/secure9p.ts');
    return { worker: m.secure9pWorkerFixtures, test: m.secure9pTestFixtures };
  },
});
