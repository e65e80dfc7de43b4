// What the release area hands its fixtures: plain JSON crossing to workers.
import type { ReleaseBootResult } from './boot.ts';
import type { ReleaseManifest } from './bundle.ts';
import type { Milestone, PlatformProfile } from './milestones.ts';

export interface ReleaseResources {
  bundle: { dir: string; gicVersion: string; manifest: ReleaseManifest; manifestFile: string };
  platform: PlatformProfile;
  budgetMs: number;
  accel: string;
  milestones: Milestone[];
  bootStage: string;
  boot: ReleaseBootResult;
  /** the TCP console: the forwarded guest port, or the reference emulation's */
  console: { host: string; port: number; token: string } | null;
  /** a heartbeat worker's credentials, when configured (release.worker) */
  worker: { id: string; ticket: string } | null;
  /** the documented auth limits as this target is configured */
  cooldown: { failureLimit: number; windowMs: number; cooldownMs: number };
  /** what the target emulates rather than runs, when it is the reference */
  emulation?: string;
}
