// The reference half of the federation area (the harness half: harness/areas/federation.ts).
import type { ReferenceArea } from '../area-manifest.ts';
import { federationService } from './service.ts';
import { federationDefects } from './defects.ts';

export const federationArea: ReferenceArea = {
  name: 'federation',
  service: federationService,
  defects: federationDefects,
};
