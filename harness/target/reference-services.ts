// The reference services in this process: what `cohesix-qa reference serve` runs
// (harness/target/serve.ts). It starts only the services of the given areas and
// applies a named defect mode to the one area that declares it. A run does not call
// this: its reference target (reference.ts) starts serve children and reaches the
// services through their endpoints.
import { setMaxListeners } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { referenceServiceLoaders } from '../../reference/services.ts';
import { UsageError, InfraError } from '../errors.ts';
import { ReferenceEnvironmentError } from '../../reference/errors.ts';
import { areaDefects, referenceDefects } from './reference-defect-list.ts';
import { referenceCohResources, type ServedCoh } from '../coh/reference-resources.ts';
import type { CohSection } from '../coh/resources.ts';
import { areaConfig, type StartedTarget, type TargetStartContext } from './context.ts';
import type { ReferenceService, StartedService } from './types.ts';

export async function startReferenceServices(ctx: TargetStartContext): Promise<StartedTarget> {
  const defects = referenceDefects(ctx.defect);
  const controller = new AbortController();
  // each service's long-lived children (QEMU, five queens, regions, ...) listen on it
  // through execa; with every area planned that passes Node's default of 10 and printed
  // a false leak warning on every full run
  setMaxListeners(64, controller.signal);
  const onAbort = () => controller.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const started: Array<{ area: string; service: StartedService }> = [];
  const resources: Record<string, unknown> = {};
  const provenance: Record<string, string> = {};
  const stop = async () => {
    ctx.signal.removeEventListener('abort', onAbort);
    controller.abort();
    // stop in reverse order of start; one failing stop must not strand the others
    for (const { area, service } of started.reverse()) {
      try {
        await service.stop();
      } catch (e) {
        ctx.log('warn', `reference ${area} service did not stop cleanly: ${(e as Error).message}`);
      }
    }
  };
  // only the given areas' service code is loaded
  const services = new Map<string, ReferenceService>();
  for (const area of ctx.areas) {
    const load = referenceServiceLoaders[area];
    if (load) services.set(area, await load());
  }
  // a section that names the user's own service is refused before anything starts:
  // laid over the reference's resources it would test a mix and report the reference
  for (const area of ctx.areas) {
    const keys = services.get(area)?.tuningKeys;
    const own = keys && Object.keys(areaConfig(ctx.loaded, area) ?? {}).filter((k) => !keys.includes(k));
    if (own && own.length > 0)
      throw new UsageError(
        `target reference: ${own.map((k) => `${area}.${k}`).join(', ')} name${own.length === 1 ? 's' : ''} a service of your own, but the reference target tests its own ${area} service (it only takes ${keys!.map((k) => `${area}.${k}`).join(', ')})\n  fix: run your service as the external target (target: { kind: "external" } or --target external; README "Testing your own services"), or remove ${own.length === 1 ? 'that key' : 'those keys'}`,
      );
  }
  try {
    for (const area of ctx.areas) {
      const svc = services.get(area);
      const cfg = areaConfig(ctx.loaded, area);
      if (!svc) {
        if (cfg) resources[area] = cfg;
        continue;
      }
      const stateDir = join(ctx.stateRoot, 'runs', ctx.runId, area);
      mkdirSync(stateDir, { recursive: true });
      const service = await svc.start({
        stateDir,
        stateRoot: ctx.stateRoot,
        defects: areaDefects(defects, area),
        areaConfig: cfg ?? {},
        signal: controller.signal,
      });
      started.push({ area, service });
      if (area === 'coh') {
        // the reference serves a console and its pack; which scripts run is the checker's choice
        const coh = referenceCohResources(service.resources as unknown as ServedCoh, cfg as CohSection);
        resources[area] = coh;
        provenance['coh.scripts'] = coh.source;
      } else {
        // a user's explicit area config (e.g. governance.root) overrides the reference default;
        // a service with tuning keys was checked above to get nothing else
        resources[area] = { ...service.resources, ...(cfg ?? {}) };
      }
      Object.assign(provenance, service.provenance ?? {});
    }
  } catch (e) {
    await stop();
    if (e instanceof UsageError || e instanceof InfraError) throw e;
    // the reference's own word for "its surroundings failed" counts as infrastructure, same text
    if (e instanceof ReferenceEnvironmentError) throw new InfraError(e.message);
    throw new InfraError(`the reference target did not start: ${(e as Error).message}`);
  }
  return {
    descriptor: { kind: 'reference', name: 'reference', defect: ctx.defect, resources, provenance },
    stop,
  };
}
