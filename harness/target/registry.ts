// The target kinds and their starters, and how a run picks one: --target, else the
// config's `target` (a kind, or { kind: "external", name }), else the reference.
import { UsageError } from '../errors.ts';
import type { TargetStarter } from './context.ts';
import type { TargetKind } from './types.ts';
import type { ConfigTarget } from '../config/targets.ts';

export const TARGET_KINDS: readonly TargetKind[] = ['reference', 'qemu', 'lab', 'release', 'external'];

export interface ChosenTarget {
  kind: TargetKind;
  /** external only: the name from the config */
  name?: string;
}

export function chooseTarget(flag: string | undefined, configured: ConfigTarget | undefined): ChosenTarget {
  const fromConfig = typeof configured === 'object' ? configured : { kind: configured };
  const kind = (flag ?? fromConfig.kind ?? 'reference') as TargetKind;
  if (!TARGET_KINDS.includes(kind))
    throw new UsageError(
      `--target ${kind}: unknown target kind\n  fix: use one of ${TARGET_KINDS.join(', ')}`,
    );
  const name = kind === fromConfig.kind && 'name' in fromConfig ? fromConfig.name : undefined;
  return { kind, ...(name ? { name } : {}) };
}

export async function starterFor(kind: TargetKind): Promise<TargetStarter> {
  switch (kind) {
    case 'reference':
      return (await import('./reference.ts')).startReferenceTarget;
    case 'qemu':
      return (await import('./qemu.ts')).startQemuTarget;
    case 'lab':
      return (await import('./lab.ts')).startLabTarget;
    case 'release':
      return (await import('./release.ts')).startReleaseTarget;
    case 'external':
      return (await import('./external.ts')).startExternalTarget;
    default:
      throw new UsageError(
        `--target ${String(kind)}: unknown target kind\n  fix: use one of ${TARGET_KINDS.join(', ')}`,
      );
  }
}
