// A release bundle's image/manifest.json, as a release writes it and a checker reads
// it: {profile, target, binaries: [{name, path, size, sha256}]}, where path names a
// file inside image/cohesix-system.cpio (/work/shared/spec/cohesix-release.md).
// Parsing and checking it are each side's own code (harness/release/bundle.ts,
// harness/release/manifest-check.ts; reference/release/bundle.ts writes one).
export interface ManifestEntry {
  name: string;
  path: string;
  size: number;
  sha256: string;
}

export interface ReleaseManifest {
  profile: string;
  target: string;
  binaries: ManifestEntry[];
}
