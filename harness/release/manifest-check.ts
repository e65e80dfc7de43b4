// The check of a release bundle against its manifest, as releases are built:
// every `binaries[].path` names a file *inside* image/cohesix-system.cpio,
// whose size and sha256 the manifest gives, and image/rootserver (what QEMU
// loads as the root task) is byte-identical to the archived root task. Each
// problem names the entry and says what the manifest expected and what the
// archive holds.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { CpioArchive, CpioError, type CpioEntry, type EntryDigest } from './cpio.ts';
import type { ReleaseBundle } from './bundle.ts';
import type { ManifestEntry } from '../../contract/release/manifest.ts';

export const ARCHIVE_REL = 'image/cohesix-system.cpio';
export const ROOTSERVER_REL = 'image/rootserver';
/** the archived root task image/rootserver must equal (cohesix-release.md) */
export const ROOT_TASK_PATH = 'cohesix/bin/root-task';

export type ManifestProblem = 'archive' | 'missing' | 'not-a-file' | 'size' | 'sha256' | 'rootserver';

export interface ManifestMismatch {
  /** the manifest entry's name, or the bundle file the problem is about */
  name: string;
  /** the archived path, or the bundle-relative file */
  path: string;
  problem: ManifestProblem;
  expected: string;
  actual: string;
  /** one sentence naming the entry, what was expected and what was found */
  message: string;
}

export interface ManifestCheck {
  ok: boolean;
  /** manifest entries looked up in the archive */
  checked: number;
  mismatches: ManifestMismatch[];
}

function mismatch(
  e: { name: string; path: string },
  problem: ManifestProblem,
  expected: string,
  actual: string,
  message: string,
): ManifestMismatch {
  return { name: e.name, path: e.path, problem, expected, actual, message };
}

/** sha256 and size of a bundle file, read through a fixed buffer */
function digestFile(file: string): EntryDigest {
  const fd = openSync(file, 'r');
  try {
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(64 * 1024);
    let size = 0;
    for (let n; (n = readSync(fd, buf, 0, buf.length, size)) > 0; size += n) hash.update(buf.subarray(0, n));
    return { size, sha256: hash.digest('hex') };
  } finally {
    closeSync(fd);
  }
}

function checkEntry(archive: CpioArchive, e: ManifestEntry): ManifestMismatch | undefined {
  const where = `${e.path} (${e.name})`;
  const found = archive.get(e.path);
  if (!found)
    return mismatch(
      e,
      'missing',
      'present',
      'absent',
      `${where}: manifest.json lists it, but ${ARCHIVE_REL} holds no such entry`,
    );
  if (found.type !== 'file')
    return mismatch(
      e,
      'not-a-file',
      'file',
      found.type,
      `${where}: is a ${found.type} in ${ARCHIVE_REL}, manifest.json lists a file`,
    );
  if (found.size !== e.size)
    return mismatch(
      e,
      'size',
      String(e.size),
      String(found.size),
      `${where}: manifest.json says ${e.size} bytes, ${ARCHIVE_REL} holds ${found.size}`,
    );
  const d = archive.digest(found);
  if (d.sha256 !== e.sha256.toLowerCase())
    return mismatch(
      e,
      'sha256',
      e.sha256.toLowerCase(),
      d.sha256,
      `${where}: manifest.json says sha256 ${e.sha256.toLowerCase()}, the archived file hashes to ${d.sha256}`,
    );
  return undefined;
}

function checkRootserver(b: ReleaseBundle, archive: CpioArchive): ManifestMismatch | undefined {
  const subject = { name: 'rootserver', path: ROOTSERVER_REL };
  const archived: CpioEntry | undefined = archive.get(ROOT_TASK_PATH);
  if (!archived || archived.type !== 'file')
    return mismatch(
      subject,
      'rootserver',
      ROOT_TASK_PATH,
      'absent',
      `${ROOTSERVER_REL}: ${ARCHIVE_REL} holds no file ${ROOT_TASK_PATH} to compare it with`,
    );
  if (!b.rootserver)
    return mismatch(
      subject,
      'rootserver',
      'present',
      'absent',
      `${ROOTSERVER_REL}: missing from the bundle (it must equal the archived ${ROOT_TASK_PATH})`,
    );
  const want = archive.digest(archived);
  const have = digestFile(b.rootserver);
  if (have.size === want.size && have.sha256 === want.sha256) return undefined;
  return mismatch(
    subject,
    'rootserver',
    `${want.size} bytes, sha256 ${want.sha256}`,
    `${have.size} bytes, sha256 ${have.sha256}`,
    `${ROOTSERVER_REL}: differs from the archived ${ROOT_TASK_PATH} (${have.size} bytes, sha256 ${have.sha256}; the archive holds ${want.size} bytes, sha256 ${want.sha256})`,
  );
}

export function verifyManifest(b: ReleaseBundle): ManifestCheck {
  const subject = { name: 'cohesix-system.cpio', path: ARCHIVE_REL };
  if (!b.cpio)
    return {
      ok: false,
      checked: 0,
      mismatches: [
        mismatch(
          subject,
          'archive',
          'present',
          'absent',
          `${ARCHIVE_REL}: missing from the bundle; manifest.json names files inside it`,
        ),
      ],
    };
  const mismatches: ManifestMismatch[] = [];
  let checked = 0;
  try {
    const archive = CpioArchive.open(b.cpio);
    for (const e of b.manifest.binaries) {
      checked++;
      const m = checkEntry(archive, e);
      if (m) mismatches.push(m);
    }
    const r = checkRootserver(b, archive);
    if (r) mismatches.push(r);
  } catch (e) {
    if (!(e instanceof CpioError)) throw e;
    mismatches.push(
      mismatch(
        subject,
        'archive',
        'a complete newc archive',
        `${e.kind} at byte ${e.offset}`,
        `${ARCHIVE_REL}: ${e.summary}`,
      ),
    );
  }
  return { ok: mismatches.length === 0 && checked > 0, checked, mismatches };
}

export function describeMismatch(m: ManifestMismatch): string {
  return m.message;
}
