// A Cohesix release bundle on disk: its layout, its GIC version and its
// manifest. A bundle that is not laid out as releases are is a usage error
// naming the missing file; checking the manifest against the archive is
// manifest-check.ts (a mismatch there is a product failure, not a usage error).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import type { ReleaseManifest } from '../../contract/release/manifest.ts';

export type { ManifestEntry, ReleaseManifest } from '../../contract/release/manifest.ts';

export interface ReleaseBundle {
  dir: string;
  elfloader: string;
  kernel?: string;
  rootserver?: string;
  cpio?: string;
  gicVersion: '2' | '3';
  manifestFile: string;
  manifest: ReleaseManifest;
  runScript?: string;
}

function need(dir: string, rel: string): string {
  const p = join(dir, rel);
  if (!existsSync(p))
    throw new UsageError(
      `release bundle ${dir}: ${rel} is missing\n  fix: point --bundle at the unpacked release folder (it holds image/ and qemu/)`,
    );
  return p;
}

function parseManifest(file: string): ReleaseManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`release bundle: ${file} is not JSON (${(e as Error).message})`);
  }
  const m = doc as Partial<ReleaseManifest>;
  if (!m || typeof m !== 'object' || !Array.isArray(m.binaries))
    throw new UsageError(
      `release bundle: ${file} has no "binaries" list\n  fix: use the manifest.json the release shipped`,
    );
  for (const [i, b] of m.binaries.entries()) {
    if (
      !b ||
      typeof b.name !== 'string' ||
      typeof b.path !== 'string' ||
      typeof b.size !== 'number' ||
      typeof b.sha256 !== 'string'
    )
      throw new UsageError(`release bundle: ${file} binaries[${i}] needs name, path, size and sha256`);
    if (!Number.isSafeInteger(b.size) || b.size < 0 || !/^[0-9a-fA-F]{64}$/.test(b.sha256))
      throw new UsageError(
        `release bundle: ${file} binaries[${i}] (${b.name}): size must be a whole number of bytes and sha256 64 hex digits`,
      );
  }
  return { profile: String(m.profile ?? ''), target: String(m.target ?? ''), binaries: m.binaries };
}

export function readBundle(dirIn: string): ReleaseBundle {
  const dir = resolve(dirIn);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(
      `release bundle ${dir} is not a directory\n  fix: unpack the release and pass its folder to --bundle`,
    );
  const gicFile = need(dir, 'image/gic-version.txt');
  const gic = readFileSync(gicFile, 'utf8').trim();
  if (gic !== '2' && gic !== '3')
    throw new UsageError(
      `release bundle: image/gic-version.txt reads ${JSON.stringify(gic)}, expected "2" or "3"`,
    );
  const opt = (rel: string): string | undefined => (existsSync(join(dir, rel)) ? join(dir, rel) : undefined);
  const manifestFile = need(dir, 'image/manifest.json');
  return {
    dir,
    elfloader: need(dir, 'image/elfloader'),
    kernel: opt('image/kernel.elf'),
    rootserver: opt('image/rootserver'),
    cpio: opt('image/cohesix-system.cpio'),
    gicVersion: gic,
    manifestFile,
    manifest: parseManifest(manifestFile),
    runScript: opt('qemu/run.sh'),
  };
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
