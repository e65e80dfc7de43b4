// The harness half of the boot area (the reference half: reference/boot/manifest.ts).
import { defineArea, configSchemaId } from './define.ts';
import { registerBoot } from '../cli/commands/boot.ts';
import type { BootWorkerFixtures, BootTestFixtures } from '../fixtures/boot.ts';

export const bootArea = defineArea<BootWorkerFixtures, BootTestFixtures>({
  name: 'boot',
  configSchema: configSchemaId('boot'),
  fixtures: async () => {
    const m = await import('../fixtures/boot.ts');
    return { worker: m.bootWorkerFixtures, test: m.bootTestFixtures };
  },
  cli: [registerBoot],
});
