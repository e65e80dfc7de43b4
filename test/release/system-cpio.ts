// Archives made by the system `cpio`, the tool releases are packed with, so
// the reader is tested against the real format rather than our own writer.
import { execFileSync } from 'node:child_process';

function cpioMissing(e: unknown): never {
  throw new Error(
    `the system cpio failed (${(e as Error).message.split('\n')[0]})\n  fix: apt-get install -y cpio (scripts/setup.sh installs it)`,
  );
}

/** every path under `dir`, sorted, packed with `cpio -o -H <format>` from inside `dir` */
export function systemCpio(dir: string, format: 'newc' | 'crc' | 'odc' = 'newc'): Buffer {
  try {
    return execFileSync('sh', ['-c', `find . -mindepth 1 | LC_ALL=C sort | cpio -o -H ${format} --quiet`], {
      cwd: dir,
      timeout: 20_000,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    cpioMissing(e);
  }
}

/** `cpio -t`: the names the system tool lists in an archive */
export function systemCpioList(archive: Buffer): string[] {
  try {
    return execFileSync('cpio', ['-t', '--quiet'], { input: archive, timeout: 20_000 })
      .toString('utf8')
      .split('\n')
      .filter(Boolean);
  } catch (e) {
    cpioMissing(e);
  }
}

/** `cpio -i` into `dir`: what the system tool extracts */
export function systemCpioExtract(archive: Buffer, dir: string): void {
  try {
    execFileSync('cpio', ['-i', '-d', '--quiet'], { input: archive, cwd: dir, timeout: 20_000 });
  } catch (e) {
    cpioMissing(e);
  }
}
