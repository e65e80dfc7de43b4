// What the coh suite is bound to: its scripts and a console. Plain JSON: it
// crosses from the target starter to vitest workers. Built by the reference
// coh service and by the release target (harness/target/release.ts).
import { relative, resolve } from 'node:path';
import { scriptTitles, selectScripts } from './scripts.ts';

export type SelfTestMode = 'quick' | 'full' | 'off';

export interface CohScriptRef {
  /** absolute path */
  path: string;
  /** the case title: the file name */
  title: string;
  /** workspace-relative path: messages and annotations point here */
  display: string;
}

export interface CohResources {
  /** not `scripts`: the reference target lays the user's config section over resources, and that key holds globs */
  files: CohScriptRef[];
  source: string;
  /** relative paths inside scripts (telemetry push) resolve here */
  baseDir: string;
  /** null when the target offers no console: cases say so */
  console: { host: string; port: number; token: string } | null;
  /** why there is no console, when there is none */
  consoleProblem?: string;
  worker?: { id: string; ticket: string } | null;
  selfTests: SelfTestMode;
  ackTimeoutMs?: number;
}

/** the `coh` config section (schemas/config-coh.schema.json) */
export interface CohSection {
  scripts?: string[];
  /** set by `run --coh` (harness/config/cli-overrides.ts) when it wrote scripts; not a config key */
  scriptsFrom?: '--coh';
  baseDir?: string;
  selfTests?: SelfTestMode;
  ackTimeoutMs?: number;
}

/** where annotations are relative to: the GitHub workspace on Actions, else the working directory */
export function workspaceRoot(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.GITHUB_WORKSPACE ?? process.cwd());
}

export function cohResources(o: {
  section: CohSection;
  defaultGlob?: { pattern: string; source: string };
  defaultBaseDir: string;
  console: CohResources['console'];
  consoleProblem?: string;
  worker?: CohResources['worker'];
  cwd?: string;
}): CohResources {
  const cwd = o.cwd ?? process.cwd();
  // `run --coh` writes its globs into coh.scripts and says so, for the messages
  const fromCli = o.section.scriptsFrom === '--coh';
  const sel = selectScripts({
    cliGlobs: fromCli ? o.section.scripts : undefined,
    configGlobs: fromCli ? undefined : o.section.scripts,
    defaultGlob: o.defaultGlob,
    cwd,
  });
  const titles = scriptTitles(sel.files);
  const ws = workspaceRoot();
  return {
    files: sel.files.map((path, i) => {
      const rel = relative(ws, path).split('\\').join('/');
      return { path, title: titles[i]!, display: rel.startsWith('..') ? path : rel };
    }),
    source: sel.source,
    baseDir: o.section.baseDir ?? o.defaultBaseDir,
    console: o.console,
    ...(o.consoleProblem ? { consoleProblem: o.consoleProblem } : {}),
    worker: o.worker ?? null,
    selfTests: o.section.selfTests ?? 'quick',
    ...(o.section.ackTimeoutMs ? { ackTimeoutMs: o.section.ackTimeoutMs } : {}),
  };
}
