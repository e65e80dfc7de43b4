// Relative paths in the cuda-annex config section resolve against the config
// file's directory, whatever the target kind. The top-level certificate, key and
// credentials paths and the worker's `cwd` are resolved by the config loader (the
// schema marks them); this adds the worker command's rules: `cwd` defaults to the
// config's directory (so relative arguments mean what they would next to the
// config), and a program given as a relative path (`./bin/worker`) resolves against
// `cwd` (a bare name like `node` is looked up in PATH).
import { isAbsolute, resolve } from 'node:path';

export function resolveCudaAnnexPaths(
  section: Record<string, unknown>,
  baseDir: string,
): Record<string, unknown> {
  const worker = section['worker'];
  if (typeof worker !== 'object' || worker === null || Array.isArray(worker)) return section;
  const w = { ...(worker as Record<string, unknown>) };
  // a given cwd is already absolute (the schema marks it); absent means the config's directory
  w['cwd'] = typeof w['cwd'] === 'string' ? w['cwd'] : baseDir;
  const cmd = w['command'];
  if (Array.isArray(cmd) && typeof cmd[0] === 'string' && cmd[0].includes('/') && !isAbsolute(cmd[0]))
    w['command'] = [resolve(w['cwd'] as string, cmd[0]), ...cmd.slice(1)];
  return { ...section, worker: w };
}
