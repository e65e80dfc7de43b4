// The external target: the user's own services, named in the config's area sections.
// Nothing is started and nothing is filled in from the reference: what the suites test
// is exactly what the config names, and the run's provenance records it
// (harness/run/provenance.ts). An area the plan runs must have its section.
import { UsageError } from '../errors.ts';
import { areaConfig, configResources, type StartedTarget, type TargetStartContext } from './context.ts';

/** Areas whose suites run against endpoints alone; the others need a target the harness boots. */
export const EXTERNAL_AREAS = ['governance', 'secure9p', 'gui', 'trace', 'federation', 'cuda-annex'];

const BOOTED = 'it needs a target the harness boots: use --target qemu, lab or release';

/** Section keys that only tune the reference services: ignored here, and said so. */
const REFERENCE_ONLY: Record<string, string[]> = { gui: ['timeoutSeconds'] };

export async function startExternalTarget(ctx: TargetStartContext): Promise<StartedTarget> {
  const problems: string[] = [];
  for (const area of ctx.areas) {
    if (!EXTERNAL_AREAS.includes(area)) problems.push(`suite ${area}: ${BOOTED}`);
    else if (!areaConfig(ctx.loaded, area))
      problems.push(
        `suite ${area}: the config has no "${area}" section naming your service (schemas/config-${area}.schema.json)`,
      );
  }
  if (problems.length > 0) {
    const where = ctx.loaded.file ?? 'no config file was found';
    throw new UsageError(
      `target external (${where}): nothing to test for\n  ${problems.join('\n  ')}\n  fix: name each planned area's endpoints in its config section, or leave the area out of --suite (README "Testing your own services")`,
    );
  }
  for (const area of ctx.areas)
    for (const key of REFERENCE_ONLY[area] ?? [])
      if (areaConfig(ctx.loaded, area)?.[key] !== undefined)
        ctx.log('warn', `target external: ${area}.${key} tunes the reference service only; ignored`);
  const name = ctx.name ?? 'external';
  return {
    descriptor: { kind: 'external', name: `external:${name}`, resources: configResources(ctx) },
    stop: async () => {},
  };
}
