// The release target: a Cohesix release bundle booted from its folder with
// the QEMU command line its facts describe (harness/release/). Other areas
// take their resources from the config.
import { resolve } from 'node:path';
import { areaConfig, configResources, type StartedTarget, type TargetStartContext } from './start.ts';
import { startRelease, type ReleaseSection } from '../release/start.ts';

export async function startReleaseTarget(ctx: TargetStartContext): Promise<StartedTarget> {
  const resources = configResources(ctx);
  const section = {
    ...((ctx.loaded.config.targets?.release ?? {}) as ReleaseSection),
    ...((areaConfig(ctx.loaded, 'release') ?? {}) as ReleaseSection),
  };
  // `bundle` is a path in the config: relative to the config file, like every other path
  if (section.bundle) section.bundle = resolve(ctx.loaded.baseDir, section.bundle);
  if (!ctx.areas.includes('release'))
    return { descriptor: { kind: 'release', name: 'release', resources }, stop: async () => {} };
  const started = await startRelease(section, { stateRoot: ctx.stateRoot, signal: ctx.signal });
  if (started.resources.boot.error)
    ctx.log('warn', `release target: ${started.resources.boot.error.split('\n')[0]}`);
  resources.release = started.resources;
  return {
    descriptor: {
      kind: 'release',
      name: `release:${started.resources.bundle.dir}`,
      resources,
      provenance: {
        'release.bundle': started.resources.bundle.dir,
        'release.profile': started.resources.bundle.manifest.profile,
        'release.accel': started.resources.accel,
      },
    },
    stop: started.stop,
  };
}
