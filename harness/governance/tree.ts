// Walk a source tree the way governance sees it: every file, relative paths with
// forward slashes, version-control and build output left out.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const ALWAYS_EXCLUDED = ['.git', 'node_modules', 'target', 'build', 'dist', '.cohesix-qa', 'qa-results'];

export function globToRegExp(glob: string): RegExp {
  const re = glob
    .split('**')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]'),
    )
    .join('.*');
  return new RegExp(`^${re}$`);
}

export function listTreeFiles(root: string, exclude: readonly string[] = []): string[] {
  const patterns = exclude.map(globToRegExp);
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (ALWAYS_EXCLUDED.includes(name)) continue;
      const full = join(dir, name);
      const rel = relative(root, full).split(sep).join('/');
      if (patterns.some((p) => p.test(rel))) continue;
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else if (st.isFile()) out.push(rel);
    }
  };
  walk(root);
  return out;
}
