// The config's target sections, as types of the config (the floor the target
// starters read), so harness/config does not import harness/target.
import type { TargetKind } from '../target/types.ts';

/** The config's `target`: a kind, or the external target with the name reports give it. */
export type ConfigTarget = TargetKind | { kind: 'external'; name?: string };

/** `targets.qemu` */
export interface QemuTargetConfig {
  profile?: 'cohesix-aarch64-virt' | 'generic';
  binary?: string;
  image?: string;
  machine?: string;
  cpu?: string;
  memoryMb?: number;
  args?: string[];
  deterministic?: boolean;
}
