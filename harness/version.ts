// The harness's version (package.json). Its own module so `cohesix-qa --version` does
// not load run provenance (which spawns git through execa).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths.ts';

export function harnessVersion(): string {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
}
