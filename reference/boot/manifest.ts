// The reference half of the boot area (the harness half: harness/areas/boot.ts).
import type { ReferenceArea } from '../area-manifest.ts';
import { bootService } from './service.ts';
import { bootDefects } from './defects.ts';

export const bootArea: ReferenceArea = { name: 'boot', service: bootService, defects: bootDefects };
