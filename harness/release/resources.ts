// What the release area hands its fixtures: plain JSON crossing to workers.
import type { ReleaseBootResult } from './boot.ts';
import type { ReleaseManifest } from '../../contract/release/manifest.ts';
import type { Milestone, PlatformProfile } from './milestones.ts';
import type { PolicyHash } from './policy-hash.ts';

export interface ReleaseResources {
  bundle: {
    dir: string;
    gicVersion: string;
    manifest: ReleaseManifest;
    manifestFile: string;
    /** manifest_sha256 of out/coh_policy.toml and out/cohsh_policy.toml, those the bundle has */
    policies: PolicyHash[];
  };
  platform: PlatformProfile;
  budgetMs: number;
  accel: string;
  milestones: Milestone[];
  bootStage: string;
  boot: ReleaseBootResult;
  /** the TCP console: the forwarded guest port, or the reference emulation's */
  console: { host: string; port: number; token: string } | null;
  /** why there is no console (the console cases are then not judged) */
  consoleMissing?: string;
  /** a heartbeat worker's credentials, when configured (release.worker) */
  worker: { id: string; ticket: string } | null;
  /** the documented auth limits as this target is configured */
  cooldown: { failureLimit: number; windowMs: number; cooldownMs: number };
  /** what the target emulates rather than runs, when it is the reference */
  emulation?: string;
  /** release case groups that fail rather than skip when not configured (release.require) */
  require: string[];
}
