// Start the target a run asked for. Each kind has a starter; all return the same
// descriptor shape, so suites do not know which kind they face. Areas that a kind
// does not provide itself take their resources from the config's area sections
// (harness/target/context.ts).
import { starterFor } from './registry.ts';
import type { StartedTarget, TargetStartContext } from './context.ts';

export {
  areaConfig,
  configResources,
  type StartedTarget,
  type TargetStartContext,
  type TargetStarter,
} from './context.ts';

export async function startTarget(ctx: TargetStartContext): Promise<StartedTarget> {
  const starter = await starterFor(ctx.kind);
  return starter(ctx);
}
