// The lab target: a board reached through serial-over-TCP with power commands
// from config. When the boot suite is planned the board is power-cycled once
// with its serial captured (the shared boot) and left running for the console.
import { UsageError } from '../errors.ts';
import type { LabBoardConfig } from '../lab/board.ts';
import { bootPlanFromConfig, type BootSection } from '../boot/plan.ts';
import { bootSharedLab, type BootResources } from '../boot/shared-boot.ts';
import { areaConfig, configResources, type StartedTarget, type TargetStartContext } from './context.ts';

export function labBoardFromConfig(ctx: TargetStartContext): LabBoardConfig {
  const l = ctx.loaded.config.targets?.lab as Partial<LabBoardConfig> | undefined;
  if (!l?.serial || !l.power) {
    throw new UsageError(
      'target lab: targets.lab needs serial { host, port } and power { on, off }\n  fix: see docs/areas/boot.md for a lab config example',
    );
  }
  return {
    name: l.name ?? `${l.serial.host}:${l.serial.port}`,
    serial: l.serial,
    power: l.power,
    connectTimeoutMs: l.connectTimeoutMs,
  };
}

export async function startLabTarget(ctx: TargetStartContext): Promise<StartedTarget> {
  const resources = configResources(ctx);
  if (!ctx.areas.includes('boot')) {
    return { descriptor: { kind: 'lab', name: 'lab', resources }, stop: async () => {} };
  }
  const board = labBoardFromConfig(ctx);
  const plan = bootPlanFromConfig((areaConfig(ctx.loaded, 'boot') ?? {}) as BootSection, {
    stateRoot: ctx.stateRoot,
    lab: board,
  });
  const started = await bootSharedLab(plan, board);
  if (started.shared.error) ctx.log('warn', `lab target: ${started.shared.error.split('\n')[0]}`);
  resources.boot = { ...plan, shared: started.shared } satisfies BootResources;
  return {
    descriptor: {
      kind: 'lab',
      name: `lab:${board.name}`,
      resources,
      provenance: { 'lab.board': board.name },
    },
    stop: started.stop,
  };
}
