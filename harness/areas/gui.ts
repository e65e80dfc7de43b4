// The harness half of the gui area (the reference half: reference/gui/manifest.ts).
import { defineArea, configSchemaId } from './define.ts';
import type { GuiWorkerFixtures, GuiTestFixtures } from '../fixtures/gui.ts';

export const guiArea = defineArea<GuiWorkerFixtures, GuiTestFixtures>({
  name: 'gui',
  configSchema: configSchemaId('gui'),
  fixtures: async () => {
    const m = await import('../fixtures/gui.ts');
    return { worker: m.guiWorkerFixtures, test: m.guiTestFixtures };
  },
});
