// The release target: a Cohesix release bundle booted from its folder with
// the QEMU command line its facts describe (harness/release/). Other areas
// take their resources from the config.
import { resolve } from 'node:path';
import { areaConfig, configResources, type StartedTarget, type TargetStartContext } from './context.ts';
import { startRelease, type ReleaseSection } from '../release/start.ts';
import { cohResources, type CohSection } from '../coh/resources.ts';

export async function startReleaseTarget(ctx: TargetStartContext): Promise<StartedTarget> {
  const resources = configResources(ctx);
  const section = {
    ...((ctx.loaded.config.targets?.release ?? {}) as ReleaseSection),
    ...((areaConfig(ctx.loaded, 'release') ?? {}) as ReleaseSection),
  };
  // `bundle` is a path in the config: relative to the config file, like every other path
  if (section.bundle) section.bundle = resolve(ctx.loaded.baseDir, section.bundle);
  // the coh suite drives the booted bundle's console, so it boots the bundle too
  if (!ctx.areas.includes('release') && !ctx.areas.includes('coh'))
    return { descriptor: { kind: 'release', name: 'release', resources }, stop: async () => {} };
  const started = await startRelease(section, { stateRoot: ctx.stateRoot, signal: ctx.signal });
  if (started.resources.boot.error)
    ctx.log('warn', `release target: ${started.resources.boot.error.split('\n')[0]}`);
  resources.release = started.resources;
  if (ctx.areas.includes('coh')) {
    const dir = started.resources.bundle.dir;
    try {
      resources.coh = cohResources({
        section: (areaConfig(ctx.loaded, 'coh') ?? {}) as CohSection,
        defaultGlob: { pattern: resolve(dir, 'scripts/cohsh/*.coh'), source: "the bundle's own scripts" },
        // upstream runs its pack from the bundle root (scripts/cohsh/fixtures/...)
        defaultBaseDir: dir,
        console: started.resources.console,
        consoleProblem: started.resources.boot.error?.split('\n')[0],
        worker: started.resources.worker,
      });
    } catch (e) {
      await started.stop();
      throw e;
    }
  }
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
