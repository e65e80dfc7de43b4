// The harness half of the release area (the reference half: reference/release/manifest.ts).
import { defineArea, configSchemaId } from './define.ts';
import type { ReleaseWorkerFixtures, ReleaseTestFixtures } from '../fixtures/release.ts';

export const releaseArea = defineArea<ReleaseWorkerFixtures, ReleaseTestFixtures>({
  name: 'release',
  configSchema: configSchemaId('release'),
  fixtures: async () => {
    const m = await import('../fixtures/release.ts');
    return { worker: m.releaseWorkerFixtures, test: m.releaseTestFixtures };
  },
});
