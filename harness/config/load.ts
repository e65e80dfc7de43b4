// Find, import and validate the config. Every failure is a UsageError (exit 2)
// naming the file and the path inside it, never a stack trace.
import { existsSync, readFileSync } from 'node:fs';
import { resolve, dirname, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveLocalPaths } from './local-paths.ts';
import { UsageError } from '../errors.ts';
import { validate, formatIssues, type SchemaIssue } from '../schemas/registry.ts';
import type { CohesixQaConfig, LoadedConfig } from './types.ts';

export const CONFIG_NAMES = ['cohesix-qa.config.ts', 'cohesix-qa.config.mjs', 'cohesix-qa.config.json'];

async function importConfig(file: string): Promise<unknown> {
  const ext = extname(file);
  if (ext === '.json') {
    const text = readFileSync(file, 'utf8');
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new UsageError(
        `${file}: not valid JSON: ${(e as Error).message}\n  fix: correct the JSON syntax`,
      );
    }
  }
  if (ext !== '.ts' && ext !== '.mjs' && ext !== '.js') {
    throw new UsageError(`${file}: unsupported config type "${ext}"\n  fix: use .ts, .mjs or .json`);
  }
  try {
    // tsx's loader is active in the CLI, so .ts imports work; bust the cache so tests can reload
    const mod = (await import(`${pathToFileURL(file).href}?t=${Date.now()}`)) as { default?: unknown };
    if (mod.default === undefined) {
      throw new UsageError(`${file}: has no default export\n  fix: export default defineConfig({...})`);
    }
    return mod.default;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const msg = (e as Error).message?.split('\n')[0] ?? String(e);
    throw new UsageError(`${file}: could not be loaded: ${msg}\n  fix: check the file's syntax and imports`);
  }
}

export async function loadConfig(explicit: string | undefined, cwd = process.cwd()): Promise<LoadedConfig> {
  let file: string | undefined;
  if (explicit) {
    file = resolve(cwd, explicit);
    if (!existsSync(file))
      throw new UsageError(
        `--config ${explicit}: no such file\n  fix: give the path of an existing config file`,
      );
  } else {
    file = CONFIG_NAMES.map((n) => resolve(cwd, n)).find((f) => existsSync(f));
  }
  if (!file) return { config: {}, baseDir: cwd };
  const raw = await importConfig(file);
  const issues = [...validate('config', raw), ...(await unknownReporters(raw))];
  if (issues.length > 0) {
    throw new UsageError(`invalid config\n${formatIssues(issues, file)}`);
  }
  // relative file paths mean "next to the config file", at any depth (schemas mark them)
  const baseDir = dirname(file);
  return { config: resolveLocalPaths('config', raw, baseDir) as CohesixQaConfig, file, baseDir };
}

/**
 * The config's `reporters` checked against the reporter registry, reported with the
 * schema's issues in one error (the schema cannot list the names: they derive from
 * reporters/index.ts). The registry loads only for a config that names reporters.
 */
async function unknownReporters(raw: unknown): Promise<SchemaIssue[]> {
  const names = (raw as { reporters?: unknown } | null)?.reporters;
  if (!Array.isArray(names)) return [];
  const { reporterNames } = await import('../../reporters/index.ts');
  const known = reporterNames();
  return names.flatMap((n, i) =>
    typeof n === 'string' && !known.includes(n)
      ? [{ path: `reporters[${i}]`, expected: `one of ${known.join(', ')}`, actual: JSON.stringify(n) }]
      : [],
  );
}
