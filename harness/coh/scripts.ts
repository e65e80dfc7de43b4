// Which `.coh` scripts a run takes: `--coh <glob>` (repeatable, written into
// coh.scripts by harness/config/cli-overrides.ts) wins, then the config's `coh.scripts`, then the target's default (a release bundle's
// `scripts/cohsh/*.coh`, the reference target's own pack). Globs: `*`, `?`
// and `**` within a path; a pattern without wildcards names one file.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { globToRegExp, listTreeFiles } from '../governance/tree.ts';
import { UsageError } from '../errors.ts';

const WILD = /[*?]/;

/** absolute paths of the files a glob matches, sorted */
export function expandGlob(pattern: string, cwd: string): string[] {
  const abs = resolve(cwd, pattern);
  if (!WILD.test(abs)) return existsSync(abs) && statSync(abs).isFile() ? [abs] : [];
  const parts = abs.split(sep);
  const firstWild = parts.findIndex((p) => WILD.test(p));
  const root = parts.slice(0, firstWild).join(sep) || sep;
  if (!existsSync(root) || !statSync(root).isDirectory()) return [];
  const re = globToRegExp(parts.slice(firstWild).join('/'));
  return listTreeFiles(root)
    .filter((rel) => re.test(rel))
    .map((rel) => join(root, rel))
    .sort();
}

export interface ScriptSelection {
  files: string[];
  /** where they came from, said in reports and skip reasons */
  source: string;
}

/**
 * The scripts of this run. Every given pattern must match at least one file: a gate
 * whose glob matched nothing would pass having run nothing.
 */
export function selectScripts(o: {
  cliGlobs?: string[];
  configGlobs?: string[];
  defaultGlob?: { pattern: string; source: string };
  cwd: string;
}): ScriptSelection {
  const take = (patterns: string[], where: string): ScriptSelection => {
    const files: string[] = [];
    for (const p of patterns) {
      const m = expandGlob(p, o.cwd);
      if (!m.length)
        throw new UsageError(`${where} ${p}: matches no file\n  fix: check the path (globs: *, ?, **)`);
      for (const f of m) if (!files.includes(f)) files.push(f);
    }
    return { files, source: `${where} ${patterns.join(', ')}` };
  };
  if (o.cliGlobs?.length) return take(o.cliGlobs, '--coh');
  if (o.configGlobs?.length) return take(o.configGlobs, 'config coh.scripts');
  if (o.defaultGlob) {
    const files = expandGlob(o.defaultGlob.pattern, o.cwd);
    return { files, source: `${o.defaultGlob.source} (${o.defaultGlob.pattern})` };
  }
  return { files: [], source: 'no --coh, no config coh.scripts and no default for this target' };
}

/** a script's name as a case title: its file name, with its folder when two share a name */
export function scriptTitles(files: string[]): string[] {
  return files.map((f) =>
    files.filter((g) => basename(g) === basename(f)).length > 1
      ? `${basename(dirname(f))}/${basename(f)}`
      : basename(f),
  );
}
