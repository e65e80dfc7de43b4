// A Cohesix release bundle on disk: its layout, its GIC version and its
// manifest, and the check of every listed file's size and sha256 before boot.
// A bundle that is not laid out as releases are is a usage error naming the
// missing file; a file that does not match the manifest is a product failure.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';

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

export interface ManifestMismatch {
  name: string;
  path: string;
  problem: 'missing' | 'size' | 'sha256';
  expected: string;
  actual: string;
}

export interface ManifestCheck {
  ok: boolean;
  checked: number;
  mismatches: ManifestMismatch[];
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

/** a manifest path is relative to image/ (where manifest.json lives), else to the bundle root */
function entryFile(b: ReleaseBundle, e: ManifestEntry): string {
  const underImage = resolve(b.dir, 'image', e.path);
  return existsSync(underImage) ? underImage : resolve(b.dir, e.path);
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function verifyManifest(b: ReleaseBundle): ManifestCheck {
  const mismatches: ManifestMismatch[] = [];
  for (const e of b.manifest.binaries) {
    const f = entryFile(b, e);
    if (!existsSync(f)) {
      mismatches.push({
        name: e.name,
        path: e.path,
        problem: 'missing',
        expected: 'present',
        actual: 'absent',
      });
      continue;
    }
    const size = statSync(f).size;
    if (size !== e.size) {
      mismatches.push({
        name: e.name,
        path: e.path,
        problem: 'size',
        expected: String(e.size),
        actual: String(size),
      });
      continue;
    }
    const sha = sha256File(f);
    if (sha !== e.sha256.toLowerCase())
      mismatches.push({ name: e.name, path: e.path, problem: 'sha256', expected: e.sha256, actual: sha });
  }
  return {
    ok: mismatches.length === 0 && b.manifest.binaries.length > 0,
    checked: b.manifest.binaries.length,
    mismatches,
  };
}

export function describeMismatch(m: ManifestMismatch): string {
  return `${m.path} (${m.name}): ${m.problem} expected ${m.expected}, got ${m.actual}`;
}
