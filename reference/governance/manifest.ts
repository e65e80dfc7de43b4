// The reference half of the governance area (the harness half: harness/areas/governance.ts).
import type { ReferenceArea } from '../area-manifest.ts';
import { governanceDefects } from './defects.ts';

export const governanceArea: ReferenceArea = {
  name: 'governance',
  service: async () => (await import('./service.ts')).governanceService,
  defects: governanceDefects,
};
