// The reference half of the boot area (the harness half: harness/areas/boot.ts).
import type { ReferenceArea } from '../area-manifest.ts';
import { bootDefects } from './defects.ts';

export const bootArea: ReferenceArea = {
  name: 'boot',
  service: async () => (await import('./service.ts')).bootService,
  defects: bootDefects,
};
