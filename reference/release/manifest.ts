// The reference half of the release area (the harness half: harness/areas/release.ts).
import type { ReferenceArea } from '../area-manifest.ts';
import { releaseDefects } from './defects.ts';

export const releaseArea: ReferenceArea = {
  name: 'release',
  service: async () => (await import('./service.ts')).releaseService,
  defects: releaseDefects,
};
