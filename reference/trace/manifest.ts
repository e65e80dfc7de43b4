// The reference half of the trace area (the harness half: harness/areas/trace.ts).
import type { ReferenceArea } from '../area-manifest.ts';
import { traceService } from './service.ts';
import { traceDefects } from './defects.ts';

export const traceArea: ReferenceArea = { name: 'trace', service: traceService, defects: traceDefects };
