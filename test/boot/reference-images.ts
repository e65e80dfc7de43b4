// Makes sure the reference guest images are built (reference/image/build.sh is
// idempotent and quick); project tests call this instead of assuming a build.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCommand } from '../../harness/process/spawn.ts';

export const IMAGE_DIR = resolve(import.meta.dirname, '../../reference/image');
export const BUILD_DIR = join(IMAGE_DIR, 'build');

export function imagePath(variant: string): string {
  return join(BUILD_DIR, `${variant}.elf`);
}

function stale(): boolean {
  const ok = imagePath('ok');
  if (!existsSync(ok) || !existsSync(imagePath('boot-tampered'))) return true;
  const built = statSync(ok).mtimeMs;
  return readdirSync(IMAGE_DIR).some(
    (f) => /\.(c|h|S|ld|sh)$/.test(f) && statSync(join(IMAGE_DIR, f)).mtimeMs > built,
  );
}

export async function ensureReferenceImages(): Promise<void> {
  if (!stale()) return;
  const r = await runCommand('sh', [join(IMAGE_DIR, 'build.sh')], { timeoutMs: 120_000 });
  if (r.exitCode !== 0)
    throw new Error(`reference/image/build.sh failed (exit ${r.exitCode}):\n${r.stderr || r.stdout}`);
}
