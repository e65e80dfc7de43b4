// The reference half of the secure9p area (the harness half: harness/areas/secure9p.ts).
import type { ReferenceArea } from '../area-manifest.ts';
import { secure9pDefects } from './defects.ts';

export const secure9pArea: ReferenceArea = {
  name: 'secure9p',
  service: async () => (await import('./service.ts')).secure9pService,
  defects: secure9pDefects,
};
