// The reference half of the trace area (the harness half: harness/areas/trace.ts).
import type { ReferenceArea } from '../area-manifest.ts';
import { traceDefects } from './defects.ts';

export const traceArea: ReferenceArea = {
  name: 'trace',
  service: async () => (await import('./service.ts')).traceService,
  defects: traceDefects,
};
