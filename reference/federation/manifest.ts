// The reference half of the federation area (the harness half: harness/areas/federation.ts).
import type { ReferenceArea } from '../area-manifest.ts';
import { federationDefects } from './defects.ts';

export const federationArea: ReferenceArea = {
  name: 'federation',
  service: async () => (await import('./service.ts')).federationService,
  defects: federationDefects,
};
