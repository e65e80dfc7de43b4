// A release's image/manifest.json (cohesix-release.md, "Bundle layout"): both the
// release tooling that writes it and the checker that reads it speak this format.
// What the entries must match (the archive's files) each side checks with its own code.

export interface ManifestEntry {
  name: string;
  /** the file's path inside the release's CPIO archive, e.g. cohesix/bin/root-task */
  path: string;
  size: number;
  sha256: string;
}

export interface ReleaseManifest {
  profile: string;
  target: string;
  binaries: ManifestEntry[];
}
