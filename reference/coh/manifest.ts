// The reference half of the coh area (the harness half: harness/areas/coh.ts).
import type { ReferenceArea } from '../area-manifest.ts';

export const cohArea: ReferenceArea = {
  name: 'coh',
  service: async () => (await import('./service.ts')).cohService,
  defects: [],
};
