// The reference half of the gui area (the harness half: harness/areas/gui.ts).
import type { ReferenceArea } from '../area-manifest.ts';
import { guiDefects } from './defects.ts';

export const guiArea: ReferenceArea = {
  name: 'gui',
  service: async () => (await import('./service.ts')).guiService,
  defects: guiDefects,
};
